"""The recipe's hyperparameter heatmap."""

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt
import numpy as np
import pytest

from nnedu.viz.plots_recipe import plot_grid_heatmap


def test_heatmap_outlines_the_best_cell():
    fig, ax = plt.subplots()
    scores = np.array([[0.5, 0.9, 0.7], [0.6, 0.8, 0.2]])
    plot_grid_heatmap(scores, [1e-2, 1e-3], [0, 1e-5, 1e-4], row_name="lr",
                      col_name="weight decay", ax=ax, score_name="validation accuracy")
    (outline,) = ax.patches
    assert outline.get_xy() == (0.5, -0.5)
    assert [t.get_text() for t in ax.texts][:3] == ["0.500", "0.900", "0.700"]
    assert [t.get_text() for t in ax.get_yticklabels()] == ["0.01", "0.001"]
    assert fig.axes[-1].get_ylabel() == "validation accuracy"
    plot_grid_heatmap(scores, [1e-2, 1e-3], [0, 1e-5, 1e-4], row_name="lr",
                      col_name="weight decay", ax=ax, higher_is_better=False)
    assert ax.patches[-1].get_xy() == (1.5, 0.5)
    plt.close(fig)


def test_heatmap_names_mismatched_shapes():
    fig, ax = plt.subplots()
    with pytest.raises(ValueError, match=r"shape \(2, 2\), expected \(2, 3\)"):
        plot_grid_heatmap(np.ones((2, 2)), [1, 2], [1, 2, 3], row_name="lr", col_name="wd", ax=ax)
    plt.close(fig)
