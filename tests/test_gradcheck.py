"""Gradient checking itself: central differences, the relative error, and catching bugs."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from nnedu import nn
from nnedu.gradcheck import check_layer, check_loss, numerical_gradient, rel_error


def test_central_differences_of_a_quadratic_form_give_2Ax():
    g = np.random.default_rng(0)
    A = g.standard_normal((4, 4))
    A = A + A.T
    x = g.standard_normal(4)
    numeric = numerical_gradient(lambda v: v @ A @ v, x)
    assert rel_error(numeric, 2 * A @ x) < 1e-9


def test_central_differences_are_second_order_accurate():
    x = np.array([0.3])
    errors = [abs(numerical_gradient(lambda v: np.sin(v[0]), x, eps)[0] - np.cos(0.3))
              for eps in (1e-2, 1e-3)]
    assert errors[1] < errors[0] / 50  # O(ε²): 10x smaller ε, ~100x smaller error


def test_numerical_gradient_restores_x():
    x = np.array([[1.0, 2.0], [3.0, 4.0]])
    numerical_gradient(lambda v: float(np.sum(v**3)), x)
    np.testing.assert_array_equal(x, [[1.0, 2.0], [3.0, 4.0]])


@settings(max_examples=50, deadline=None, derandomize=True)
@given(a=st.lists(st.floats(-1e3, 1e3), min_size=1, max_size=5))
def test_rel_error_is_symmetric_zero_for_equal_and_at_most_two(a):
    a = np.array(a)
    b = a[::-1].copy()
    assert rel_error(a, a) == 0.0
    assert rel_error(a, b) == rel_error(b, a) <= 2.0


def test_rel_error_is_not_fooled_by_a_tiny_entry():
    assert rel_error(np.array([1.0, 0.0]), np.array([1.0, 1e-12])) == pytest.approx(1e-12)


@pytest.mark.parametrize("bad", [np.nan, np.inf, -np.inf])
def test_rel_error_of_a_gradient_that_is_not_a_number_is_infinite(bad):
    assert rel_error(np.array([bad, 1.0]), np.array([0.5, 1.0])) == np.inf
    assert rel_error(np.array([0.5, 1.0]), np.array([0.5, bad])) == np.inf


def test_numerical_gradient_refuses_what_it_cannot_perturb_by_name():
    with pytest.raises(TypeError, match=r"x must be a numpy array.*list"):
        numerical_gradient(lambda v: 0.0, [1.0, 2.0])
    with pytest.raises(TypeError, match="floating point, got int64"):
        numerical_gradient(lambda v: 0.0, np.array([1, 2], dtype=np.int64))
    for eps in (0.0, -1e-6, float("nan"), "1e-6"):
        with pytest.raises(ValueError, match="eps must be a positive number"):
            numerical_gradient(lambda v: float(v.sum()), np.array([1.0]), eps)


class _BuggyLinear(nn.Linear):
    """Takes b_bar from the first sample instead of the sum over the batch: a typical bug."""

    def backward(self, z_bar, input_grad=True):
        x_bar = super().backward(z_bar, input_grad)
        self.b.grad -= z_bar.sum(axis=0)
        self.b.grad += z_bar[0]
        return x_bar


def test_check_layer_catches_a_wrong_bias_gradient():
    x = np.random.default_rng(0).standard_normal((4, 3))
    errors = check_layer(_BuggyLinear(3, 2), x)
    assert errors["x"] < 1e-7 and errors["W"] < 1e-7
    assert errors["b"] > 1e-2


def test_check_loss_catches_a_missing_batch_mean():
    class _SumMSE(nn.MSELoss):
        def backward(self):
            return super().backward() * 2  # as if the mean over a batch of 2 were forgotten

    y, t = np.ones((2, 3)), np.zeros((2, 3))
    assert check_loss(nn.MSELoss(), y, t)["y"] < 1e-7
    assert check_loss(_SumMSE(), y, t)["y"] == pytest.approx(0.5)


def test_check_layer_reports_every_parameter_by_name():
    model = nn.Sequential(nn.Linear(2, 3, rng=0), nn.PReLU(), nn.Linear(3, 1, rng=1))
    errors = check_layer(model, np.ones((2, 2)))
    assert set(errors) == {"x", "W", "b", "alpha", "W[3]", "b[4]"}
