"""Scalar networks: micrograd's layout and defaults, the activations, fused = op by op, errors."""

import math
import random

import pytest

from nnedu.scalar import MLP, Layer, Neuron, Value

OPS = {"relu": "ReLU", "tanh": "tanh", "sigmoid": "σ", "leaky_relu": "LeakyReLU", "elu": "ELU",
       "linear": "wᵀx+b"}


def test_weights_are_micrograds_uniform_draws_neuron_by_neuron_with_zero_biases():
    random.seed(0)
    model = MLP(3, [4, 2, 1])
    random.seed(0)
    draws = [random.uniform(-1, 1) for _ in range(3 * 4 + 4 * 2 + 2 * 1)]
    expected, k = [], 0
    for nin, nout in ((3, 4), (4, 2), (2, 1)):
        for _ in range(nout):  # each neuron: its weights, then its bias
            expected += [*draws[k:k + nin], 0.0]
            k += nin
    assert [p.data for p in model.parameters()] == expected
    assert len(model.parameters()) == 4 * 4 + 2 * 5 + 1 * 3


@pytest.mark.parametrize("activation", sorted(OPS))
def test_hidden_layers_use_the_activation_and_the_output_layer_is_linear(activation):
    random.seed(1)
    model = MLP(2, [3, 1], activation=activation)
    y = model([0.5, -1.5])
    assert isinstance(y, Value) and y.op == "wᵀx+b"  # one output: a single Value, no φ
    hidden = model.layers[0]([0.5, -1.5])
    assert [h.op for h in hidden] == [OPS[activation]] * 3


def test_neuron_computes_phi_of_w_dot_x_plus_b():
    random.seed(2)
    neuron = Neuron(2, activation="tanh")
    neuron.b.data = 0.25
    w1, w2 = (w.data for w in neuron.w)
    assert neuron([0.5, -1.0]).data == pytest.approx(math.tanh(w1 * 0.5 - w2 + 0.25), rel=1e-15)


def test_micrograd_spelling_nonlin_false_is_a_linear_neuron():
    assert Neuron(2, nonlin=False).activation == "linear"
    assert Neuron(2, nonlin=True).activation == "relu"


@pytest.mark.parametrize("activation", sorted(OPS))
def test_fused_affine_nodes_give_the_numbers_of_the_op_by_op_graph(activation):
    losses, grads = [], []
    for fused in (True, False):
        random.seed(3)
        model = MLP(2, [4, 4, 1], activation=activation, fused=fused)
        loss = sum((model([x, 1 - x]) - 0.5) ** 2 for x in (0.1, -0.7, 1.3))
        loss.backward()
        losses.append(loss.data)
        grads.append([p.grad for p in model.parameters()])
    assert losses[0] == losses[1]
    assert grads[0] == pytest.approx(grads[1], rel=1e-12, abs=1e-15)


def test_layer_returns_a_list_for_several_outputs_and_zero_grad_resets_them():
    random.seed(4)
    layer = Layer(2, 3)
    out = layer([1.0, 2.0])
    assert isinstance(out, list) and len(out) == 3
    sum(out).backward()
    layer.zero_grad()
    assert all(p.grad == 0.0 for p in layer.parameters())


@pytest.mark.parametrize(("make", "error", "message"), [
    (lambda: MLP(2, [3, 1], activation="softmax"), ValueError, "unknown activation 'softmax'"),
    (lambda: MLP(2, 16), TypeError, r"nouts must be a list of layer sizes.*got int 16"),
    (lambda: MLP(2, []), ValueError, "nouts is empty"),
    (lambda: MLP(2, [16, 0]), ValueError, r"MLP nouts\[1\] must be positive, got 0"),
    (lambda: MLP(2.5, [1]), TypeError, "MLP nin must be an integer, got float 2.5"),
    (lambda: Neuron("3"), TypeError, "Neuron nin must be an integer, got str"),
    (lambda: Layer(2, 1.5), TypeError, "Layer nout must be an integer"),
    (lambda: MLP(2, [1])([1.0]), ValueError, "expects 2 inputs, got 1"),
    (lambda: MLP(2, [1])([1.0, "a"]), TypeError, "'a'"),
])
def test_bad_arguments_are_named(make, error, message):
    with pytest.raises(error, match=message):
        make()
