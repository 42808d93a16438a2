"""The op table: one entry per op, read by the formula language, the networks, the drawings."""

import math
import random
import re
from pathlib import Path

import pytest

from nnedu.scalar import MLP, Neuron, Value, ops
from nnedu.scalar.engine import node
from nnedu.viz import backprop_trace, draw_graph, formula
from nnedu.viz.graph import label_text

ROOT = Path(__file__).resolve().parents[1]


def softplus(x: Value) -> Value:
    """y = log(1 + eˣ), ∂y/∂x = σ(x): a new op, built with the engine's public `node`."""
    return node(math.log1p(math.exp(x.data)), "softplus", (x,), (1 / (1 + math.exp(-x.data)),))


@pytest.fixture
def with_softplus():
    op = ops.register(ops.function("softplus", softplus, derivative="σ({x})", activation=True))
    yield op
    ops.unregister("softplus")


def test_every_function_of_the_table_builds_nodes_with_its_own_symbol():
    for name, op in ops.functions().items():
        y = op.method(Value(0.3))
        assert y.op == op.symbol, name
        assert len(y.local_grads) == 1


def test_every_function_of_the_table_has_the_derivative_its_node_stores():
    for name, op in ops.functions().items():
        x = 0.3
        y = op.method(Value(x))
        h = 1e-6
        numeric = (op.method(Value(x + h)).data - op.method(Value(x - h)).data) / (2 * h)
        assert y.local_grads[0] == pytest.approx(numeric, rel=1e-6, abs=1e-8), name


def test_a_registered_op_is_a_function_of_the_formula_language(with_softplus):
    L = formula("z = w*x; L = softplus(z)", w=0.5, x=2.0)
    assert L.op == "softplus"
    assert L.data == pytest.approx(math.log1p(math.e))
    trace = backprop_trace(L)
    assert trace["z"].backward_text().startswith("z̄ = L̄·σ(z) = ")


def test_a_registered_activation_is_an_activation_of_the_networks(with_softplus):
    random.seed(0)
    n = Neuron(2, activation="softplus")
    y = n([1.0, -2.0])
    assert y.op == "softplus"
    assert repr(n) == "SoftplusNeuron(2)"
    model = MLP(2, [3, 1], activation="softplus")
    assert [n.activation for n in model.layers[0].neurons] == ["softplus"] * 3
    assert Value(0.0).softplus().data == pytest.approx(math.log(2))  # a method of Value too


def test_a_registered_activation_appears_in_both_graph_views(with_softplus):
    random.seed(1)
    model = MLP(2, [3, 1], activation="softplus")
    loss = (model([0.5, -1.0]) - 1.0) ** 2
    loss.backward()
    full = draw_graph(loss, edge_grads=True).dot
    assert full.count("label=<softplus>") == 3  # one op circle per neuron
    assert "·σ(v" in label_text(full)  # the edge terms v̄ⱼ·σ(z) use the registered derivative
    collapsed = draw_graph(loss, collapse=True).dot
    assert "3 × softplus(w<sup>T</sup>x + b)" in collapsed  # the layer node names φ


def test_an_unregistered_activation_is_refused_by_the_networks():
    with pytest.raises(ValueError, match="unknown activation 'softplus'"):
        Neuron(2, activation="softplus")


def test_registering_an_op_twice_is_refused(with_softplus):
    with pytest.raises(ValueError, match="registered already"):
        ops.register(ops.function("softplus", softplus, derivative="σ({x})"))


def test_viz_reads_only_the_engines_public_attributes():
    private = re.compile(r"\._(prev|op|local_grads)\b")
    for path in (ROOT / "nnedu" / "viz").glob("*.py"):
        code = "\n".join(line for line in path.read_text().splitlines()
                         if not line.lstrip().startswith("#"))
        assert not private.search(code.replace("`_prev`", "")), path.name
