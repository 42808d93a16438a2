"""The scalar engine, checked op by op against central differences and the lecture's examples."""

import math
import random

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from nnedu.scalar import MLP, Value, topological_order
from nnedu.scalar.engine import affine

EPS = 1e-6


def central_difference(f, *xs: float, i: int) -> float:
    """∂f/∂xᵢ ≈ (f(…, xᵢ + ε, …) − f(…, xᵢ − ε, …)) / 2ε on plain floats."""
    up = list(xs)
    down = list(xs)
    up[i] += EPS
    down[i] -= EPS
    return (f(*up) - f(*down)) / (2 * EPS)


def engine_gradient(f, *xs: float) -> list[float]:
    leaves = [Value(x) for x in xs]
    f(*leaves).backward()
    return [v.grad for v in leaves]


def assert_matches_finite_differences(f, *xs: float, tol: float = 1e-6) -> None:
    grads = engine_gradient(lambda *vs: f(*vs), *xs)
    for i, grad in enumerate(grads):
        numeric = central_difference(lambda *a: f(*(Value(x) for x in a)).data, *xs, i=i)
        assert grad == pytest.approx(numeric, rel=tol, abs=tol), f"∂f/∂x{i}"


moderate = st.floats(-3, 3, allow_nan=False)
positive = st.floats(0.1, 5, allow_nan=False)
away_from_kink = moderate.filter(lambda x: abs(x) > 1e-3)

UNARY_OPS = {
    "exp": (lambda v: v.exp(), moderate),
    "log": (lambda v: v.log(), positive),
    "tanh": (lambda v: v.tanh(), moderate),
    "sin": (lambda v: v.sin(), moderate),
    "cos": (lambda v: v.cos(), moderate),
    "sigmoid": (lambda v: v.sigmoid(), moderate),
    "relu": (lambda v: v.relu(), away_from_kink),
    "leaky_relu": (lambda v: v.leaky_relu(0.1), away_from_kink),
    "elu": (lambda v: v.elu(1.5), away_from_kink),
    "neg": (lambda v: -v, moderate),
    "square": (lambda v: v**2, moderate),
    "cube": (lambda v: v**3, moderate),
    "sqrt": (lambda v: v**0.5, positive),
    "reciprocal": (lambda v: 1 / v, positive),
    "rsub": (lambda v: 1 - v, moderate),
    "rmul": (lambda v: 2 * v, moderate),
    "sub_number": (lambda v: v - 1.5, moderate),  # v + (−1.5), as micrograd builds it
    "div_number": (lambda v: v / 2.5, moderate),  # v · 0.4
    "rdiv_number": (lambda v: 3 / v, positive),  # v⁻¹ · 3
}


@pytest.mark.parametrize("name", sorted(UNARY_OPS))
def test_unary_op_gradient_matches_central_differences(name):
    op, domain = UNARY_OPS[name]

    @settings(max_examples=30, deadline=None)
    @given(domain)
    def check(x):
        assert_matches_finite_differences(op, x)

    check()


BINARY_OPS = {
    "add": (lambda a, b: a + b, moderate, moderate),
    "sub": (lambda a, b: a - b, moderate, moderate),
    "mul": (lambda a, b: a * b, moderate, moderate),
    "div": (lambda a, b: a / b, moderate, positive),
    "pow_value_exponent": (lambda a, b: a**b, positive, moderate),
}


@pytest.mark.parametrize("name", sorted(BINARY_OPS))
def test_binary_op_gradient_matches_central_differences(name):
    op, left, right = BINARY_OPS[name]

    @settings(max_examples=30, deadline=None)
    @given(left, right)
    def check(a, b):
        assert_matches_finite_differences(op, a, b)

    check()


def test_affine_node_equals_chain_of_mul_and_add_to_the_last_bit():
    rng = random.Random(0)
    w = [Value(rng.uniform(-1, 1)) for _ in range(7)]
    x = [Value(rng.uniform(-1, 1)) for _ in range(7)]
    b = Value(0.3)
    fused = affine(w, x, b)
    chained = sum((wi * xi for wi, xi in zip(w, x)), b)
    assert fused.data == chained.data
    fused.backward()
    fused_grads = [v.grad for v in (*w, *x, b)]
    for v in (*w, *x, b):
        v.grad = 0.0
    chained.backward()
    assert fused_grads == [v.grad for v in (*w, *x, b)]


@st.composite
def expression_graphs(draw):
    """A random expression over three inputs in which nodes are reused (fan-out)."""
    program = draw(st.lists(st.tuples(st.sampled_from("+*-t"), st.integers(0, 99),
                                      st.integers(0, 99)), min_size=1, max_size=12))
    inputs = draw(st.lists(st.floats(-1.5, 1.5), min_size=3, max_size=3))
    return program, inputs


