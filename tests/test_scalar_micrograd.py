"""micrograd's and the "micrograd from scratch" lecture's code, run on nnedu.scalar.

Each test makes the calls that micrograd's test/test_engine.py, demo.ipynb and trace_graph.ipynb,
and the lecture notebooks of nn-zero-to-hero make, with `from nnedu.scalar import Value`, and
checks the numbers against micrograd 0.1.0 (the dev extra installs it) or against the closed form.
"""

import gc
import math
import random

import pytest

from nnedu.scalar import MLP, Constant, Layer, Neuron, Value, collector_paused
from nnedu.scalar.engine import topological_order

micrograd_engine = pytest.importorskip("micrograd.engine")
micrograd_nn = pytest.importorskip("micrograd.nn")


def graph_nodes(root) -> set:
    """Every node of the graph of `root`, for either engine (micrograd's `_prev` is a set)."""
    seen, stack = {id(root): root}, [root]
    while stack:
        for p in stack.pop()._prev:
            if id(p) not in seen:
                seen[id(p)] = p
                stack.append(p)
    return set(seen.values())


def op_counts(root) -> dict[str, int]:
    counts: dict[str, int] = {}
    for v in graph_nodes(root):
        counts[v._op] = counts.get(v._op, 0) + 1
    return counts


# ------------------------------------------------------------ micrograd's test/test_engine.py
def sanity_check(V):
    x = V(-4.0)
    z = 2 * x + 2 + x
    q = z.relu() + z * x
    h = (z * z).relu()
    y = h + q + q * x
    y.backward()
    return x, y


def more_ops(V, a0=-4.0, b0=2.0):
    a = V(a0)
    b = V(b0)
    c = a + b
    d = a * b + b**3
    c += c + 1
    c += 1 + c + (-a)
    d += d * 2 + (b + a).relu()
    d += 3 * d + (b - a).relu()
    e = c - d
    f = e**2
    g = f / 2.0
    g += 10.0 / f
    g.backward()
    return a, b, g


def test_micrograds_sanity_check_gives_micrograds_numbers_and_graph():
    (x, y), (mx, my) = sanity_check(Value), sanity_check(micrograd_engine.Value)
    assert y.data == my.data == -20.0
    assert x.grad == mx.grad == 46.0  # torch gives 46 too: dy/dx in micrograd's test
    assert op_counts(y) == op_counts(my)


def test_micrograds_more_ops_give_micrograds_numbers_and_graph():
    (a, b, g), (ma, mb, mg) = more_ops(Value), more_ops(micrograd_engine.Value)
    assert g.data == pytest.approx(mg.data, rel=1e-15)
    assert g.data == pytest.approx(24.70408163265306, abs=1e-6)  # micrograd's test: torch
    assert a.grad == pytest.approx(138.83381924198252, abs=1e-6)
    assert b.grad == pytest.approx(645.5772594752186, abs=1e-6)
    assert (a.grad, b.grad) == pytest.approx((ma.grad, mb.grad), rel=1e-14)
    assert op_counts(g) == op_counts(mg)


def test_more_ops_gradient_matches_central_differences():
    def g_of(a0: float, b0: float) -> float:
        return more_ops(Value, a0, b0)[2].data

    a, b, _ = more_ops(Value)
    eps = 1e-6
    assert a.grad == pytest.approx((g_of(-4 + eps, 2) - g_of(-4 - eps, 2)) / (2 * eps), rel=1e-6)
    assert b.grad == pytest.approx((g_of(-4, 2 + eps) - g_of(-4, 2 - eps)) / (2 * eps), rel=1e-6)


