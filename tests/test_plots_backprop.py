"""The backprop notebooks' plots draw what they are given and refuse mismatched input."""

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt
import numpy as np
import pytest

from nnedu.viz.plots_backprop import plot_chain_rule_check, plot_loss_and_tangent


def teardown_function():
    plt.close("all")


def test_tangent_line_passes_through_the_point_with_the_given_slope():
    w = np.linspace(-2, 2, 41)
    ax = plot_loss_and_tangent(w, w**2, 1.0, 1.0, 2.0)
    curve, tangent = ax.lines[0], ax.lines[1]
    assert np.allclose(curve.get_ydata(), w**2)
    (x0, x1), (y0, y1) = tangent.get_xdata(), tangent.get_ydata()
    assert (y1 - y0) / (x1 - x0) == pytest.approx(2.0)
    assert y0 + 2.0 * (1.0 - x0) == pytest.approx(1.0)


def test_tangent_plot_refuses_curves_of_different_lengths():
    with pytest.raises(ValueError, match="w has 3, loss has 2"):
        plot_loss_and_tangent([0, 1, 2], [0, 1], 0.0, 0.0, 1.0)


def test_chain_rule_check_draws_engine_points_over_the_closed_form():
    t = np.linspace(0, 1, 9)
    ax = plot_chain_rule_check(t, t**2, 2 * t, 2 * t)
    closed, engine = ax.lines
    assert np.allclose(closed.get_ydata(), 2 * t)
    assert np.allclose(engine.get_xdata(), t[::3]) and np.allclose(engine.get_ydata(), 2 * t[::3])
    with pytest.raises(ValueError, match="engine has 2"):
        plot_chain_rule_check(t, t, [1, 2], t)
