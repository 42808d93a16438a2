"""Initializers: the standard deviations the lecture gives, seeding, and use in Linear."""

import numpy as np
import pytest

from nnedu import init, nn

D_IN, D_OUT = 400, 300


def _std(initializer, seed=0):
    return initializer((D_OUT, D_IN), np.random.default_rng(seed)).std()


@pytest.mark.parametrize(("initializer", "sigma"), [
    (init.xavier, 1 / np.sqrt(D_IN)),
    (init.he, np.sqrt(2 / D_IN)),
    (init.slide_relu, 2 / np.sqrt(D_IN)),
    (init.normal(0.01), 0.01),
    (init.uniform(0.5), 0.5 / np.sqrt(3)),
    (init.glorot_uniform, np.sqrt(6 / (D_IN + D_OUT)) / np.sqrt(3)),
])
def test_standard_deviation_is_the_lectures(initializer, sigma):
    assert _std(initializer) == pytest.approx(sigma, rel=0.01)


def test_slide_relu_is_sqrt2_times_he():
    assert _std(init.slide_relu) / _std(init.he) == pytest.approx(np.sqrt(2), rel=1e-12)


def test_constant_makes_every_entry_equal():
    W = init.constant(0.3)((3, 4), np.random.default_rng(0))
    np.testing.assert_array_equal(W, np.full((3, 4), 0.3))


def test_same_generator_seed_gives_same_weights_and_no_global_state():
    np.random.seed(1)
    a = init.he((5, 6), np.random.default_rng(9))
    np.random.seed(2)
    b = init.he((5, 6), np.random.default_rng(9))
    np.testing.assert_array_equal(a, b)


def test_initializers_refuse_global_random_state():
    with pytest.raises(TypeError, match="Generator"):
        init.xavier((2, 2), np.random)


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_linear_uses_the_initializer_by_name_or_function(dtype):
    by_name = nn.Linear(D_IN, D_OUT, init="he", rng=3, dtype=dtype)
    by_function = nn.Linear(D_IN, D_OUT, init=init.he, rng=3, dtype=dtype)
    np.testing.assert_array_equal(by_name.W.data, by_function.W.data)
    assert by_name.W.dtype == dtype and by_name.W.data.std() == pytest.approx(
        np.sqrt(2 / D_IN), rel=0.02)
    assert not by_name.b.data.any()


def test_xavier_keeps_the_variance_of_a_linear_layer():
    g = np.random.default_rng(0)
    x = g.standard_normal((2000, D_IN))
    z = x @ init.xavier((D_OUT, D_IN), g).T
    assert z.var() == pytest.approx(1.0, rel=0.05)


def test_unknown_initializer_lists_the_choices():
    with pytest.raises(ValueError, match="glorot_uniform"):
        nn.Linear(2, 2, init="kaiming")


@pytest.mark.parametrize(("make", "error", "message"), [
    (lambda: init.normal("0.1"), TypeError, "normal: std must be a real number, got str"),
    (lambda: init.normal(0.0), ValueError, "normal: std must be positive"),
    (lambda: init.uniform(float("inf")), ValueError, "uniform: limit must be finite"),
    (lambda: init.constant(None), TypeError, "constant: value must be a real number"),
])
def test_bad_hyperparameters_are_named(make, error, message):
    with pytest.raises(error, match=message):
        make()
