"""Training pictures: moving average, loss curves, trajectories on surfaces, weight images."""

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt
import numpy as np
import pytest

from nnedu.viz.plots_training import (
    moving_average,
    plot_loss_curves,
    plot_trajectories,
)


def test_moving_average_is_the_trailing_mean():
    values = [1.0, 2.0, 3.0, 4.0, 5.0]
    assert np.allclose(moving_average(values, 2), [1.0, 1.5, 2.5, 3.5, 4.5])
    assert np.allclose(moving_average(values, 1), values)
    assert np.allclose(moving_average(values, 10), [1.0, 1.5, 2.0, 2.5, 3.0])  # running mean


def test_moving_average_refuses_an_empty_window():
    with pytest.raises(ValueError, match="window must be >= 1, got 0"):
        moving_average([1.0, 2.0], 0)


def test_loss_curves_draw_the_moving_average_over_the_raw_points():
    raw = np.random.default_rng(0).normal(size=100)
    ax = plot_loss_curves({"noisy": raw, "pair": ([0, 10, 20], [3.0, 2.0, 1.0])}, window=5)
    average, pair = ax.lines
    assert np.allclose(average.get_ydata(), moving_average(raw, 5))
    assert np.allclose(pair.get_xdata(), [0, 10, 20])
    assert len(ax.collections[0].get_offsets()) == 100  # the raw values, as dots
    assert [t.get_text() for t in ax.get_legend().get_texts()] == ["noisy", "pair"]
    plt.close(ax.figure)


def test_loss_curves_name_a_mismatched_pair():
    with pytest.raises(ValueError, match="x has 2 values but y has 3"):
        plot_loss_curves({"bad": ([0, 1], [1.0, 2.0, 3.0])})
    plt.close("all")


def test_trajectories_mark_start_end_and_minima():
    path = np.array([[1.0, 1.0], [0.5, 0.2], [0.1, 0.0]])
    ax = plot_trajectories(lambda X, Y: X**2 + 10 * Y**2, {"GD": path}, xlim=(-2, 2),
                           ylim=(-2, 2), minima=[(0.0, 0.0)])
    line, start, end, star = ax.lines
    assert np.allclose(np.column_stack([line.get_xdata(), line.get_ydata()]), path)
    assert (start.get_marker(), end.get_marker(), star.get_marker()) == ("o", "x", "*")
    assert np.allclose([end.get_xdata()[0], end.get_ydata()[0]], path[-1])
    assert ax.get_xlim() == (-2, 2)
    plt.close(ax.figure)


def test_trajectories_refuse_a_path_that_is_not_a_list_of_points():
    message = r"trajectory 'GD' has shape \(3,\), expected \(steps, 2\)"
    with pytest.raises(ValueError, match=message):
        plot_trajectories(lambda X, Y: X + Y, {"GD": [1.0, 2.0, 3.0]}, xlim=(0, 1), ylim=(0, 1))
    with pytest.raises(ValueError, match="it must broadcast over grid arrays"):
        plot_trajectories(lambda X, Y: 1.0, {}, xlim=(0, 1), ylim=(0, 1))
    plt.close("all")