# ------------------------------------------------------------ item 1: _backward node by node
def lecture_neuron():
    """The lecture's neuron o = tanh(x1·w1 + x2·w2 + b), built as its cells build it."""
    x1, x2 = Value(2.0, label="x1"), Value(0.0, label="x2")
    w1, w2 = Value(-3.0, label="w1"), Value(1.0, label="w2")
    b = Value(6.8813735870195432, label="b")
    x1w1 = x1 * w1
    x1w1.label = "x1*w1"
    x2w2 = x2 * w2
    x2w2.label = "x2*w2"
    x1w1x2w2 = x1w1 + x2w2
    x1w1x2w2.label = "x1*w1 + x2*w2"
    n = x1w1x2w2 + b
    n.label = "n"
    return locals()


LECTURE_GRADS = {"x1": -1.5, "w1": 1.0, "x2": 0.5, "w2": 0.0, "b": 0.5}


def test_backward_node_by_node_with_underscore_backward_as_in_the_lecture():
    v = lecture_neuron()
    o = v["n"].tanh()
    o.grad = 1.0
    o._backward()
    v["n"]._backward()
    v["b"]._backward()  # a leaf: nothing to pass on
    v["x1w1x2w2"]._backward()
    v["x2w2"]._backward()
    v["x1w1"]._backward()
    assert v["n"].grad == pytest.approx(1 - o.data**2) == pytest.approx(0.5, abs=1e-9)
    assert {k: v[k].grad for k in LECTURE_GRADS} == pytest.approx(LECTURE_GRADS, abs=1e-9)


def test_underscore_backward_adds_to_the_parents_like_micrograds_closure():
    a, b = Value(3.0), Value(-2.0)
    c = a * b
    c.grad = 2.0
    c._backward()
    c._backward()  # micrograd's closures accumulate (+=): twice is twice
    assert (a.grad, b.grad) == (2 * 2.0 * -2.0, 2 * 2.0 * 3.0)


def test_underscore_backward_keeps_the_graph_free_of_reference_cycles():
    gc.collect()
    with collector_paused():
        x = Value(0.5)
        y = (x * 2 - 1).tanh()
        y.backward()
        step = y._backward
        step()
        del y, step
        assert gc.collect() == 0


# ------------------------------------------------------------ item 2: micrograd's constructor
def test_constructor_takes_micrograds_children_op_and_label():
    a, b = Value(2.0, label="a"), Value(3.0, label="b")
    out = Value(a.data + b.data, (a, b), "+", label="out")
    assert (out.data, out._prev, out._op, out.label) == (5.0, (a, b), "+", "out")
    assert not out.is_leaf and a.is_leaf


def test_a_custom_op_built_by_hand_backpropagates_through_its_own_closure():
    """The lecture's way to add an op: a node from the constructor plus its `_backward`."""
    def tanh(self):
        t = (math.exp(2 * self.data) - 1) / (math.exp(2 * self.data) + 1)
        out = Value(t, (self,), "tanh")

        def _backward():
            self.grad += (1 - t**2) * out.grad
        out._backward = _backward
        return out

    v = lecture_neuron()
    o = tanh(v["n"]) * 1.0  # the engine's ops after a hand-made one
    o.backward()
    assert {k: v[k].grad for k in LECTURE_GRADS} == pytest.approx(LECTURE_GRADS, abs=1e-9)


def test_a_node_built_by_hand_without_backward_passes_nothing_as_in_micrograd():
    a = Value(2.0)
    out = Value(4.0, (a,), "double")
    out.backward()
    assert (out.grad, a.grad) == (1.0, 0.0)


@pytest.mark.parametrize(("make", "message"), [
    (lambda: Value(0.5, "w"), r"second argument is micrograd's _children.*label='w'"),
    (lambda: Value(0.5, 3), r"_children must be a tuple of Values, got int"),
    (lambda: Value(0.5, (1.0, 2.0)), r"every child must be a Value, got float 1.0"),
    (lambda: Value(0.5, (), 7), r"_op must be a string"),
    (lambda: Value(0.5, label=1), r"label must be a string, got int 1"),
    (lambda: setattr(Value(1.0), "_backward", 3), r"_backward must be a function"),
])
def test_constructor_refuses_what_micrograd_would_store_silently(make, message):
    with pytest.raises(TypeError, match=message):
        make()


