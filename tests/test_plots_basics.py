"""The reused 2-D plots: decision boundaries and labelled points."""

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt
import numpy as np
import pytest

from nnedu.viz.plots_basics import (
    plot_decision_boundary,
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
