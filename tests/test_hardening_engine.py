"""The backward pass never ends silently with a NaN or infinite gradient: an error signal that
is not finite raises an OverflowError naming the node, its op and the values."""

from __future__ import annotations

import math

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from nnedu.scalar.engine import Value, topological_order


def test_inf_times_a_zero_relu_slope_is_refused_not_a_nan_gradient() -> None:
    x, a = Value(-1.0, label="x"), Value(1e300, label="a")
    with pytest.raises(OverflowError, match=r"error signal of a node \(op 'ReLU', value 0\) is "
                                            r"inf.*\* node: 1e\+300 · 1e\+300 = inf"):
        (x.relu() * a * a).backward()
    assert not math.isnan(x.grad)


def test_an_overflowing_leaf_gradient_is_refused_with_the_leaf_named() -> None:
    a, b = Value(1e300, label="a"), Value(1e-300, label="b")
    with pytest.raises(OverflowError, match=r"error signal of 'b' \(an input, value 1e-300\) is "
                                            "inf"):
        ((a * b) * a).backward()


def test_finite_graphs_backpropagate_as_before() -> None:
    w, x, b = Value(0.5, label="w"), Value(1.5, label="x"), Value(0.1, label="b")
    L = ((w * x + b).sigmoid() - 1.0) ** 2
    L.backward()
    assert all(math.isfinite(v.grad) for v in topological_order(L))


OPS = ["+", "*", "-", "relu", "tanh", "sigmoid", "square"]


def apply(op: str, a: Value, b: Value) -> Value:
    if op == "+":
        return a + b
    if op == "*":
        return a * b
    if op == "-":
        return a - b
    return a**2 if op == "square" else getattr(a, op)()
EXTREME = st.one_of(st.floats(-1e300, 1e300, allow_nan=False),
                    st.sampled_from([1e300, -1e300, 1e-300, 1e200, 1e154, 0.0, -1.0, 1.0]))


@settings(max_examples=400, deadline=None)
@given(inputs=st.lists(EXTREME, min_size=2, max_size=5),
       steps=st.lists(st.tuples(st.sampled_from(OPS), st.integers(0, 10**6),
                                st.integers(0, 10**6)), min_size=1, max_size=12))
def test_random_fan_out_graphs_end_with_finite_gradients_or_an_overflow_error(inputs,
                                                                             steps) -> None:
    nodes = [Value(x, label=f"x{i}") for i, x in enumerate(inputs)]
    try:
        for op, i, j in steps:  # every node may be used many times: fan-out everywhere
            a, b = nodes[i % len(nodes)], nodes[j % len(nodes)]
            nodes.append(apply(op, a, b))
    except OverflowError:  # the forward pass refuses it already
        assume(False)
    root = nodes[-1]
    try:
        root.backward()
    except OverflowError as error:
        assert "error signal of" in str(error) and "value" in str(error)
    else:
        assert all(math.isfinite(v.grad) for v in topological_order(root))