def run_program(program, leaves):
    nodes = list(leaves)
    for op, i, j in program:
        a, b = nodes[i % len(nodes)], nodes[j % len(nodes)]
        nodes.append({"+": a + b, "*": a * b, "-": a - b, "t": (a * b).tanh()}[op])
    return nodes[-1] * nodes[-1] + nodes[0] * nodes[-1]  # more fan-out at the end


@settings(max_examples=60, deadline=None)
@given(expression_graphs())
def test_random_graphs_with_fan_out_match_central_differences(graph):
    program, inputs = graph
    scale = max(1.0, abs(run_program(program, [Value(x) for x in inputs]).data))
    f = lambda *vs: run_program(program, vs)  # noqa: E731
    grads = engine_gradient(f, *inputs)
    for i, grad in enumerate(grads):
        numeric = central_difference(lambda *a: f(*(Value(x) for x in a)).data, *inputs, i=i)
        assert grad == pytest.approx(numeric, rel=1e-5, abs=1e-6 * scale)


# ------------------------------------------------------------------ the lecture's examples
def sigma(x: float) -> float:
    return 1 / (1 + math.exp(-x))


def test_logistic_least_squares_matches_the_hand_derivation():
    """L = ½(σ(wx + b) − t)²  ⇒  ∂L/∂w = (σ(wx+b) − t) σ′(wx+b) x."""
    w, x, b, t = Value(0.5, label="w"), Value(1.5, label="x"), Value(0.1, label="b"), 1.0
    z = w * x + b
    y = z.sigmoid()
    L = 0.5 * (y - t) ** 2
    L.backward()
    s = sigma(0.5 * 1.5 + 0.1)
    by_hand = (s - t) * s * (1 - s) * 1.5
    assert w.grad == pytest.approx(by_hand, rel=1e-14)
    assert b.grad == pytest.approx((s - t) * s * (1 - s), rel=1e-14)
    # the slide's bar notation: ȳ = y − t, z̄ = ȳσ′(z), w̄ = z̄x, b̄ = z̄
    assert y.grad == pytest.approx(s - t, rel=1e-14)
    assert z.grad == pytest.approx(y.grad * s * (1 - s), rel=1e-14)
    assert w.grad == pytest.approx(z.grad * x.data, rel=1e-14)
    assert b.grad == z.grad


def test_fan_out_sums_both_paths_in_regularized_regression():
    """L_reg = L + λR with R = ½w²: w̄ = z̄x + R̄w (the multivariate chain rule)."""
    lam = 0.1
    w, x, b, t = Value(0.5, label="w"), Value(1.5, label="x"), Value(0.1, label="b"), 1.0
    z = w * x + b
    y = z.sigmoid()
    L = 0.5 * (y - t) ** 2
    R = 0.5 * w**2
    L_reg = L + lam * R
    L_reg.backward()
    assert R.grad == pytest.approx(lam)
    assert w.grad == pytest.approx(z.grad * x.data + R.grad * w.data, rel=1e-14)
    assert w.grad != pytest.approx(z.grad * x.data)  # the regularizer's path really counts


@pytest.mark.parametrize("t_value", [-2.0, 0.3, 1.0, 2.5])
def test_multivariable_chain_rule_example_matches_closed_form(t_value):
    """f(x, y) = y + exp(xy), x = cos t, y = t²:
    df/dt = (y exp(xy))(−sin t) + (1 + x exp(xy))(2t)."""
    t = Value(t_value, label="t")
    x = t.cos()
    y = t**2
    f = y + (x * y).exp()
    f.backward()
    xv, yv = math.cos(t_value), t_value**2
    closed = (yv * math.exp(xv * yv)) * (-math.sin(t_value)) + (1 + xv * math.exp(xv * yv)) * (
        2 * t_value)
    assert t.grad == pytest.approx(closed, rel=1e-12)


# ------------------------------------------------------------------ backward semantics
def test_backward_twice_accumulates_leaves_but_not_interior_nodes():
    w, x = Value(2.0), Value(3.0)
    z = w * x
    L = z * z + w
    L.backward()
    first_w, first_z = w.grad, z.grad
    L.backward()
    assert w.grad == 2 * first_w
    assert x.grad == pytest.approx(2 * 2 * 36 / 3)
    assert z.grad == first_z  # interior error signals are recomputed, not added up


def test_zero_grad_on_mlp_resets_parameters():
    random.seed(0)
    model = MLP(2, [3, 1])
    out = model([Value(0.5), Value(-1.0)])
    out.backward()
    assert any(p.grad != 0 for p in model.parameters())
    model.zero_grad()
    assert all(p.grad == 0 for p in model.parameters())


