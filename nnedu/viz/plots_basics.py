"""Plots for the first lectures: activations, decision boundaries, feature spaces, networks.

Every function draws on a matplotlib `Axes` (a new figure if `ax` is None) and returns it, so a
notebook can put several side by side and save the figure with `save_figure(ax.figure, name)`.
They take plain numpy arrays and callables, never a particular engine: anything that maps an
(n, 2) array of inputs to n scores can have its decision boundary drawn.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.axes import Axes
from matplotlib.figure import Figure

CLASS_COLORS = ("tab:blue", "tab:red", "tab:green", "tab:orange", "tab:purple")
CLASS_MARKERS = ("o", "s", "^", "D", "v")


def _axes(ax: Axes | None, figsize: tuple[float, float] = (5.0, 4.0)) -> Axes:
    if ax is not None:
        return ax
    _, ax = plt.subplots(figsize=figsize)
    return ax


def plot_activations(x: np.ndarray, curves: Mapping[str, tuple[np.ndarray, np.ndarray]],
                     title: str = "Activation functions") -> Figure:
    """Two panels side by side: φ(x) for each activation, and its derivative φ′(x).

    `curves` maps a name to (φ(x), φ′(x)) evaluated at the points `x`.
    """
    x = np.asarray(x)
    fig, (ax_f, ax_d) = plt.subplots(1, 2, figsize=(11, 4.2))
    for name, (values, slopes) in curves.items():
        if np.shape(values) != x.shape or np.shape(slopes) != x.shape:
            raise ValueError(f"plot_activations: {name!r} has values of shape {np.shape(values)} "
                             f"and slopes of shape {np.shape(slopes)}, expected {x.shape}")
        line, = ax_f.plot(x, values, label=name, lw=2)
        ax_d.plot(x, slopes, label=name, lw=2, color=line.get_color())
    for ax, what in ((ax_f, "φ(x)"), (ax_d, "φ′(x)")):
        ax.axhline(0, color="0.6", lw=0.8)
        ax.axvline(0, color="0.6", lw=0.8)
        ax.set_xlabel("x")
        ax.set_ylabel(what)
        ax.grid(alpha=0.3)
    ax_f.set_title(f"{title}: φ(x)")
    ax_d.set_title(f"{title}: derivatives φ′(x)")
    ax_f.legend(loc="upper left", fontsize=9)
    fig.tight_layout()
    return fig


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


def plot_feature_space(H: np.ndarray, y: np.ndarray, ax: Axes | None = None, *,
                       w: np.ndarray | None = None, b: float | None = None, title: str = "",
                       labels: tuple[str, str] = ("$h_1$", "$h_2$")) -> Axes:
    """The data as the next layer sees it: 2-D hidden activations `H`, coloured by label.

    With the output unit's weights `w` (2,) and bias `b`, also draw its decision line
    w₁h₁ + w₂h₂ + b = 0: if it separates the colours, the hidden layer made the classes
    linearly separable.
    """
    H = np.asarray(H, dtype=float)
    if H.ndim != 2 or H.shape[1] != 2:
        raise ValueError(f"plot_feature_space: H must have shape (n, 2), got {H.shape}")
    ax = _axes(ax)
    scatter_classes(H, y, ax)
    if w is not None and b is not None:
        w = np.asarray(w, dtype=float).ravel()
        lo, hi = H.min(axis=0), H.max(axis=0)
        pad = 0.15 * np.maximum(hi - lo, 1e-3)
        lo, hi = lo - pad, hi + pad
        if abs(w[1]) >= abs(w[0]):  # solve for h2 along h1
            h1 = np.linspace(lo[0], hi[0], 2)
            ax.plot(h1, -(w[0] * h1 + b) / w[1], "k--", lw=2, label="output unit: $w^T h + b = 0$")
        else:
            h2 = np.linspace(lo[1], hi[1], 2)
            ax.plot(-(w[1] * h2 + b) / w[0], h2, "k--", lw=2, label="output unit: $w^T h + b = 0$")
        ax.set_xlim(lo[0], hi[0])
        ax.set_ylim(lo[1], hi[1])
        ax.legend(loc="best", fontsize=9)
    ax.set_xlabel(labels[0])
    ax.set_ylabel(labels[1])
    ax.set_title(title or "Hidden feature space")
    return ax


def plot_network(weights: Sequence[np.ndarray], biases: Sequence[np.ndarray],
                 ax: Axes | None = None, *, unit_names: Sequence[Sequence[str]] | None = None,
                 activation: str = "φ", title: str = "") -> Axes:
    """Draw a fully connected network: units as circles in columns, each edge labelled with its
    weight, each computing unit with its bias (`weights[l]` has shape (out, in), as on the slide).
    """
    if len(weights) != len(biases) or not weights:
        raise ValueError(f"plot_network: {len(weights)} weight matrices but {len(biases)} biases")
    sizes = [np.shape(weights[0])[1], *(np.shape(W)[0] for W in weights)]
    for layer, (W, bias) in enumerate(zip(weights, biases, strict=True)):
        if np.shape(W) != (sizes[layer + 1], sizes[layer]) or np.shape(bias) != (sizes[layer + 1],):
            raise ValueError(f"plot_network: layer {layer + 1} has W {np.shape(W)} and "
                             f"b {np.shape(bias)}, expected W ({sizes[layer + 1]}, {sizes[layer]})"
                             f" and b ({sizes[layer + 1]},)")
    ax = _axes(ax, figsize=(2.6 * len(sizes), 1.4 * max(sizes) + 1.2))
    if unit_names is None:
        unit_names = [[f"$x_{i + 1}$" for i in range(sizes[0])],
                      *([f"$h^{{({k + 1})}}_{i + 1}$" for i in range(n)]
                        for k, n in enumerate(sizes[1:-1])),
                      [f"$y_{i + 1}$" if sizes[-1] > 1 else "$y$" for i in range(sizes[-1])]]
    pos = [[(3.0 * col, (n - 1) / 2 - i) for i in range(n)] for col, n in enumerate(sizes)]
    radius = 0.28
    for layer, (W, bias) in enumerate(zip(weights, biases, strict=True)):
        for j, (xj, yj) in enumerate(pos[layer + 1]):
            for i, (xi, yi) in enumerate(pos[layer]):
                w = float(W[j][i])
                ax.plot([xi + radius, xj - radius], [yi, yj], lw=1.5 + min(abs(w), 3),
                        color="tab:red" if w < 0 else "tab:blue", zorder=1)
                t = 0.3  # label near the source, where the edges fan out, along the edge
                angle = np.degrees(np.arctan2(yj - yi, xj - xi - 2 * radius))
                ax.text(xi + radius + t * (xj - xi - 2 * radius), yi + t * (yj - yi), f"{w:g}",
                        ha="center", va="center", fontsize=9, rotation=angle,
                        rotation_mode="anchor",
                        bbox={"boxstyle": "round,pad=0.15", "fc": "white", "ec": "none"},
                        zorder=2)
            ax.text(xj, yj - radius - 0.08, f"b = {float(bias[j]):g}", ha="center", va="top",
                    fontsize=9, color="0.25")
    for col, column in enumerate(pos):
        for i, (xc, yc) in enumerate(column):
            face = "0.92" if col == 0 else "lightyellow"
            ax.add_patch(plt.Circle((xc, yc), radius, fc=face, ec="k", lw=1.5, zorder=3))
            ax.text(xc, yc, unit_names[col][i], ha="center", va="center", fontsize=12, zorder=4)
    for col in range(1, len(sizes)):
        ax.text(3.0 * col, (max(sizes) - 1) / 2 + 0.6, f"{activation}(Wx + b)", ha="center",
                fontsize=10, color="0.3")
    ax.set_xlim(-0.8, 3.0 * (len(sizes) - 1) + 0.8)
    ax.set_ylim(-(max(sizes) - 1) / 2 - 0.9, (max(sizes) - 1) / 2 + 0.9)
    ax.set_aspect("equal")
    ax.axis("off")
    ax.set_title(title or "Network")
    return ax


def plot_fits(x: np.ndarray, target: np.ndarray, fits: Mapping[str, np.ndarray],
              ax: Axes | None = None, *, data: tuple[np.ndarray, np.ndarray] | None = None,
              title: str = "") -> Axes:
    """A 1-D target function, the training points `data` = (x, t), and each model's fit."""
    ax = _axes(ax, figsize=(6.0, 4.0))
    if data is not None:
        ax.scatter(*data, s=10, c="0.6", label="training data", zorder=1)
    ax.plot(x, target, "k--", lw=2, label="target f(x)", zorder=2)
    for name, values in fits.items():
        ax.plot(x, values, lw=1.8, label=name, zorder=3)
    ax.set_xlabel("x")
    ax.set_ylabel("y")
    ax.set_title(title)
    ax.grid(alpha=0.3)
    ax.legend(fontsize=8)
    return ax
