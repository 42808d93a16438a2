"""Plots for the training recipe: a hyperparameter grid read as a heatmap.

The lecture's steps 4 and 5: a coarse grid over learning rate × weight decay, trained briefly,
then refined. (Step 6's noisy loss curves, scatter plus moving average, are
`nnedu.viz.plots_training.plot_loss_curves`.)
"""

from __future__ import annotations

from collections.abc import Sequence

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.axes import Axes
from matplotlib.patches import Rectangle
from numpy.typing import ArrayLike


def plot_grid_heatmap(scores: ArrayLike, row_values: Sequence[float],
                      col_values: Sequence[float], *, row_name: str, col_name: str,
                      ax: Axes | None = None, title: str = "", score_name: str = "",
                      higher_is_better: bool = True, fmt: str = "{:.3f}") -> Axes:
    """A hyperparameter grid as a heatmap: scores[i, j] for (row_values[i], col_values[j]).

    Each cell is annotated with its score (`score_name` labels the colour bar); the best cell,
    the highest score (or the lowest, if not `higher_is_better`), is outlined.
    """
    scores = np.asarray(scores, dtype=np.float64)
    ax = ax if ax is not None else plt.subplots(figsize=(5.0, 3.6))[1]
    if scores.shape != (len(row_values), len(col_values)):
        raise ValueError(f"plot_grid_heatmap: scores have shape {scores.shape}, expected "
                         f"({len(row_values)}, {len(col_values)}) for the row and column values")
    image = ax.imshow(scores, cmap="viridis" if higher_is_better else "viridis_r", aspect="auto")
    ax.figure.colorbar(image, ax=ax, label=score_name)
    ax.set_xticks(range(len(col_values)), [f"{v:.3g}" for v in col_values])
    ax.set_yticks(range(len(row_values)), [f"{v:.3g}" for v in row_values])
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

