"""Hand-built networks: the ReLU interpolant and the deep sawtooth."""

import numpy as np
import pytest

from nnedu.nn.constructions import count_linear_pieces, relu_interpolant, sawtooth_net


def target(x):
    return np.sin(3 * np.pi * x) * (1 - np.abs(x) / 2)


def test_relu_interpolant_is_exact_at_the_knots_and_linear_between():
    net = relu_interpolant(target, 8)
    knots = np.linspace(-1, 1, 9)
    assert np.allclose(net(knots[:, None])[:, 0], target(knots), atol=1e-12)
    midpoints = (knots[:-1] + knots[1:]) / 2
    assert np.allclose(net(midpoints[:, None])[:, 0], (target(knots[:-1]) + target(knots[1:])) / 2)


def test_relu_interpolant_error_falls_with_width():
    x = np.linspace(-1, 1, 2001)[:, None]
    errors = [np.sqrt(np.mean((relu_interpolant(target, n)(x) - target(x)) ** 2))
              for n in (4, 16, 64)]
    assert errors[0] > errors[1] > errors[2] and errors[2] < 0.01


@pytest.mark.parametrize("k", [1, 2, 3, 5])
def test_sawtooth_has_2_to_the_k_pieces_with_2k_units(k):
    net = sawtooth_net(k)
    u = np.linspace(0, 1, 2**10 + 1)
    assert count_linear_pieces(net, u) == 2**k
    assert sum(layer.W.data.shape[0] for layer in net.layers[:-1:2]) == 2 * k
    tent = lambda v: np.where(v < 0.5, 2 * v, 2 - 2 * v)  # noqa: E731
    expected = u
    for _ in range(k):
        expected = tent(expected)
    assert np.allclose(net(u[:, None])[:, 0], expected, atol=1e-12)


def test_constructions_refuse_bad_sizes():
    with pytest.raises(ValueError, match="n"):
        relu_interpolant(target, 0)
    with pytest.raises(TypeError, match="k"):
        sawtooth_net(2.5)
