"""Plots of the first lectures: activations, decision boundaries, feature spaces, networks."""

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt
import numpy as np
import pytest

from nnedu.viz.plots_basics import (
    plot_activations,
    plot_decision_boundary,
    plot_feature_space,
    plot_fits,
    plot_network,
    scatter_classes,
)

XOR_X = np.array([[0.0, 0.0], [0.0, 1.0], [1.0, 0.0], [1.0, 1.0]])
XOR_T = np.array([0, 1, 1, 0])


def test_activation_panels_show_each_function_and_its_derivative():
    x = np.linspace(-2, 2, 5)
    fig = plot_activations(x, {"tanh": (np.tanh(x), 1 - np.tanh(x) ** 2)})
    ax_f, ax_d = fig.axes
    values, slopes = ax_f.get_lines()[0], ax_d.get_lines()[0]  # then the axes x = 0 and y = 0
    assert np.allclose(values.get_ydata(), np.tanh(x))
    assert np.allclose(slopes.get_ydata(), 1 - np.tanh(x) ** 2)
    assert values.get_color() == slopes.get_color()
    plt.close(fig)


def test_activation_curve_of_wrong_length_is_named():
    with pytest.raises(ValueError, match=r"'relu' has values of shape \(3,\)"):
        plot_activations(np.zeros(4), {"relu": (np.zeros(3), np.zeros(4))})


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


def test_feature_space_line_is_the_output_units_boundary():
    fig, ax = plt.subplots()
    H = np.array([[0.0, 0.0], [1.0, 0.0], [1.0, 0.0], [1.0, 1.0]])
    w, b = np.array([1.0, -1.0]), -0.5
    plot_feature_space(H, XOR_T, ax, w=w, b=b)
    (line,) = [line for line in ax.get_lines() if line.get_linestyle() == "--"]
    h = np.column_stack([line.get_xdata(), line.get_ydata()])
    assert np.allclose(h @ w + b, 0)
    plt.close(fig)


def test_scatter_uses_one_marker_set_per_class():
    fig, ax = plt.subplots()
    scatter_classes(XOR_X, XOR_T, ax, names=["y = 0", "y = 1"])
    assert [c.get_offsets().shape[0] for c in ax.collections] == [2, 2]
    assert [t.get_text() for t in ax.get_legend().get_texts()] == ["y = 0", "y = 1"]
    plt.close(fig)


def test_network_draws_one_edge_per_weight_with_its_value():
    fig, ax = plt.subplots()
    W1, b1 = np.array([[1.0, 1.0], [1.0, 1.0]]), np.array([-0.5, -1.5])
    W2, b2 = np.array([[1.0, -1.0]]), np.array([-0.5])
    plot_network([W1, W2], [b1, b2], ax)
    assert len(ax.get_lines()) == W1.size + W2.size
    texts = [t.get_text() for t in ax.texts]
    assert texts.count("-1") == 1 and "b = -1.5" in texts
    plt.close(fig)


def test_network_names_the_layer_with_mismatched_shapes():
    expected = r"layer 2 has W \(1, 3\) and b \(1,\), expected W \(1, 2\)"
    with pytest.raises(ValueError, match=expected):
        plot_network([np.ones((2, 2)), np.ones((1, 3))], [np.zeros(2), np.zeros(1)])
    with pytest.raises(ValueError, match="2 weight matrices but 1 biases"):
        plot_network([np.ones((2, 2)), np.ones((1, 2))], [np.zeros(2)])


def test_fits_plot_target_data_and_each_model():
    fig, ax = plt.subplots()
    x = np.linspace(0, 1, 11)
    plot_fits(x, x**2, {"model": x}, ax, data=(x, x**2))
    labels = [t.get_text() for t in ax.get_legend().get_texts()]
    assert labels == ["training data", "target f(x)", "model"]
    plt.close(fig)
