"""Plots for the training recipe: noisy loss curves and hyperparameter grids.

The lecture's step 6: "Losses may be noisy, use a scatter plot and also plot moving average to
see trends better." Step 4/5: a coarse grid over learning rate × weight decay, read as a heatmap.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from matplotlib.axes import Axes
from matplotlib.patches import Rectangle
from numpy.typing import ArrayLike


def moving_average(values: ArrayLike, window: int) -> np.ndarray:
    """Trailing moving average m_k = (1/w) Σ_{j=k−w+1}^{k} L_j, one value per full window.

    Returns an array of length len(values) − window + 1; m[0] averages the first `window` values.
    """
    values = np.asarray(values, dtype=np.float64)
    if values.ndim != 1:
        raise ValueError(f"moving_average: expected a 1-D sequence of losses, got shape "
                         f"{values.shape}")
    if not 1 <= window <= len(values):
        raise ValueError(f"moving_average: window must be between 1 and the number of values "
                         f"({len(values)}), got {window}")
    cumulative = np.concatenate(([0.0], np.cumsum(values)))
    return (cumulative[window:] - cumulative[:-window]) / window


def plot_loss_scatter(ax: Axes, losses: ArrayLike, window: int = 20, label: str = "loss",
                      color: str | None = None) -> Axes:
    """Per-step losses as a faint scatter plus their trailing moving average as a line.

    The average at step k is drawn at x = k (it uses steps k − window + 1 … k), so it never
    looks into the future.
    """
    losses = np.asarray(losses, dtype=np.float64)
    steps = np.arange(1, len(losses) + 1)
    dots = ax.scatter(steps, losses, s=4, alpha=0.3, color=color, label=f"{label} (per step)")
    window = min(window, len(losses))
    ax.plot(steps[window - 1:], moving_average(losses, window), color=dots.get_facecolor()[0],
            alpha=1.0, linewidth=2, label=f"{label} (moving average, {window} steps)")
    ax.set_xlabel("iteration")
    ax.set_ylabel("loss")
    return ax


def plot_grid_heatmap(ax: Axes, scores: ArrayLike, row_values: Sequence[float],
                      col_values: Sequence[float], row_name: str, col_name: str,
                      title: str = "", higher_is_better: bool = True, fmt: str = "{:.3f}") -> Axes:
    """A hyperparameter grid as a heatmap: scores[i, j] for (row_values[i], col_values[j]).

    Each cell is annotated with its score; the best cell is outlined.
    """
    scores = np.asarray(scores, dtype=np.float64)
    if scores.shape != (len(row_values), len(col_values)):
        raise ValueError(f"plot_grid_heatmap: scores have shape {scores.shape}, expected "
                         f"({len(row_values)}, {len(col_values)}) for the row and column values")
    image = ax.imshow(scores, cmap="viridis" if higher_is_better else "viridis_r", aspect="auto")
    ax.figure.colorbar(image, ax=ax)
    ax.set_xticks(range(len(col_values)), [f"{v:g}" for v in col_values])
    ax.set_yticks(range(len(row_values)), [f"{v:g}" for v in row_values])
    ax.set_xlabel(col_name)
    ax.set_ylabel(row_name)
    middle = np.nanmin(scores) + 0.5 * (np.nanmax(scores) - np.nanmin(scores))
    for (i, j), score in np.ndenumerate(scores):
        light = (score < middle) == higher_is_better
        ax.text(j, i, fmt.format(score), ha="center", va="center",
                color="white" if light else "black")
    best = np.nanargmax(scores) if higher_is_better else np.nanargmin(scores)
    i, j = np.unravel_index(best, scores.shape)
    ax.add_patch(Rectangle((j - 0.5, i - 0.5), 1, 1, fill=False, edgecolor="red", linewidth=3))
    if title:
        ax.set_title(title)
    return ax