def test_prev_is_an_ordered_tuple_listing_a_node_used_twice_twice():
    a = Value(3.0)
    b = a + a
    b.backward()
    assert b._prev == (a, a) and a.grad == 2.0  # micrograd's set holds a once; grad 2 too


# ------------------------------------------------------------ item 3: repr in full precision
def test_repr_prints_every_digit_as_micrograd_does():
    assert repr(Value(0.1 + 0.2)) == "Value(data=0.30000000000000004, grad=0.0)"
    assert repr(micrograd_engine.Value(0.1 + 0.2)) == "Value(data=0.30000000000000004, grad=0)"
    assert repr(Value(2.0, label="w")) == "Value(data=2.0, grad=0.0, label='w')"


# ------------------------------------------------------------ item 4: the lecture's graphs
def test_subtracting_a_number_adds_its_negative_as_micrograd_builds_it():
    e = Value(2.0)
    d = e - 1
    assert d._op == "+" and d._prev[0] is e
    assert type(d._prev[1]) is Constant and d._prev[1].data == -1.0
    assert len(graph_nodes(d)) == 3  # e, −1, e + (−1): no extra * node


def test_dividing_by_a_number_multiplies_by_its_inverse_as_micrograd_builds_it():
    x = Value(3.0)
    y = x / 2
    assert y._op == "*" and y._prev[1].data == 0.5 and len(graph_nodes(y)) == 3
    z = 10.0 / x  # micrograd: x**-1 * 10
    assert z._op == "*" and z._prev[0]._op == "**-1" and z._prev[1].data == 10.0
    assert z.data == 10.0 * 3.0**-1


def test_tanh_from_exp_builds_the_lectures_graph_with_its_gradients():
    v = lecture_neuron()
    e = (2 * v["n"]).exp()
    o = (e - 1) / (e + 1)
    o.backward()
    # the lecture's picture: 5 inputs and the constants 2, −1, 1; no * node for the "−"
    assert op_counts(o) == {"": 8, "*": 4, "+": 4, "exp": 1, "**-1": 1}
    constants = [c for c in graph_nodes(o) if isinstance(c, Constant)]
    assert sorted(c.data for c in constants) == [-1.0, 1.0, 2.0]
    assert o.data == pytest.approx(math.sqrt(0.5), abs=1e-9)
    assert {k: v[k].grad for k in LECTURE_GRADS} == pytest.approx(LECTURE_GRADS, abs=1e-9)


# ------------------------------------------------------------ item 5: Neuron's surface
def test_neuron_has_micrograds_nonlin_flag_and_repr():
    assert Neuron(2).nonlin is True and repr(Neuron(2)) == "ReLUNeuron(2)"
    linear = Neuron(2, nonlin=False)
    assert linear.nonlin is False and repr(linear) == "LinearNeuron(2)"
    linear.nonlin = True
    assert linear.activation == "relu" and linear([1.0, -1.0]).op == "ReLU"
    tanh = Neuron(3, activation="tanh")
    assert tanh.nonlin is True and repr(tanh) == "TanhNeuron(3)"


def test_mlp_and_layer_print_as_micrograds():
    random.seed(0)
    assert repr(MLP(2, [16, 16, 1])) == repr(micrograd_nn.MLP(2, [16, 16, 1]))
    assert repr(Layer(3, 2, nonlin=False)) == repr(micrograd_nn.Layer(3, 2, nonlin=False))


def test_op_by_op_neuron_builds_trace_graphs_15_nodes():
    random.seed(1337)
    n = Neuron(2, fused=False)
    y = n([Value(1.0), Value(-2.0)])
    random.seed(1337)
    my = micrograd_nn.Neuron(2)([micrograd_engine.Value(1.0), micrograd_engine.Value(-2.0)])
    assert op_counts(y) == op_counts(my) == {"": 5, "*": 2, "+": 2, "ReLU": 1}
    assert y.data == my.data


