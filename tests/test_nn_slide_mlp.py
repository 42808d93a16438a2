"""The slide's MLP: its line-for-line equations = the layer classes = the scalar engine."""

import numpy as np
import pytest

from nnedu import nn
from nnedu.gradcheck import numerical_gradient, rel_error
from nnedu.nn import slide_mlp
from nnedu.scalar import Value
from nnedu.scalar.engine import affine

D, H, K, N = 4, 5, 3, 6


@pytest.fixture
def weights():
    g = np.random.default_rng(42)
    return {"W1": g.standard_normal((H, D)), "b1": g.standard_normal(H),
            "W2": g.standard_normal((K, H)), "b2": g.standard_normal(K)}


@pytest.fixture
def batch():
    g = np.random.default_rng(7)
    return g.standard_normal((N, D)), g.standard_normal((N, K))


def _scalar_loss_and_grads(x, t, weights):
    """The same network built of scalar `Value`s: unit by unit, σ on the hidden layer."""
    W1 = [[Value(w) for w in row] for row in weights["W1"]]
    b1 = [Value(b) for b in weights["b1"]]
    W2 = [[Value(w) for w in row] for row in weights["W2"]]
    b2 = [Value(b) for b in weights["b2"]]
    h = [affine(W1[i], list(x), b1[i]).sigmoid() for i in range(H)]
    y = [affine(W2[k], h, b2[k]) for k in range(K)]
    L = sum(((y[k] - float(t[k])) ** 2 for k in range(K)), Value(0.0)) * 0.5
    L.backward()

    def grads(rows):
        return np.array([[v.grad for v in row] for row in rows])

    return L.data, {"W1_bar": grads(W1), "b1_bar": np.array([v.grad for v in b1]),
                    "W2_bar": grads(W2), "b2_bar": np.array([v.grad for v in b2])}


def test_one_vector_equals_the_scalar_engine(weights, batch):
    x, t = batch[0][0], batch[1][0]
    fwd = slide_mlp.forward(x, t, **weights)
    grads = slide_mlp.backward(x, t, **weights, fwd=fwd)
    L, scalar = _scalar_loss_and_grads(x, t, weights)
    assert rel_error(fwd.L, L) < 1e-10
    for name, value in grads._asdict().items():
        assert rel_error(value, scalar[name]) < 1e-10, name


def test_minibatch_is_the_mean_of_the_vector_version(weights, batch):
    X, T = batch
    fwd = slide_mlp.forward_batch(X, T, **weights)
    grads = slide_mlp.backward_batch(X, T, **weights, fwd=fwd)
    per_sample = [slide_mlp.backward(x, t, **weights, fwd=slide_mlp.forward(x, t, **weights))
                  for x, t in zip(X, T)]
    losses = [slide_mlp.forward(x, t, **weights).L for x, t in zip(X, T)]
    assert rel_error(fwd.L, np.mean(losses)) < 1e-12
    for name, value in grads._asdict().items():
        mean = np.mean([getattr(g, name) for g in per_sample], axis=0)
        assert rel_error(value, mean) < 1e-12, name


def test_minibatch_equals_the_scalar_engine(weights, batch):
    X, T = batch
    grads = slide_mlp.backward_batch(X, T, **weights,
                                     fwd=slide_mlp.forward_batch(X, T, **weights))
    scalar = [_scalar_loss_and_grads(x, t, weights)[1] for x, t in zip(X, T)]
    for name, value in grads._asdict().items():
        mean = np.mean([s[name] for s in scalar], axis=0)
        assert rel_error(value, mean) < 1e-10, name


def test_layer_classes_give_the_slides_numbers(weights, batch):
    X, T = batch
    first, second = nn.Linear(D, H), nn.Linear(H, K)
    model = nn.Sequential(first, nn.Sigmoid(), second)
    first.W.data[...], first.b.data[...] = weights["W1"], weights["b1"]
    second.W.data[...], second.b.data[...] = weights["W2"], weights["b2"]
    loss = nn.MSELoss()
    L = loss(model(X), T)
    model.zero_grad()
    model.backward(loss.backward())
    fwd = slide_mlp.forward_batch(X, T, **weights)
    grads = slide_mlp.backward_batch(X, T, **weights, fwd=fwd)
    assert rel_error(L, fwd.L) < 1e-10
    for ours, theirs in [(first.W.grad, grads.W1_bar), (first.b.grad, grads.b1_bar),
                         (second.W.grad, grads.W2_bar), (second.b.grad, grads.b2_bar)]:
        assert rel_error(ours, theirs) < 1e-10


def test_slide_backward_matches_central_differences(weights, batch):
    X, T = batch
    grads = slide_mlp.backward_batch(X, T, **weights,
                                     fwd=slide_mlp.forward_batch(X, T, **weights))
    for name in ("W1", "b1", "W2", "b2"):
        numeric = numerical_gradient(
            lambda _: slide_mlp.forward_batch(X, T, **weights).L, weights[name])
        assert rel_error(getattr(grads, f"{name}_bar"), numeric) < 1e-7, name


def test_weight_gradients_are_outer_products(weights, batch):
    x, t = batch[0][0], batch[1][0]
    fwd = slide_mlp.forward(x, t, **weights)
    grads = slide_mlp.backward(x, t, **weights, fwd=fwd)
    assert np.linalg.matrix_rank(grads.W1_bar) == 1 and np.linalg.matrix_rank(grads.W2_bar) == 1
    np.testing.assert_allclose(grads.W2_bar, np.outer(fwd.y - t, fwd.h))


def test_mismatched_shapes_are_named_instead_of_broadcast(weights, batch):
    X, T = batch
    with pytest.raises(ValueError, match=r"slide_mlp: t has shape \(6, 2\).*t: \(N, K\)"):
        slide_mlp.forward_batch(X, T[:, :2], **weights)  # would broadcast into a wrong loss
    with pytest.raises(ValueError, match=r"slide_mlp: x has shape \(3,\).*x: \(D,\)"):
        slide_mlp.forward(X[0, :3], T[0], **weights)
    with pytest.raises(ValueError, match=r"slide_mlp: W2 has shape \(5, 3\)"):
        slide_mlp.forward(X[0], T[0], **{**weights, "W2": weights["W2"].T})
