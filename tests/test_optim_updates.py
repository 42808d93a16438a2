"""Each optimizer's update against its formula written out by hand, for scalar `Value`s,
separate `Parameter` arrays and `Parameter`s packed into one flat buffer."""

from __future__ import annotations

import math
import random

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from nnedu.nn.parameter import Parameter, flat_view, pack
from nnedu.optim import SGD, Adam, ElementwiseOptimizer, Momentum, Optimizer, RMSProp
from nnedu.scalar import Value

THETA0 = np.array([0.5, -1.0, 2.0, 0.25, -0.75])
GRADS = [np.array([0.1, -0.4, 1.5, 0.0, -2.0]),
         np.array([-0.3, 0.2, 1.0, 0.5, -1.0]),
         np.array([0.05, 0.6, -0.5, 0.0, 3.0])]


def make_params(kind: str) -> list:
    """The 5 numbers of THETA0 as Values, as two separate arrays, or as two packed arrays."""
    if kind == "value":
        return [Value(x) for x in THETA0]
    params = [Parameter(THETA0[:2].copy(), "W"), Parameter(THETA0[2:].reshape(3, 1), "b")]
    if kind == "flat":
        pack(params)
        assert flat_view(params) is not None
    return params


def set_grads(params: list, g: np.ndarray) -> None:
    if isinstance(params[0], Value):
        for p, gi in zip(params, g):
            p.grad = float(gi)
    else:
        params[0].grad[...] = g[:2]
        params[1].grad[...] = g[2:].reshape(3, 1)


def values(params: list) -> np.ndarray:
    if isinstance(params[0], Value):
        return np.array([p.data for p in params])
    return np.concatenate([p.data.ravel() for p in params])


def run(make_optimizer, kind: str) -> list[np.ndarray]:
    params = make_params(kind)
    opt = make_optimizer(params)
    thetas = []
    for g in GRADS:
        set_grads(params, g)
        opt.step()
        thetas.append(values(params))
    return thetas


def sgd_by_hand(lr, momentum=0.0, weight_decay=0.0):
    theta, b, out = THETA0.copy(), np.zeros(5), []
    for g in GRADS:
        g = g + weight_decay * theta
        b = momentum * b + g
        theta = theta - lr * (b if momentum else g)
        out.append(theta)
    return out


def momentum_by_hand(lr, gamma):
    theta, m, out = THETA0.copy(), np.zeros(5), []
    for g in GRADS:
        m = gamma * m + (1 - gamma) * g
        theta = theta - lr * m
        out.append(theta)
    return out


def rmsprop_by_hand(lr, gamma, eps):
    theta, v, out = THETA0.copy(), np.zeros(5), []
    for g in GRADS:
        v = gamma * v + (1 - gamma) * g**2
        theta = theta - lr * g / (np.sqrt(v) + eps)
        out.append(theta)
    return out


def adam_by_hand(lr, beta1, beta2, eps, weight_decay=0.0):
    theta, m, v, out = THETA0.copy(), np.zeros(5), np.zeros(5), []
    for k, g in enumerate(GRADS, start=1):
        g = g + weight_decay * theta
        m = beta1 * m + (1 - beta1) * g
        v = beta2 * v + (1 - beta2) * g**2
        c1, c2 = 1 / (1 - beta1**k), 1 / (1 - beta2**k)
        theta = theta - lr * c1 * m / (np.sqrt(c2 * v) + eps)
        out.append(theta)
    return out