# ------------------------------------------------------------ micrograd's demo, unchanged
@pytest.mark.parametrize("options", [{}, {"fused": False}, {"fused": False, "paused": True}])
def test_micrograds_demo_gives_micrograds_losses(options):
    from sklearn.datasets import make_moons

    import nnedu.scalar.engine as engine
    import nnedu.scalar.nn as nn
    from nnedu.bench.scalar import _demo_steps

    X, y = make_moons(n_samples=12, noise=0.1, random_state=1)
    y = y * 2 - 1
    ours, _ = _demo_steps(engine, nn, X, y, steps=3, **options)
    theirs, _ = _demo_steps(micrograd_engine, micrograd_nn, X, y, steps=3)
    assert ours == pytest.approx(theirs, rel=1e-14)


# ------------------------------------------------------------ the lecture's MLP and exercises
def test_lectures_mlp_training_loop_runs_and_lowers_the_loss():
    """The second lecture's own Neuron/Layer/MLP classes (tanh, bias drawn too) on nnedu's Value."""
    class LectureNeuron:
        def __init__(self, nin):
            self.w = [Value(random.uniform(-1, 1)) for _ in range(nin)]
            self.b = Value(random.uniform(-1, 1))

        def __call__(self, x):
            return sum((wi * xi for wi, xi in zip(self.w, x)), self.b).tanh()

    random.seed(42)
    sizes = [3, 4, 4, 1]
    layers = [[LectureNeuron(sizes[i]) for _ in range(sizes[i + 1])] for i in range(3)]
    params = [p for layer in layers for n in layer for p in [*n.w, n.b]]

    def net(x):
        for layer in layers:
            x = [n(x) for n in layer]
        return x[0]

    xs = [[2.0, 3.0, -1.0], [3.0, -1.0, 0.5], [0.5, 1.0, 1.0], [1.0, 1.0, -1.0]]
    ys = [1.0, -1.0, -1.0, 1.0]
    losses = []
    for _ in range(20):
        ypred = [net(x) for x in xs]
        loss = sum((yout - ygt) ** 2 for ygt, yout in zip(ys, ypred))
        for p in params:
            p.grad = 0.0
        loss.backward()
        for p in params:
            p.data += -0.1 * p.grad
        losses.append(loss.data)
    assert len(params) == 41
    assert losses[-1] < 0.1 * losses[0]  # measured 0.007 of the first loss with seed 42


def test_exercise_softmax_negative_log_likelihood_gradient_is_p_minus_one_hot():
    """The exercises notebook: logits → softmax → −log p₃; ∂L/∂logitᵢ = pᵢ − [i = 3]."""
    logits = [Value(0.0), Value(3.0), Value(-2.0), Value(1.0)]
    counts = [logit.exp() for logit in logits]
    denominator = sum(counts)
    probs = [c / denominator for c in counts]
    loss = -probs[3].log()
    loss.backward()
    z = [0.0, 3.0, -2.0, 1.0]
    p = [math.exp(zi) / sum(math.exp(zj) for zj in z) for zi in z]
    assert loss.data == pytest.approx(-math.log(p[3]), rel=1e-14)
    assert [v.grad for v in logits] == pytest.approx([p[0], p[1], p[2], p[3] - 1], rel=1e-12)


# ------------------------------------------------------------ collector_paused
def test_collector_paused_pauses_inside_and_restores_even_after_an_error():
    assert gc.isenabled()
    with pytest.raises(ZeroDivisionError), collector_paused():
        assert not gc.isenabled()
        Value(1.0) / 0
    assert gc.isenabled()
    gc.disable()
    try:
        with collector_paused():
            pass
        assert not gc.isenabled()  # a collector the user disabled stays disabled
    finally:
        gc.enable()


def test_topological_order_is_depth_first_parents_in_argument_order():
    a, b = Value(1.0, label="a"), Value(2.0, label="b")
    c = a * b
    d = c + a
    e = d * c
    assert [v.label or v._op for v in topological_order(e)] == ["a", "b", "*", "+", "*"]
