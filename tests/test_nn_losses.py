"""Losses of nnedu.nn: values from their formulas, gradients, stability, label checks."""

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from nnedu import nn
from nnedu.gradcheck import check_loss

TOL = 1e-7
rng = np.random.default_rng(0)
Y = rng.standard_normal((5, 3))


def _labels(kind, shape, seed=1):
    g = np.random.default_rng(seed)
    if kind == "pm1":
        return g.choice([-1.0, 1.0], shape)
    if kind == "01":
        return g.choice([0.0, 1.0], shape)
    if kind == "class":
        return g.integers(0, shape[1], shape[0])
    if kind == "onehot":
        return np.eye(shape[1])[g.integers(0, shape[1], shape[0])]
    return g.standard_normal(shape)


LOSSES = {
    "MSELoss": (nn.MSELoss, "real"),
    "GaussianNLLLoss fixed": (lambda: nn.GaussianNLLLoss(sigma=0.5), "real"),
    "GaussianNLLLoss learned": (lambda: nn.GaussianNLLLoss(sigma=0.8, learn_sigma=True), "real"),
    "HingeLoss": (nn.HingeLoss, "pm1"),
    "BCEWithLogitsLoss": (nn.BCEWithLogitsLoss, "01"),
    "SoftmaxCrossEntropyLoss labels": (nn.SoftmaxCrossEntropyLoss, "class"),
    "SoftmaxCrossEntropyLoss one-hot": (nn.SoftmaxCrossEntropyLoss, "onehot"),
}


@pytest.mark.parametrize("name", LOSSES)
def test_every_loss_backward_matches_central_differences(name):
    make, kind = LOSSES[name]
    errors = check_loss(make(), Y, _labels(kind, Y.shape))
    assert max(errors.values()) < TOL, errors


@settings(max_examples=30, deadline=None, derandomize=True)
@given(name=st.sampled_from(sorted(LOSSES)), batch=st.integers(1, 6), width=st.integers(2, 5),
       scale=st.floats(0.1, 5), seed=st.integers(0, 2**16))
def test_every_loss_backward_for_any_batch(name, batch, width, scale, seed):
    make, kind = LOSSES[name]
    y = scale * np.random.default_rng(seed).standard_normal((batch, width))
    if kind == "pm1":  # keep margins away from the hinge's kink at t·f = 1
        y = np.where(np.abs(np.abs(y) - 1) < 1e-3, 0.5, y)
    errors = check_loss(make(), y, _labels(kind, y.shape, seed + 1))
    assert max(errors.values()) < TOL, errors


def test_mse_is_the_batch_mean_of_half_squared_norms():
    y, t = np.array([[1.0, 2.0], [0.0, 0.0]]), np.array([[0.0, 0.0], [3.0, 0.0]])
    loss = nn.MSELoss()
    assert loss(y, t) == pytest.approx((0.5 * 5 + 0.5 * 9) / 2)
    np.testing.assert_allclose(loss.backward(), (y - t) / 2)


def test_gaussian_nll_with_unit_sigma_is_mse_plus_a_constant():
    t = _labels("real", Y.shape)
    mse = nn.MSELoss()(Y, t)
    nll = nn.GaussianNLLLoss(sigma=1.0)(Y, t)
    assert nll == pytest.approx(mse + 3 * 0.5 * math.log(2 * math.pi))


def test_learned_sigma_moves_towards_the_residual_spread():
    t = Y + 0.1 * _labels("real", Y.shape)  # residuals of spread ≈ 0.1
    loss = nn.GaussianNLLLoss(sigma=1.0, learn_sigma=True)
    loss(Y, t)
    loss.backward()
    assert loss.log_sigma.grad > 0  # gradient descent lowers σ towards the residuals' spread


def test_hinge_loss_sums_margins_over_outputs():
    f, t = np.array([[0.5, -2.0], [2.0, 0.0]]), np.array([[1, -1], [1, 1]])
    loss = nn.HingeLoss()
    assert loss(f, t) == pytest.approx((0.5 + 0 + 0 + 1) / 2)
    np.testing.assert_allclose(loss.backward(), [[-0.5, 0], [0, -0.5]])


def test_hinge_loss_rejects_zero_one_labels_with_a_hint():
    with pytest.raises(ValueError, match=r"2 \* t − 1"):
        nn.HingeLoss()(np.zeros((2, 1)), np.array([[0], [1]]))


