"""plot_layer_std: one line per network over the layers 1, …, L on a log axis."""

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt
import numpy as np
import pytest

from nnedu.viz.plots_regularization import plot_layer_std


def test_layer_std_draws_one_line_per_network_over_layers_from_one():
    stds = {"Xavier": [0.6, 0.4, 0.3], "He": [0.8, 0.8, 0.8]}
    ax = plot_layer_std(stds)
    lines = ax.get_lines()
    assert [line.get_label() for line in lines] == ["Xavier", "He"]
    assert np.array_equal(lines[0].get_xdata(), [1, 2, 3])
    assert np.allclose(lines[1].get_ydata(), [0.8, 0.8, 0.8])
    assert ax.get_yscale() == "log"
    plt.close(ax.figure)


def test_layer_std_refuses_no_curves():
    with pytest.raises(ValueError, match="plot_layer_std: no curves given"):
        plot_layer_std({})
