"""Plots reused across the lecture notebooks: decision boundaries and labelled 2-D points.

Every function draws on a matplotlib `Axes` (a new figure if `ax` is None) and returns it, so a
notebook can put several side by side and save the figure with `save_figure(ax.figure, name)`.
They take plain numpy arrays and callables, never a particular engine: anything that maps an
(n, 2) array of inputs to n scores can have its decision boundary drawn.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.axes import Axes

CLASS_COLORS = ("tab:blue", "tab:red", "tab:green", "tab:orange", "tab:purple")
CLASS_MARKERS = ("o", "s", "^", "D", "v")


def _axes(ax: Axes | None, figsize: tuple[float, float] = (5.0, 4.0)) -> Axes:
    if ax is not None:
        return ax
    _, ax = plt.subplots(figsize=figsize)
    return ax


def plot_decision_boundary(predict: Callable[[np.ndarray], np.ndarray], X: np.ndarray,
                           y: np.ndarray, ax: Axes | None = None, *, title: str = "",
                           threshold: float = 0.5, resolution: int = 150, margin: float = 0.5,
                           score_label: str = "p(class 1 | x)") -> Axes:
    """Shade the plane by `predict` (an (n, 2) array of points → n scores), draw the level set
    score = `threshold` as the decision boundary, and scatter the data `X` coloured by label `y`.
    """
    X = np.asarray(X, dtype=float)
    if X.ndim != 2 or X.shape[1] != 2:
        raise ValueError(f"plot_decision_boundary: X must have shape (n, 2), got {X.shape}")
    ax = _axes(ax)
    lo, hi = X.min(axis=0) - margin, X.max(axis=0) + margin
    g1, g2 = np.meshgrid(np.linspace(lo[0], hi[0], resolution),
                         np.linspace(lo[1], hi[1], resolution))
    grid = np.column_stack([g1.ravel(), g2.ravel()])
    scores = np.asarray(predict(grid), dtype=float).reshape(g1.shape)
    shade = ax.contourf(g1, g2, scores, levels=20, cmap="RdBu_r", alpha=0.45)
    ax.figure.colorbar(shade, ax=ax, label=score_label)
    if scores.min() < threshold < scores.max():
        ax.contour(g1, g2, scores, levels=[threshold], colors="k", linewidths=2)
    scatter_classes(X, y, ax)
    ax.set_xlabel("$x_1$")
    ax.set_ylabel("$x_2$")
    ax.set_title(title or "Decision boundary")
    return ax


def scatter_classes(X: np.ndarray, y: np.ndarray, ax: Axes | None = None, *,
                    names: Sequence[str] | None = None, size: float = 40) -> Axes:
    """Scatter 2-D points, one colour and marker per class label (with a legend)."""
    X, y = np.asarray(X), np.asarray(y).ravel()
    if X.ndim != 2 or X.shape[1] != 2 or len(X) != len(y):
        raise ValueError(f"scatter_classes: need X of shape (n, 2) and n labels, "
                         f"got X {X.shape} and y {y.shape}")
    ax = _axes(ax)
    for i, label in enumerate(np.unique(y)):
        name = names[i] if names is not None else f"class {label:g}"
        ax.scatter(*X[y == label].T, s=size, c=CLASS_COLORS[i % len(CLASS_COLORS)],
                   marker=CLASS_MARKERS[i % len(CLASS_MARKERS)], edgecolors="k", linewidths=0.6,
                   label=name, zorder=3)
    ax.legend(loc="best", fontsize=9)
    return ax
