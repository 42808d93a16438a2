"""Sequential: composition, the input's gradient on request, modes, and training with Adam."""

import numpy as np
import pytest

from nnedu import nn
from nnedu.gradcheck import check_layer
from nnedu.optim import Adam


def _mlp(dtype=np.float64, seed=0):
    g = np.random.default_rng(seed)
    return nn.Sequential(nn.Linear(2, 8, dtype=dtype, rng=g), nn.Tanh(),
                         nn.Linear(8, 8, dtype=dtype, init="he", rng=g), nn.ReLU(),
                         nn.Dropout(0.2, rng=g), nn.Linear(8, 2, dtype=dtype, rng=g))


def test_layers_keep_their_own_parameters():
    model = _mlp()
    W = model.layers[0].W.data
    assert W.base is None  # not moved into a shared buffer
    assert model.parameters()[0] is model.layers[0].W
    assert sum(p.size for p in model.parameters()) == (2 * 8 + 8) + (8 * 8 + 8) + (8 * 2 + 2)


def test_backward_returns_the_inputs_gradient_only_when_asked():
    model = _mlp().eval()
    y = model(np.ones((3, 2)))
    assert model.backward(np.ones_like(y)) is None  # the data needs no gradient
    x_bar = model.backward(np.ones_like(y), input_grad=True)
    assert x_bar.shape == (3, 2) and np.any(x_bar != 0)


def test_backward_runs_every_layer_in_reverse():
    model = nn.Sequential(nn.Linear(3, 4, rng=1), nn.Sigmoid(), nn.Linear(4, 2, rng=2),
                          nn.ELU())
    errors = check_layer(model, np.random.default_rng(0).standard_normal((5, 3)))
    assert len(errors) == 5 and max(errors.values()) < 1e-7


def test_without_input_grad_parameter_gradients_are_the_same():
    x = np.random.default_rng(0).standard_normal((5, 2))
    a, b = _mlp().eval(), _mlp().eval()
    for model, input_grad in ((a, True), (b, False)):
        model.zero_grad()
        y = model(x)
        x_bar = model.backward(np.ones_like(y), input_grad=input_grad)
        assert (x_bar is None) == (not input_grad)
    for p, q in zip(a.parameters(), b.parameters()):
        np.testing.assert_array_equal(p.grad, q.grad)


def test_train_and_eval_reach_every_layer():
    model = _mlp().eval()
    assert not any(layer.training for layer in model.layers)
    model.train()
    assert all(layer.training for layer in model.layers)
    x = np.ones((4, 2))
    np.testing.assert_array_equal(model.eval()(x), model(x))  # no randomness at test time


def test_mixed_dtypes_are_refused():
    with pytest.raises(ValueError, match="one dtype"):
        nn.Sequential(nn.Linear(2, 3, dtype=np.float32), nn.Linear(3, 1))


def test_a_wrong_input_names_the_layer_that_refused_it():
    model = _mlp()
    model.layers[2] = nn.Linear(7, 8)
    with pytest.raises(ValueError, match=r"layer 2: Linear\(7, 8\).*\(3, 8\).*\(batch, 7\)"):
        model(np.ones((3, 2)))


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_adam_in_the_natural_loop_learns_xor(dtype):
    X = np.array([[0, 0], [0, 1], [1, 0], [1, 1]], dtype=dtype)
    t = np.array([0, 1, 1, 0])
    model = nn.Sequential(nn.Linear(2, 8, dtype=dtype, rng=3), nn.Tanh(),
                          nn.Linear(8, 2, dtype=dtype, rng=4))
    loss = nn.SoftmaxCrossEntropyLoss()
    optimizer = Adam(model.parameters(), lr=0.05)
    for _ in range(300):
        optimizer.zero_grad()
        L = loss(model(X), t)
        model.backward(loss.backward())
        optimizer.step()
    assert L < 0.01
    assert np.array_equal(model(X).argmax(axis=1), t)
    assert all(p.dtype == dtype for p in model.parameters())


def test_float32_network_computes_the_float64_numbers_to_float32_precision():
    x = np.random.default_rng(1).standard_normal((16, 2))
    t = np.random.default_rng(2).integers(0, 2, 16)
    results = {}
    for dtype in (np.float32, np.float64):
        model = _mlp(dtype).eval()
        loss = nn.SoftmaxCrossEntropyLoss()
        model.zero_grad()
        L = loss(model(x.astype(dtype)), t)
        model.backward(loss.backward())
        results[dtype] = (L, [p.grad for p in model.parameters()])
    loss32, grads32 = results[np.float32]
    loss64, grads64 = results[np.float64]
    assert loss32 == pytest.approx(loss64, rel=1e-6)
    for g32, g64 in zip(grads32, grads64):
        np.testing.assert_allclose(g32, g64, rtol=1e-4, atol=1e-6)