CASES = {
    "sgd": (lambda p: SGD(p, lr=0.1), sgd_by_hand(0.1)),
    "sgd_momentum": (lambda p: SGD(p, lr=0.1, momentum=0.9), sgd_by_hand(0.1, 0.9)),
    "sgd_weight_decay": (lambda p: SGD(p, lr=0.1, momentum=0.5, weight_decay=0.01),
                         sgd_by_hand(0.1, 0.5, 0.01)),
    "momentum": (lambda p: Momentum(p, lr=0.1, gamma=0.9), momentum_by_hand(0.1, 0.9)),
    "rmsprop": (lambda p: RMSProp(p, lr=0.01, gamma=0.99, eps=1e-8),
                rmsprop_by_hand(0.01, 0.99, 1e-8)),
    "rmsprop_large_eps": (lambda p: RMSProp(p, lr=0.05, gamma=0.9, eps=0.1),
                          rmsprop_by_hand(0.05, 0.9, 0.1)),
    "adam": (lambda p: Adam(p, lr=1e-3), adam_by_hand(1e-3, 0.9, 0.999, 1e-8)),
    "adam_all_options": (lambda p: Adam(p, lr=0.1, betas=(0.8, 0.99), eps=0.01, weight_decay=0.1),
                         adam_by_hand(0.1, 0.8, 0.99, 0.01, 0.1)),
}


@pytest.mark.parametrize("kind", ["value", "arrays", "flat"])
@pytest.mark.parametrize("name", list(CASES))
def test_update_matches_formula_by_hand(name: str, kind: str) -> None:
    make_optimizer, expected = CASES[name]
    for got, want in zip(run(make_optimizer, kind), expected):
        np.testing.assert_allclose(got, want, rtol=1e-12, atol=1e-15)


def test_slide_momentum_is_heavy_ball_with_scaled_learning_rate() -> None:
    slide = run(lambda p: Momentum(p, lr=0.1, gamma=0.9), "flat")
    heavy_ball = run(lambda p: SGD(p, lr=0.1 * (1 - 0.9), momentum=0.9), "flat")
    np.testing.assert_allclose(slide, heavy_ball, rtol=1e-12)


def test_adam_first_step_has_length_lr_in_every_coordinate_with_a_gradient() -> None:
    first = run(lambda p: Adam(p, lr=0.01), "arrays")[0]
    step = THETA0 - first
    moved = GRADS[0] != 0
    np.testing.assert_allclose(step[moved], 0.01 * np.sign(GRADS[0][moved]), rtol=1e-6)
    assert np.all(step[~moved] == 0)


def test_flat_update_works_on_the_buffer_in_place() -> None:
    params = make_params("flat")
    buffer = params[0].data.base
    opt = Adam(params, lr=0.1)
    set_grads(params, GRADS[0])
    opt.step()
    assert params[0].data.base is buffer and params[1].data.base is buffer
    np.testing.assert_allclose(buffer, adam_by_hand(0.1, 0.9, 0.999, 1e-8)[0], rtol=1e-12)


def test_rebound_parameter_falls_back_to_per_array_updates() -> None:
    params = make_params("flat")
    opt = SGD(params, lr=0.1, momentum=0.9)
    set_grads(params, GRADS[0])
    opt.step()
    params[0].data = params[0].data.copy()  # no longer a view into the flat buffer
    for g in GRADS[1:]:
        set_grads(params, g)
        opt.step()
    np.testing.assert_allclose(values(params), sgd_by_hand(0.1, 0.9)[-1], rtol=1e-12)


def test_float32_parameters_stay_float32() -> None:
    params = [Parameter(np.ones((3, 2), np.float32)), Parameter(np.zeros(2, np.float32))]
    pack(params)
    opt = Adam(params, lr=0.1)
    for p in params:
        p.grad[...] = 1.0
    opt.step()
    assert all(p.data.dtype == np.float32 for p in params)
    np.testing.assert_allclose(params[1].data, -0.1, rtol=1e-5)


@pytest.mark.parametrize("kind", ["value", "arrays", "flat"])
def test_zero_grad_clears_every_gradient(kind: str) -> None:
    params = make_params(kind)
    opt = SGD(params, lr=0.1)
    set_grads(params, GRADS[0])
    opt.zero_grad()
    grads = [p.grad for p in params] if kind == "value" else [p.grad.ravel() for p in params]
    assert np.all(np.concatenate([np.atleast_1d(g) for g in grads]) == 0)


