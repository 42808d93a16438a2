"""The plots the notebooks share (nnedu.viz.plots): decision boundaries, labelled points, loss
curves, optimizer paths, a quantity per layer."""

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt
import numpy as np
import pytest

from nnedu.viz.plots import (
    moving_average,
    plot_decision_boundary,
    plot_layer_std,
    plot_loss_curves,
    plot_trajectories,
    scatter_classes,
)

XOR_X = np.array([[0.0, 0.0], [0.0, 1.0], [1.0, 0.0], [1.0, 1.0]])
XOR_T = np.array([0, 1, 1, 0])


def test_decision_boundary_follows_the_threshold_level_set():
    fig, ax = plt.subplots()
    plot_decision_boundary(lambda g: g[:, 0], XOR_X, XOR_T, ax, threshold=0.5, resolution=50)
    (boundary,) = [c for c in ax.collections if c.__class__.__name__ == "QuadContourSet"
                   and len(c.levels) == 1]
    points = np.vstack([p.vertices for p in boundary.get_paths()])
    assert np.allclose(points[:, 0], 0.5)  # the level set x₁ = 0.5
    assert ax.get_xlabel() == "$x_1$"
    plt.close(fig)


def test_decision_boundary_refuses_inputs_that_are_not_2d():
    with pytest.raises(ValueError, match=r"shape \(n, 2\), got \(4, 3\)"):
        plot_decision_boundary(lambda g: g[:, 0], np.zeros((4, 3)), XOR_T)


def test_scatter_uses_one_marker_set_per_class():
    fig, ax = plt.subplots()
    scatter_classes(XOR_X, XOR_T, ax, names=["y = 0", "y = 1"])
    assert [c.get_offsets().shape[0] for c in ax.collections] == [2, 2]
    assert [t.get_text() for t in ax.get_legend().get_texts()] == ["y = 0", "y = 1"]
    plt.close(fig)


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


def test_the_library_keeps_only_plots_that_are_reused():
    """A plot function stays in nnedu.viz.plots if two notebooks draw it, or another plot of the
    module is built on it; a one-off figure belongs in its notebook cell."""
    import ast
    from pathlib import Path

    root = Path(__file__).resolve().parents[1]
    source = (root / "nnedu" / "viz" / "plots.py").read_text(encoding="utf-8")
    public = [n.name for n in ast.parse(source).body
              if isinstance(n, ast.FunctionDef) and not n.name.startswith("_")]
    notebooks = [p.read_text(encoding="utf-8") for p in (root / "notebooks").glob("*.ipynb")]
    for name in public:
        users = sum(name + "(" in nb for nb in notebooks)
        inside = source.count(name + "(") - 1  # calls from the module's other functions
        assert users >= 2 or inside >= 1, f"{name} is drawn by {users} notebook(s) only"
    assert not list((root / "nnedu" / "viz").glob("plots_*.py"))  # modules named by content
