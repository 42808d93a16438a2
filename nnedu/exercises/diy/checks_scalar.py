"""Tasks 1–3: the student's scalar `Value` against central differences, the lecture's worked
examples and `nnedu.scalar.Value`."""

from __future__ import annotations

import math
from types import ModuleType

from nnedu.exercises.diy.checking import TaskError, close, expect, fmt
from nnedu.scalar import Value as NnValue

H = 1e-6

# (how the op is written, the op on Values, its arguments, a hint)
OPS = (
    ("u + v", lambda u, v: u + v, (1.5, -2.0), "∂(u + v)/∂u = 1 and ∂(u + v)/∂v = 1"),
    ("u * v", lambda u, v: u * v, (1.5, -2.0), "∂(u·v)/∂u = v and ∂(u·v)/∂v = u"),
    ("u ** 3", lambda u: u**3, (1.5,), "∂(uᵖ)/∂u = p·u^(p−1)"),
    ("u ** -1", lambda u: u**-1, (-2.0,), "∂(uᵖ)/∂u = p·u^(p−1)"),
    ("u ** 0.5", lambda u: u**0.5, (2.25,), "∂(uᵖ)/∂u = p·u^(p−1), also for p = ½"),
    ("x.exp()", lambda x: x.exp(), (0.7,), "∂eˣ/∂x = eˣ, the node's own value"),
    ("x.log()", lambda x: x.log(), (1.7,), "∂log x/∂x = 1/x"),
    ("x.tanh()", lambda x: x.tanh(), (0.4,), "tanh′(x) = 1 − tanh²(x) = 1 − y²"),
    ("x.sigmoid()", lambda x: x.sigmoid(), (-1.3,), "σ′(x) = σ(x)(1 − σ(x)) = y(1 − y)"),
    ("x.relu()", lambda x: x.relu(), (0.8,), "ReLU′(x) = 1 for x > 0"),
    ("x.relu()", lambda x: x.relu(), (-0.8,), "ReLU′(x) = 0 for x < 0"),
)


def check_local_derivatives(mynn: ModuleType) -> None:
    """Task 1: every op's local_grads = nnedu's = central differences of the op's value."""
    Value = mynn.value.Value
    for written, op, args, hint in OPS:
        where = f"{written} at {', '.join(f'{a:g}' for a in args)}"
        node = op(*(Value(a) for a in args))
        got = node.local_grads
        expect(len(got) == len(node.parents),
               f"{where}: {len(got)} local derivatives for {len(node.parents)} parents; "
               "hint: one ∂z/∂u per parent u, in the order of the parents")
        for g in got:
            expect(isinstance(g, (int, float)) and not isinstance(g, bool),
                   f"{where}: local_grads must hold numbers, got {type(g).__name__} {g!r}; "
                   "hint: use u.data, not the Value u")
        want = op(*(NnValue(a) for a in args)).local_grads
        numeric = tuple(_partial(op, Value, args, i) for i in range(len(args)))
        expect(close(got, want, rtol=1e-9),
               f"{where}: local_grads {fmt(tuple(got))} but expected {fmt(tuple(want))} "
               f"(central differences give {fmt(numeric)}); hint: {hint}")


def _partial(op, Value, args: tuple, i: int) -> float:
    up = [*args]
    down = [*args]
    up[i] += H
    down[i] -= H
    return (op(*(Value(a) for a in up)).data - op(*(Value(a) for a in down)).data) / (2 * H)


def _graph(Value, fan_out: bool = False):
    """The slide's logistic least squares z = wx + b, y = σ(z), L = ½(y − t)² (+ λ·½w²)."""
    w, x, b = Value(1.2), Value(0.7), Value(-0.3)
    t, lam = 1.0, 0.1
    z = w * x + b
    y = z.sigmoid()
    L = 0.5 * (y - t) ** 2
    if fan_out:
        R = 0.5 * w**2
        L = L + lam * R
    return L, (w, x, b)


def _reachable(root) -> dict[int, object]:
    seen, todo = {id(root): root}, [root]
    while todo:
        for parent in todo.pop().parents:
            if id(parent) not in seen:
                seen[id(parent)] = parent
                todo.append(parent)
    return seen


def check_topological_order(mynn: ModuleType) -> None:
    """Task 2: each node of the graph once, every node after its parents, the root last."""
    Value = mynn.value.Value
    order_of = mynn.value.topological_order
    chain = Value(0.5)
    for _ in range(300):
        chain = chain * 1.001 + 0.0
    graphs = [("logistic least squares (slide 'Computation graph (example)')", _graph(Value)[0]),
              ("regularized regression with fan-out", _graph(Value, fan_out=True)[0]),
              ("a chain of 600 nodes", chain)]
    a = Value(0.3)
    graphs.append(("a diamond: a·a + a", a * a + a))
    for name, root in graphs:
        order = order_of(root)
        expect(isinstance(order, list), f"{name}: topological_order returned "
               f"{type(order).__name__}, expected a list of the graph's nodes")
        nodes = _reachable(root)
        position: dict[int, int] = {}
        for i, v in enumerate(order):
            expect(id(v) in nodes, f"{name}: item {i} of the order, {v!r}, is not a node of the "
                   "graph")
            expect(id(v) not in position, f"{name}: {v!r} appears twice (positions "
                   f"{position.get(id(v))} and {i}); hint: remember the nodes already visited")
            position[id(v)] = i
        missing = len(nodes) - len(position)
        expect(missing == 0, f"{name}: the order misses {missing} of the graph's {len(nodes)} "
               "nodes; hint: visit every parent of every node, leaves included")
        for v in order:
            for parent in v.parents:
                expect(position[id(parent)] < position[id(v)],
                       f"{name}: {v!r} (op {v.op!r}) comes before its parent {parent!r}; hint: "
                       "place a node only after all its parents are placed (parents first)")
        expect(order[-1] is root, f"{name}: the order ends with {order[-1]!r}, not the root "
               f"{root!r}")