def test_lr_can_be_changed_between_steps() -> None:
    params = make_params("arrays")
    opt = SGD(params, lr=0.1)
    set_grads(params, GRADS[0])
    opt.step()
    opt.lr = 0.01
    set_grads(params, GRADS[1])
    opt.step()
    np.testing.assert_allclose(values(params), THETA0 - 0.1 * GRADS[0] - 0.01 * GRADS[1])


def test_step_with_a_closure_computes_the_gradient_first_and_returns_the_loss() -> None:
    params = make_params("arrays")
    opt = SGD(params, lr=0.1)

    def closure() -> float:
        set_grads(params, GRADS[0])
        return 1.5

    assert opt.step(closure) == 1.5
    assert opt.step() is None
    np.testing.assert_allclose(values(params), THETA0 - 0.2 * GRADS[0])


def test_an_optimizer_must_define_its_update() -> None:
    class NoUpdate(ElementwiseOptimizer):
        pass

    class NoStep(Optimizer):
        pass

    for incomplete in (NoUpdate, NoStep):
        with pytest.raises(TypeError, match="abstract"):
            incomplete([Parameter([1.0])], lr=0.1)


def test_scalar_mlp_loss_falls_with_adam() -> None:
    from nnedu.scalar import MLP

    rng = np.random.default_rng(0)
    X, t = rng.normal(size=(8, 2)), rng.normal(size=8)
    random.seed(0)  # MLP draws its weights from the random module, as micrograd's does
    model = MLP(2, [4, 1], activation="tanh")
    opt = Adam(model.parameters(), lr=0.05)
    losses = []
    for _ in range(30):
        opt.zero_grad()
        loss = sum(((model(list(x)) - float(ti)) ** 2 for x, ti in zip(X, t)), Value(0.0))
        loss.backward()
        opt.step()
        losses.append(loss.data)
    assert losses[-1] < 0.5 * losses[0]


@pytest.mark.parametrize(("make", "message"), [
    (lambda: SGD([], lr=0.1), "empty"),
    (lambda: SGD([Parameter([1.0])], lr=-1.0), "lr"),
    (lambda: SGD([Parameter([1.0])], lr=math.nan), "lr"),
    (lambda: SGD([Parameter([1.0])], lr=0.1, momentum=1.0), "momentum"),
    (lambda: Adam([Parameter([1.0])], betas=(0.9,)), "betas"),
    (lambda: Adam([Parameter([1.0])], betas=(0.9, 1.5)), "betas"),
    (lambda: RMSProp([Parameter([1.0])], eps=-1.0), "eps"),
    (lambda: SGD([Value(1.0), Parameter([1.0])], lr=0.1), "mixes"),
    (lambda: SGD([1.0], lr=0.1), "no .data/.grad"),
    (lambda: Adam([p := Parameter([1.0]), Parameter([2.0]), p]), "parameter 2 is parameter 0"),
])
def test_bad_arguments_raise_clear_errors(make, message: str) -> None:
    with pytest.raises((ValueError, TypeError), match=message):
        make()


finite = st.floats(-1e3, 1e3, allow_nan=False, allow_infinity=False)


@settings(max_examples=40, deadline=None)
@given(theta0=st.lists(finite, min_size=5, max_size=5),
       grads=st.lists(st.lists(finite, min_size=5, max_size=5), min_size=1, max_size=4),
       name=st.sampled_from(sorted(CASES)))
def test_values_separate_arrays_and_flat_buffer_take_identical_steps(theta0, grads,
                                                                     name) -> None:
    make_optimizer = CASES[name][0]
    results = []
    for kind in ("value", "arrays", "flat"):
        params = make_params(kind)
        if kind == "value":
            for p, x in zip(params, theta0):
                p.data = x
        else:
            params[0].data[...] = theta0[:2]
            params[1].data[...] = np.reshape(theta0[2:], (3, 1))
        opt = make_optimizer(params)
        for g in grads:
            set_grads(params, np.array(g))
            opt.step()
        results.append(values(params))
    np.testing.assert_allclose(results[0], results[1], rtol=1e-12, atol=1e-12)
    np.testing.assert_allclose(results[1], results[2], rtol=1e-12, atol=1e-12)