def test_bce_with_logits_equals_cross_entropy_of_the_sigmoid():
    f, c = np.array([[0.3], [-1.2], [2.0]]), np.array([[1.0], [0.0], [1.0]])
    p = 1 / (1 + np.exp(-f))
    expected = np.mean(-c * np.log(p) - (1 - c) * np.log(1 - p))
    assert nn.BCEWithLogitsLoss()(f, c) == pytest.approx(expected)


def test_bce_rejects_plus_minus_one_labels_with_a_hint():
    with pytest.raises(ValueError, match=r"\(t \+ 1\) / 2"):
        nn.BCEWithLogitsLoss()(np.zeros((2, 1)), np.array([[-1], [1]]))


def test_softmax_cross_entropy_labels_and_one_hot_agree():
    t = _labels("class", Y.shape)
    a, b = nn.SoftmaxCrossEntropyLoss(), nn.SoftmaxCrossEntropyLoss()
    assert a(Y, t) == pytest.approx(b(Y, np.eye(3)[t]))
    np.testing.assert_allclose(a.backward(), b.backward())


def test_softmax_cross_entropy_of_equal_logits_is_log_C():
    assert nn.SoftmaxCrossEntropyLoss()(np.zeros((4, 10)), np.arange(4)) == pytest.approx(
        math.log(10))


def test_softmax_cross_entropy_rejects_out_of_range_and_float_labels():
    loss = nn.SoftmaxCrossEntropyLoss()
    with pytest.raises(ValueError, match=r"0 … 2"):
        loss(np.zeros((2, 3)), np.array([0, 3]))
    with pytest.raises(ValueError, match="astype"):
        loss(np.zeros((2, 3)), np.array([0.0, 1.0]))


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize("name", LOSSES)
def test_no_overflow_nan_or_warning_for_logits_of_1e4(name, dtype):
    make, kind = LOSSES[name]
    y = np.array([[1e4, -1e4, 0.0], [-1e4, 1e4, 1e4]], dtype=dtype)
    t = _labels(kind, y.shape)
    loss = make()
    with np.errstate(over="raise", invalid="raise", divide="raise"):
        value = loss(y, t)
        y_bar = loss.backward()
    assert math.isfinite(value) and np.all(np.isfinite(y_bar))
    assert y_bar.dtype == dtype


def test_confident_and_right_costs_nothing_confident_and_wrong_costs_the_margin():
    f = np.array([[1e4], [-1e4]])
    bce = nn.BCEWithLogitsLoss()
    assert bce(f, np.array([[1.0], [0.0]])) == 0.0
    assert bce(f, np.array([[0.0], [1.0]])) == pytest.approx(1e4)
    ce = nn.SoftmaxCrossEntropyLoss()
    assert ce(np.array([[1e4, -1e4]]), np.array([1])) == pytest.approx(2e4)


def test_targets_of_the_wrong_shape_are_an_error_not_a_broadcast():
    with pytest.raises(ValueError, match=r"\(4,\).*\(4, 1\)"):
        nn.MSELoss()(np.zeros((4, 1)), np.zeros(4))


def test_backward_before_forward_is_an_error():
    with pytest.raises(RuntimeError, match="before forward"):
        nn.MSELoss().backward()


@pytest.mark.parametrize("name", [n for n in LOSSES if "labels" not in n])
def test_missing_values_in_the_targets_are_named(name):
    make, kind = LOSSES[name]
    t = _labels(kind, Y.shape).astype(float)
    t[2, 1] = np.nan
    with pytest.raises(ValueError, match=r"targets t contain 1 non-finite values \(first: nan\)"):
        make()(Y, t)


def test_non_numeric_targets_are_named_not_a_numpy_conversion_error():
    with pytest.raises(ValueError, match=r"MSELoss\(\): targets t must be numeric, got dtype <U1"):
        nn.MSELoss()(np.zeros((1, 1)), np.array([["a"]]))


def test_a_nan_output_gives_a_nan_hinge_loss_not_zero():
    """The training loop recognizes divergence by a non-finite loss: a NaN must not vanish."""
    f, t = np.array([[np.nan], [0.5]]), np.array([[1.0], [1.0]])
    assert math.isnan(nn.HingeLoss()(f, t))


@pytest.mark.parametrize(("sigma", "error", "message"), [
    ("1", TypeError, "sigma must be a real number, got str"),
    (float("inf"), ValueError, "sigma must be finite"),
    (0.0, ValueError, "sigma must be positive"),
])
def test_gaussian_nll_names_a_bad_sigma(sigma, error, message):
    with pytest.raises(error, match=message):
        nn.GaussianNLLLoss(sigma=sigma)
