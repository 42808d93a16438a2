"""Pictures of training: loss curves and optimizer trajectories on 2-D surfaces.

- `moving_average`: the trend of a noisy loss curve, m_k = mean(l_{k-w+1}, …, l_k).
- `plot_loss_curves`: each curve as a faint scatter of the raw values plus its moving average,
  as the lecture's recipe asks ("use a scatter plot and also plot moving average").
- `plot_trajectories`: iterates θ₀, θ₁, … of optimizers drawn on the contour lines of a 2-D loss.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.axes import Axes
from numpy.typing import ArrayLike

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
