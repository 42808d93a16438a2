"""The recipe's plots: moving average of noisy losses and the hyperparameter heatmap."""

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt
import numpy as np
import pytest

from nnedu.viz.plots_recipe import moving_average, plot_grid_heatmap, plot_loss_scatter


def test_moving_average_is_the_mean_of_each_trailing_window():
    values = np.array([1.0, 2.0, 3.0, 4.0, 10.0])
    np.testing.assert_allclose(moving_average(values, 2), [1.5, 2.5, 3.5, 7.0])
    np.testing.assert_allclose(moving_average(values, 5), [4.0])
    np.testing.assert_allclose(moving_average(values, 1), values)


def test_moving_average_matches_a_direct_loop_on_random_losses():
    losses = np.random.default_rng(0).exponential(size=200)
    direct = [losses[k - 9:k + 1].mean() for k in range(9, 200)]
    np.testing.assert_allclose(moving_average(losses, 10), direct, rtol=1e-12)


def test_moving_average_smooths_noise_around_a_trend():
    rng = np.random.default_rng(1)
    trend = np.linspace(2.0, 0.5, 1000)
    noisy = trend + rng.normal(scale=0.3, size=1000)
    smooth = moving_average(noisy, 50)
    assert np.std(smooth - trend[49:]) < 0.3 * np.std(noisy - trend)


@pytest.mark.parametrize("window", [0, 6])
def test_moving_average_rejects_a_window_outside_the_data(window):
    with pytest.raises(ValueError, match="window must be between 1 and the number of values"):
        moving_average(np.ones(5), window)


def test_moving_average_rejects_a_matrix():
    with pytest.raises(ValueError, match=r"1-D .* shape \(2, 3\)"):
        moving_average(np.ones((2, 3)), 2)


def test_loss_scatter_draws_every_step_and_the_average_ending_at_the_last_step():
    fig, ax = plt.subplots()
    losses = np.linspace(3.0, 1.0, 40)
    plot_loss_scatter(ax, losses, window=10)
    (line,) = ax.get_lines()
    assert len(ax.collections[0].get_offsets()) == 40
    np.testing.assert_allclose(line.get_xdata(), np.arange(10, 41))
    np.testing.assert_allclose(line.get_ydata(), moving_average(losses, 10))
    plt.close(fig)


def test_heatmap_outlines_the_best_cell():
    fig, ax = plt.subplots()
    scores = np.array([[0.5, 0.9, 0.7], [0.6, 0.8, 0.2]])
    plot_grid_heatmap(ax, scores, [1e-2, 1e-3], [0, 1e-5, 1e-4], "lr", "weight decay")
    (outline,) = ax.patches
    assert outline.get_xy() == (0.5, -0.5)
    assert [t.get_text() for t in ax.texts][:3] == ["0.500", "0.900", "0.700"]
    plot_grid_heatmap(ax, scores, [1e-2, 1e-3], [0, 1e-5, 1e-4], "lr", "weight decay",
                      higher_is_better=False)
    assert ax.patches[-1].get_xy() == (1.5, 0.5)
    plt.close(fig)


def test_heatmap_names_mismatched_shapes():
    fig, ax = plt.subplots()
    with pytest.raises(ValueError, match=r"shape \(2, 2\), expected \(2, 3\)"):
        plot_grid_heatmap(ax, np.ones((2, 2)), [1, 2], [1, 2, 3], "lr", "wd")
    plt.close(fig)
