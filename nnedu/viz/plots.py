"""The plots the lecture notebooks share: decision boundaries, labelled points, loss curves,
optimizer paths (and the few other pictures more than one notebook draws).

A figure drawn by one notebook only is drawn in its notebook cell, where the student sees how the
picture is made; `nnedu.viz.save_figure` writes any figure to `figures/`.

Every function draws on a matplotlib `Axes` (a new figure if `ax` is None) and returns it, so a
notebook can put several side by side and save the figure with `save_figure(ax.figure, name)`.
They take plain numpy arrays and callables, never a particular engine.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.axes import Axes
from numpy.typing import ArrayLike

# ------------------------------------------------------- decision boundaries and labelled points
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


# --------------------------------------------------------------- loss curves and optimizer paths
Curve = ArrayLike | tuple[ArrayLike, ArrayLike]


def moving_average(values: ArrayLike, window: int) -> np.ndarray:
    """Trailing mean m_k = (1/w) Σ_{i=k-w+1}^{k} l_i, over fewer values for the first w - 1 steps.

    The result has the length of `values`; non-finite values make their window non-finite.
    """
    values = np.asarray(values, dtype=np.float64).ravel()
    if window < 1:
        raise ValueError(f"moving_average: window must be >= 1, got {window}")
    sums = np.cumsum(np.concatenate([[0.0], values]))
    k = np.arange(1, values.size + 1)
    start = np.maximum(k - window, 0)
    return (sums[k] - sums[start]) / (k - start)


def _xy(curve: Curve) -> tuple[np.ndarray, np.ndarray]:
    """A curve given as y values (x = 0, 1, …) or as a pair (x, y)."""
    if isinstance(curve, tuple) and len(curve) == 2:
        x, y = (np.asarray(c, dtype=np.float64).ravel() for c in curve)
        if x.shape != y.shape:
            raise ValueError(f"curve: x has {x.size} values but y has {y.size}")
        return x, y
    y = np.asarray(curve, dtype=np.float64).ravel()
    return np.arange(y.size, dtype=np.float64), y


def plot_loss_curves(curves: Mapping[str, Curve], *, ax: Axes | None = None,
                     window: int | None = None, scatter: bool = True, logy: bool = False,
                     title: str = "Training loss", xlabel: str = "iteration",
                     ylabel: str = "loss") -> Axes:
    """Plot named curves: raw values as faint dots (if `scatter`) and their moving average.

    `curves` maps a legend label to y values or to an (x, y) pair. `window` is the moving-average
    length (default: 1/25 of the longest curve; 1 draws the raw values as a line).
    """
    if not curves:
        raise ValueError("plot_loss_curves: no curves given")
    ax = ax if ax is not None else plt.subplots(figsize=(6.4, 4.0))[1]
    longest = max(_xy(c)[1].size for c in curves.values())
    window = window if window is not None else max(1, longest // 25)
    for label, curve in curves.items():
        x, y = _xy(curve)
        line, = ax.plot(x, moving_average(y, window), label=label, lw=1.8)
        if scatter and window > 1:
            ax.scatter(x, y, s=3, alpha=0.25, color=line.get_color(), linewidths=0)
    if logy:
        ax.set_yscale("log")
    ax.set(title=title, xlabel=xlabel, ylabel=ylabel)
    ax.grid(alpha=0.3)
    ax.legend()
    return ax


def plot_trajectories(loss: Callable[[np.ndarray, np.ndarray], np.ndarray],
                      trajectories: Mapping[str, ArrayLike], *, xlim: tuple[float, float],
                      ylim: tuple[float, float], ax: Axes | None = None, levels: int = 25,
                      log_levels: bool = True, minima: Sequence[tuple[float, float]] = (),
                      title: str = "", resolution: int = 200, legend: bool = True) -> Axes:
    """Draw optimizer iterates on the contour lines of a 2-D loss L(θ₁, θ₂).

    `loss(X, Y)` evaluates the surface on grid arrays; each trajectory is an array of shape
    (steps, 2) (θ₀ first), drawn as a line with its start marked by a circle and its end by a
    cross. Contour levels are spaced logarithmically above the minimum of the grid (`log_levels`)
    so both the steep walls and the flat valley floor show. `minima` are marked with stars.
    With `legend=False` (several panels side by side) call `fig.legend(*ax.get_legend_handles_
    labels())` once instead.
    """
    ax = ax if ax is not None else plt.subplots(figsize=(5.0, 4.2))[1]
    X, Y = np.meshgrid(np.linspace(*xlim, resolution), np.linspace(*ylim, resolution))
    Z = np.asarray(loss(X, Y), dtype=np.float64)
    if Z.shape != X.shape:
        raise ValueError(f"plot_trajectories: loss(X, Y) returned shape {Z.shape}, expected "
                         f"{X.shape} (it must broadcast over grid arrays)")
    if log_levels:
        lowest, span = Z.min(), np.ptp(Z)
        contour_levels = lowest + np.geomspace(span * 1e-4, span, levels)
    else:
        contour_levels = levels
    ax.contour(X, Y, Z, levels=contour_levels, cmap="Greys_r", linewidths=0.6, alpha=0.7)
    for label, path in trajectories.items():
        path = np.asarray(path, dtype=np.float64)
        if path.ndim != 2 or path.shape[1] != 2:
            raise ValueError(f"plot_trajectories: trajectory {label!r} has shape {path.shape}, "
                             "expected (steps, 2)")
        line, = ax.plot(path[:, 0], path[:, 1], lw=1.4, label=label)
        ax.plot(*path[0], "o", color=line.get_color(), ms=5)
        ax.plot(*path[-1], "x", color=line.get_color(), ms=7, mew=2)
    for point in minima:
        ax.plot(*point, "*", color="gold", ms=14, mec="black", zorder=5)
    ax.set(xlim=xlim, ylim=ylim, xlabel=r"$\theta_1$", ylabel=r"$\theta_2$", title=title)
    if trajectories and legend:
        ax.legend(fontsize="small", loc="best")
    return ax


# -------------------------------------------------------------------------- a quantity per layer
def plot_layer_std(stds: Mapping[str, ArrayLike], *, ax: Axes | None = None,
                   title: str = "Activation scale through the layers") -> Axes:
    """std(hˡ) against the layer l = 1, …, L for each named initialization (log y axis).

    A straight line on this axis is a constant factor per layer: the scale vanishes, stays, or
    grows geometrically with depth.
    """
    if not stds:
        raise ValueError("plot_layer_std: no curves given")
    ax = ax if ax is not None else plt.subplots(figsize=(7.5, 4.0))[1]
    for label, std in stds.items():
        std = np.asarray(std, dtype=np.float64).ravel()
        ax.plot(np.arange(1, std.size + 1), std, "o-", label=label)
    ax.set_yscale("log")
    ax.set(title=title, xlabel="layer $l$", ylabel=r"std of activations $h^{(l)}$")
    ax.grid(alpha=0.3, which="both")
    ax.legend(fontsize="small", loc="center left", bbox_to_anchor=(1.02, 0.5))
    return ax
