"""The backprop notebooks' plots draw what they are given and refuse mismatched input."""

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt
import numpy as np
import pytest

from nnedu.bench.cost import CostCurve
from nnedu.viz.plots_backprop import (
    plot_cost,
    plot_gradcheck_eps,
    plot_outer_product,
)


def teardown_function():
    plt.close("all")


def test_outer_product_shows_column_row_and_matrix():
    z_bar, x = np.array([1.0, -2.0]), np.array([0.5, 1.0, 2.0])
    fig = plot_outer_product(z_bar, x, np.outer(z_bar, x))
    images = [ax.images[0].get_array() for ax in fig.axes if ax.images]
    assert [im.shape for im in images] == [(2, 1), (1, 3), (2, 3)]
    assert np.allclose(images[2], np.outer(z_bar, x))
    with pytest.raises(ValueError, match=r"W_bar has shape \(3, 2\), expected \(2, 3\)"):
        plot_outer_product(z_bar, x, np.outer(x, z_bar))


def _curve(varied, sizes, forward, backward):
    return CostCurve(varied, np.array(sizes), np.array(forward), np.array(backward),
                     depth=-1 if varied == "depth" else 2, width=-1 if varied == "width" else 8,
                     batch=4, sigmoid=True)


def test_cost_plot_shows_times_in_milliseconds_and_the_ratio():
    by_depth = _curve("depth", [1, 2, 4], [0.001, 0.002, 0.004], [0.002, 0.004, 0.008])
    by_width = _curve("width", [8, 16], [0.001, 0.004], [0.002, 0.008])
    fig = plot_cost(by_depth, by_width, min_width=8)
    ax_d, _, ax_r = fig.axes
    assert np.allclose(ax_d.lines[0].get_ydata(), [1, 2, 4])
    assert np.allclose(ax_r.lines[0].get_ydata(), [2, 2])
    with pytest.raises(ValueError, match="varying depth and width"):
        plot_cost(by_width, by_depth)


def test_gradcheck_eps_marks_the_smallest_error():
    eps = np.array([1e-2, 1e-4, 1e-6, 1e-8])
    errors = np.array([1e-5, 1e-9, 1e-10, 1e-8])
    ax = plot_gradcheck_eps(eps, errors)
    best = ax.lines[1]
    assert best.get_xdata()[0] == 1e-6 and best.get_ydata()[0] == 1e-10
    with pytest.raises(ValueError, match="errors has 3"):
        plot_gradcheck_eps(eps, errors[:3])