def check_backward(mynn: ModuleType) -> None:
    """Task 3: the slides' worked examples, nnedu's engine and central differences."""
    Value = mynn.value.Value
    # the worked example: ȳ = y − t, z̄ = ȳσ′(z), w̄ = z̄x, b̄ = z̄
    L, (w, x, b) = _graph(Value)
    L.backward()
    z = 1.2 * 0.7 - 0.3
    y = 1 / (1 + math.exp(-z))
    z_bar = (y - 1.0) * y * (1 - y)
    for name, leaf, want, formula in (("w", w, z_bar * 0.7, "z̄x"), ("b", b, z_bar, "z̄"),
                                      ("x", x, z_bar * 1.2, "z̄w")):
        expect(close(leaf.grad, want, rtol=1e-9),
               f"logistic least squares (slide 'Computation graph (example)'): {name}.grad = "
               f"{fmt(leaf.grad)} but {name}̄ = {formula} = {fmt(want)} with z̄ = (y − t)σ′(z) = "
               f"{fmt(z_bar)}; hint: v̄_N = 1, then for each node from the last to the first add "
               "v̄ · ∂v/∂parent to each parent's grad")
    # fan-out: w feeds z and R, w̄ = z̄x + λw
    L, (w, x, b) = _graph(Value, fan_out=True)
    L.backward()
    from_L, from_R = z_bar * 0.7, 0.1 * 1.2
    expect(close(w.grad, from_L + from_R, rtol=1e-9),
           f"fan-out (slide 'Regularized Regression', L_reg = L + λR, R = ½w²): w.grad = "
           f"{fmt(w.grad)} but w̄ = z̄x + λw = {fmt(from_L)} + {fmt(from_R)} = "
           f"{fmt(from_L + from_R)}; hint: a node with two children gets the sum of both "
           "contributions: parent.grad += …, not =")
    u = Value(1.5)
    square = u * u
    square.backward()
    expect(close(u.grad, 3.0, rtol=1e-12),
           f"u * u at u = 1.5: u.grad = {fmt(u.grad)} but ∂(u·u)/∂u = 2u = 3; hint: u is both "
           "parents of the node, and both contributions add up (+=)")
    # the multivariable chain rule: f = y + exp(xy), x = cos t, y = t²
    t = Value(0.8)
    xt, yt = t.cos(), t**2
    f = yt + (xt * yt).exp()
    f.backward()
    tv = 0.8
    xv, yv = math.cos(tv), tv**2
    want = yv * math.exp(xv * yv) * -math.sin(tv) + (1 + xv * math.exp(xv * yv)) * 2 * tv
    expect(close(t.grad, want, rtol=1e-9),
           f"multivariable chain rule (slide 'Multivariable chain rule', f = y + exp(xy), "
           f"x = cos t, y = t², t = 0.8): t.grad = {fmt(t.grad)} but df/dt = "
           f"(y exp(xy))(−sin t) + (1 + x exp(xy))(2t) = {fmt(want)}; hint: t̄ = x̄ dx/dt + "
           "ȳ dy/dt: every path from t to f contributes")
    # the same call twice gives the same gradients
    L, (w, x, b) = _graph(Value, fan_out=True)
    L.backward()
    first = w.grad
    L.backward()
    expect(close(w.grad, first, rtol=1e-12),
           f"calling backward() twice: w.grad went from {fmt(first)} to {fmt(w.grad)}; hint: "
           "set every node's grad to 0 before backpropagating")
    _check_neuron_against_nnedu(Value)


def _check_neuron_against_nnedu(Value) -> None:
    """A tanh unit with a softmax cross-entropy on three logits: every leaf's grad = nnedu's =
    central differences."""
    numbers = [0.4, -0.7, 0.25, 1.1, -0.3, 0.6, -1.2, 0.9]

    def loss(V, values):
        w1, w2, b, x1, x2, a1, a2, a3 = (V(v) for v in values)
        h = (w1 * x1 + w2 * x2 + b).tanh()
        logits = [a1 * h, a2 * h + h.relu(), a3 * h.sigmoid()]
        exps = [f.exp() for f in logits]
        total = exps[0] + exps[1] + exps[2]
        return -(exps[1] / total).log() + (w1 * w1 + w2 ** 2) * 0.01, (w1, w2, b, x1, x2, a1,
                                                                          a2, a3)

    mine, leaves = loss(Value, numbers)
    mine.backward()
    got = [v.grad for v in leaves]
    theirs, their_leaves = loss(NnValue, numbers)
    theirs.backward()
    want = [v.grad for v in their_leaves]
    numeric = []
    for i in range(len(numbers)):
        up, down = list(numbers), list(numbers)
        up[i] += H
        down[i] -= H
        numeric.append((loss(NnValue, up)[0].data - loss(NnValue, down)[0].data) / (2 * H))
    names = ["w1", "w2", "b", "x1", "x2", "a1", "a2", "a3"]
    for name, g, w_, n in zip(names, got, want, numeric):
        if not close(g, w_, rtol=1e-8):
            raise TaskError(
                f"a tanh unit with softmax cross-entropy: {name}.grad = {fmt(g)} but nnedu "
                f"gives {fmt(w_)} (central differences {fmt(n)}); hint: check the local "
                "derivatives of task 1 on this graph's ops and that backward visits every node")