def test_deep_chain_of_100_thousand_nodes_backpropagates_under_default_recursion_limit():
    import sys

    limit = sys.getrecursionlimit()
    x = Value(0.5)
    y = x
    for _ in range(99_999):
        y = y.relu()  # one node per step; relu is the identity for positive inputs
    order = topological_order(y)
    assert len(order) == 100_000
    assert order[0] is x and order[-1] is y
    y.backward()
    assert x.grad == 1.0
    assert sys.getrecursionlimit() == limit


def test_topological_order_puts_parents_before_children():
    a, b = Value(1.0, label="a"), Value(2.0, label="b")
    c = a * b
    d = c + a
    e = d * c
    order = topological_order(e)
    position = {id(v): i for i, v in enumerate(order)}
    for v in order:
        for p in v.parents:
            assert position[id(p)] < position[id(v)]
    assert order[-1] is e


def test_mlp_32_32_1_with_l2_backpropagates_1185_parameters():
    random.seed(1)
    model = MLP(2, [32, 32, 1], fused=False)
    params = model.parameters()
    assert len(params) == 1185
    x = [Value(0.3), Value(-0.7)]
    loss = (1 + -1.0 * model(x)).relu() + 1e-4 * sum(p * p for p in params)
    loss.backward()
    assert all(math.isfinite(p.grad) for p in params)
    assert any(p.grad != 0 for p in params[:64])


# ------------------------------------------------------------------ numerics and errors
@pytest.mark.parametrize("x", [-1e4, -745.0, 0.0, 745.0, 1e4])
def test_sigmoid_and_tanh_are_stable_for_large_inputs(x):
    u, v = Value(x), Value(x)
    s, t = u.sigmoid(), v.tanh()
    assert s.data == pytest.approx(1 / (1 + math.exp(-x)) if x > -700 else 0.0, abs=1e-300)
    assert t.data == math.tanh(x)
    s.backward()
    t.backward()
    assert u.grad == pytest.approx(s.data * (1 - s.data), abs=1e-300)  # σ′ = σ(1 − σ)
    assert v.grad == pytest.approx(1 - t.data**2, abs=1e-300)  # tanh′ = 1 − tanh²
    assert 0.0 <= u.grad <= 0.25 and 0.0 <= v.grad <= 1.0


def test_exp_overflow_names_the_value():
    with pytest.raises(OverflowError, match="exp\\(800"):
        Value(800.0).exp()


@pytest.mark.parametrize(
    ("make", "error", "message"),
    [
        (lambda: Value(0.0).log(), ValueError, "log\\(0.0\\)"),
        (lambda: Value(-2.0).log(), ValueError, "log\\(-2.0\\)"),
        (lambda: Value(5e-324).log(), OverflowError, "1/x overflows"),
        (lambda: Value(1.0).leaky_relu(2.0), ValueError, "alpha"),
        (lambda: Value(1.0).elu(-1.0), ValueError, "alpha"),
        (lambda: Value(0.0) ** -1, ZeroDivisionError, "0.0 \\*\\* -1"),
        (lambda: Value(3.0) / Value(0.0), ZeroDivisionError, "3.0 / 0"),
        (lambda: 2 / Value(0.0), ZeroDivisionError, "2.0 / 0"),
        (lambda: Value(-8.0) ** (1 / 3), ValueError, "negative base"),
        (lambda: Value(-2.0) ** Value(2.0), ValueError, "positive base"),
        (lambda: Value("3"), TypeError, "'3'"),
        (lambda: Value(None), TypeError, "None"),
        (lambda: Value(float("nan")), ValueError, "nan"),
        (lambda: Value(float("inf")), ValueError, "inf"),
        (lambda: Value(1.0) + "a", TypeError, "\\+.*'a'"),
        (lambda: Value(1e300) * 1e300, OverflowError, "\\*"),
    ],
)
def test_bad_input_raises_a_clear_error(make, error, message):
    with pytest.raises(error, match=message):
        make()


def test_micrograd_demo_gives_the_same_numbers_as_micrograd():
    micrograd_engine = pytest.importorskip("micrograd.engine")
    micrograd_nn = pytest.importorskip("micrograd.nn")
    from sklearn.datasets import make_moons

    import nnedu.scalar.engine as engine
    import nnedu.scalar.nn as nn
    from nnedu.bench.scalar import _demo_steps

    X, y = make_moons(n_samples=10, noise=0.1, random_state=1)
    y = y * 2 - 1
    ours, _ = _demo_steps(engine, nn, X, y, steps=2)
    theirs, _ = _demo_steps(micrograd_engine, micrograd_nn, X, y, steps=2)
    assert ours == pytest.approx(theirs, rel=1e-13)


def test_graphs_hold_no_reference_cycles():
    import gc

    gc.collect()
    gc.disable()
    try:
        w = Value(1.0)
        loss = (w * 2.0 + 1.0).tanh()
        loss.backward()
        del loss
        assert gc.collect() == 0
    finally:
        gc.enable()
