"""The cost of backprop: the multiply-add count of the slide, and the measuring harness."""

import numpy as np
import pytest

from nnedu.bench.cost import CostCurve, measure_cost, mlp, multiply_adds


def test_backward_counts_twice_the_multiply_adds_of_forward():
    forward, backward = multiply_adds(depth=3, width=100, batch=8)
    assert forward == 8 * 3 * 100 * 100
    assert backward == 2 * forward


def test_count_is_linear_in_depth_and_quadratic_in_width():
    base = multiply_adds(depth=2, width=64)[0]
    assert multiply_adds(depth=4, width=64)[0] == 2 * base
    assert multiply_adds(depth=2, width=128)[0] == 4 * base


def test_mlp_has_depth_square_layers_with_or_without_sigmoid():
    rng = np.random.default_rng(0)
    with_sigma, products_only = mlp(3, 5, rng), mlp(3, 5, rng, sigmoid=False)
    assert len(with_sigma) == 6 and len(products_only) == 3
    assert [p.shape for p in products_only.parameters()] == [(5, 5), (5,)] * 3
    out = with_sigma.forward(np.zeros((2, 5)))
    assert out.shape == (2, 5) and np.all((out > 0) & (out < 1))


def test_measure_cost_returns_one_positive_time_per_size():
    curve = measure_cost("depth", [1, 3], width=8, batch=4, repeats=2)
    assert curve.varied == "depth" and list(curve.sizes) == [1, 3]
    assert curve.depth == -1 and curve.width == 8 and curve.batch == 4 and curve.sigmoid
    assert curve.forward.shape == curve.backward.shape == (2,)
    assert np.all(curve.forward > 0) and np.all(curve.backward > 0)
    assert np.allclose(curve.ratio, curve.backward / curve.forward)


@pytest.mark.parametrize(("kwargs", "message"), [
    ({"varied": "height", "sizes": [1]}, "varied must be 'depth' or 'width'"),
    ({"varied": "width", "sizes": []}, "sizes must be positive"),
    ({"varied": "width", "sizes": [4, 0]}, "sizes must be positive"),
    ({"varied": "width", "sizes": [4], "repeats": 0}, "repeats must be at least 1"),
])
def test_measure_cost_rejects_bad_arguments_by_name(kwargs, message):
    with pytest.raises(ValueError, match=message):
        measure_cost(**kwargs)


def test_multiply_adds_rejects_non_positive_sizes():
    with pytest.raises(ValueError, match="width must be a positive integer, got 0"):
        multiply_adds(depth=2, width=0)


def test_exponent_recovers_the_power_of_a_power_law():
    sizes = np.array([64, 128, 256, 512])
    quadratic = CostCurve("width", sizes, 1e-9 * sizes**2.0, 2e-9 * sizes**2.0,
                          depth=2, width=-1, batch=8, sigmoid=True)
    assert quadratic.exponent() == pytest.approx(2.0)
    bent = CostCurve("width", sizes, np.array([5e-4, 5e-4, 1e-3, 4e-3]),
                     np.array([5e-4, 5e-4, 2e-3, 8e-3]), depth=2, width=-1, batch=8, sigmoid=True)
    assert bent.exponent(min_size=256) == pytest.approx(2.0)
    with pytest.raises(ValueError, match="at least two sizes >= 1024"):
        bent.exponent(min_size=1024)
