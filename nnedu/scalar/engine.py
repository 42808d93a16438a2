"""The scalar autograd engine: one `Value` per node of the computation graph.

Each operation is one block, as on the slides: compute the forward value, then state the
local derivatives ∂vⱼ/∂vᵢ of the new node vⱼ with respect to each of its parents vᵢ.
`backward()` then runs the backprop algorithm of the lecture:

    v̄_N = 1,    v̄ᵢ = Σ_{j ∈ Ch(vᵢ)} v̄ⱼ ∂vⱼ/∂vᵢ    for i = N−1, …, 1

Unlike micrograd, a node stores its local derivatives as numbers instead of a closure, so a
graph holds no reference cycles (it is freed the moment the last name for it goes away,
without the cyclic garbage collector) and the topological order is built without recursion.
`v._backward()` is still there, micrograd's one step of backprop at node v.
"""

from __future__ import annotations

import contextlib
import gc
import math
from collections.abc import Callable, Iterable, Iterator, Sequence
from numbers import Real
from typing import Union

Number = int | float
_MAX = 1.7976931348623157e308  # the largest finite float
Operand = Union["Value", int, float]
_ONES = (1.0, 1.0)  # ∂(u + v)/∂u, ∂(u + v)/∂v: shared by every sum node, never reallocated


def _check_number(x: object, what: str) -> float:
    """Return x as a finite float, or raise an error that names `what` and the value."""
    if isinstance(x, bool) or not isinstance(x, Real):
        raise TypeError(f"{what}: expected a real number, got {type(x).__name__} {x!r}")
    x = float(x)
    if not math.isfinite(x):
        raise ValueError(f"{what}: expected a finite number, got {x!r}")
    return x


def _no_backward() -> None:
    """The `_backward` of a node built by hand until it is given one (micrograd's default)."""


class Value:
    """A scalar node of a computation graph, holding `data` and its error signal `grad` = ∂L/∂v.

    >>> w, x, b = Value(0.5, label="w"), Value(1.5, label="x"), Value(0.1, label="b")
    >>> z = w * x + b
    >>> z.backward()
    >>> w.grad, x.grad, b.grad
    (1.5, 0.5, 1.0)

    The constructor is micrograd's, `Value(data, _children=(), _op='', label='')`. A node built
    by hand from its parents, `out = Value(t, (x,), 'tanh')`, passes gradients once it is given
    its own `out._backward` (a function adding out.grad·∂out/∂xᵢ to each parent's grad), exactly
    as in micrograd; the engine's own operations store ∂out/∂xᵢ as numbers instead.
    """

    __slots__ = ("_hand_backward", "_local_grads", "_op", "_prev", "data", "grad", "label")

    def __init__(self, data: Number, _children: Iterable[Value] = (), _op: str = "",
                 label: str = "") -> None:
        self.data: float = _check_number(data, "Value")
        self.grad: float = 0.0
        if not isinstance(label, str):
            raise TypeError(f"Value label must be a string, got {type(label).__name__} {label!r}")
        if not isinstance(_op, str):
            raise TypeError(f"Value _op must be a string such as '+', "
                            f"got {type(_op).__name__} {_op!r}")
        self.label = label
        self._op = _op
        self._prev: tuple[Value, ...] = _check_children(_children, data)  # the parents vᵢ
        # ∂v/∂vᵢ for each parent; None for a node built by hand: its `_backward` is its own
        self._local_grads: tuple[float, ...] | None = None if self._prev else ()
        self._hand_backward: Callable[[], None] = _no_backward

    # ---------------------------------------------------------------- the slide's notation
    @property
    def parents(self) -> tuple[Value, ...]:
        """Pa(v): the nodes this one is computed from, in the op's argument order (micrograd
        calls them `_prev`; a node used twice, as in x·x, is listed twice)."""
        return self._prev

    @property
    def local_grads(self) -> tuple[float, ...] | None:
        """∂v/∂u for each parent u, in the order of `parents` (None for a node built by hand
        with its own `_backward`)."""
        return self._local_grads

    @property
    def op(self) -> str:
        """The operation that computed this node ('' for a leaf)."""
        return self._op

    @property
    def is_leaf(self) -> bool:
        """True for inputs and parameters: nodes not computed from others."""
        return not self._prev

    # ---------------------------------------------------------------- primitive operations
    def __add__(self, other: Operand) -> Value:
        if not isinstance(other, Value):
            other = _as_value(other, "+")
        # z = u + v:  ∂z/∂u = 1,  ∂z/∂v = 1
        return _node(self.data + other.data, "+", (self, other), _ONES)

    def __mul__(self, other: Operand) -> Value:
        if not isinstance(other, Value):
            other = _as_value(other, "*")
        # z = u · v:  ∂z/∂u = v,  ∂z/∂v = u
        return _node(self.data * other.data, "*", (self, other), (other.data, self.data))

    def __pow__(self, other: Operand) -> Value:
        u = self.data
        if isinstance(other, Value):
            p = other.data
            if u <= 0:
                raise ValueError(f"{u!r} ** Value({p!r}): a Value exponent needs a positive base, "
                                 "since ∂(u^p)/∂p = u^p log u; use a plain number as exponent")
            out = _pow(u, p)
            # z = u^p:  ∂z/∂u = p u^(p−1),  ∂z/∂p = u^p log u
            return _node(out, "**", (self, other), (p * _pow(u, p - 1), out * math.log(u)))
        p = _check_number(other, f"Value({u!r}) ** exponent")
        out = _pow(u, p)
        # z = u^p for a constant p:  ∂z/∂u = p u^(p−1)
        if u == 0 and 0 < p < 1:
            raise ZeroDivisionError(f"0.0 ** {p!r}: the derivative p·u^(p−1) is infinite at u = 0")
        local = p * _pow(u, p - 1) if p != 0 else 0.0
        return _node(out, f"**{p:g}", (self,), (local,))

    def exp(self) -> Value:
        """y = eˣ, ∂y/∂x = eˣ."""
        x = self.data
        if x > 709.782712893384:
            raise OverflowError(f"exp({x!r}) overflows a float (the largest is exp(709.78)); "
                                "an input this large usually means diverging training")
        out = math.exp(x)
        return _node(out, "exp", (self,), (out,))

    def log(self) -> Value:
        """y = log x, ∂y/∂x = 1/x (x > 0)."""
        x = self.data
        if x <= 0:
            raise ValueError(f"log({x!r}): the logarithm needs a positive argument")
        if x < 1 / _MAX:
            raise OverflowError(f"log({x!r}): the derivative 1/x overflows a float")
        return _node(math.log(x), "log", (self,), (1.0 / x,))

    def sin(self) -> Value:
        """y = sin x, ∂y/∂x = cos x."""
        return _node(math.sin(self.data), "sin", (self,), (math.cos(self.data),))

    def cos(self) -> Value:
        """y = cos x, ∂y/∂x = −sin x."""
        return _node(math.cos(self.data), "cos", (self,), (-math.sin(self.data),))

    def tanh(self) -> Value:
        """y = tanh x, ∂y/∂x = 1 − y²."""
        y = math.tanh(self.data)
        return _node(y, "tanh", (self,), (1.0 - y * y,))

    def sigmoid(self) -> Value:
        """y = σ(x) = 1 / (1 + e⁻ˣ), ∂y/∂x = σ(x)(1 − σ(x)); never overflows."""
        y = _sigmoid(self.data)
        return _node(y, "σ", (self,), (y * (1.0 - y),))

    def relu(self) -> Value:
        """y = max(0, x), ∂y/∂x = 1 if x > 0 else 0."""
        x = self.data
        if x > 0:
            return _node(x, "ReLU", (self,), _ONE)
        return _node(0.0, "ReLU", (self,), _ZERO)

    def leaky_relu(self, alpha: float = 0.1) -> Value:
        """y = max(αx, x) (0 < α < 1), ∂y/∂x = 1 if x > 0 else α."""
        x = self.data
        alpha = _check_number(alpha, "leaky_relu alpha")
        if not 0 <= alpha < 1:
            raise ValueError(f"leaky_relu alpha must be in [0, 1) for max(αx, x), got {alpha!r}")
        y = x if x > 0 else alpha * x
        return _node(y, "LeakyReLU", (self,), (1.0 if x > 0 else alpha,))

    def elu(self, alpha: float = 1.0) -> Value:
        """y = x if x > 0 else α(eˣ − 1), ∂y/∂x = 1 if x > 0 else αeˣ."""
        x = self.data
        alpha = _check_number(alpha, "elu alpha")
        if alpha < 0:
            raise ValueError(f"elu alpha must be ≥ 0, got {alpha!r}")
        if x > 0:
            return _node(x, "ELU", (self,), _ONE)
        e = math.exp(x)
        return _node(alpha * (e - 1.0), "ELU", (self,), (alpha * e,))

    # ---------------------------------------------------------------- derived operations
    # Built as micrograd builds them, so the graphs are the lecture's: a number is wrapped in a
    # `Constant` (negated or inverted first), x − 1 is x + (−1) and x / 2 is x · 0.5.
    def __neg__(self) -> Value:
        return self * -1

    def __radd__(self, other: Operand) -> Value:
        return self + other

    def __sub__(self, other: Operand) -> Value:
        if isinstance(other, Value):
            return self + (-other)
        return self + _constant(-_operand(other, "-"))

    def __rsub__(self, other: Operand) -> Value:
        return -self + _as_value(other, "-")

    def __rmul__(self, other: Operand) -> Value:
        return self * other

    def __truediv__(self, other: Operand) -> Value:
        if isinstance(other, Value):
            if other.data == 0:
                raise ZeroDivisionError(f"division by zero: {self.data!r} / 0")
            return self * other**-1
        x = _operand(other, "/")
        if x == 0:
            raise ZeroDivisionError(f"division by zero: {self.data!r} / 0")
        return self * _constant(_pow(x, -1.0))

    def __rtruediv__(self, other: Operand) -> Value:
        x = _operand(other, "/")
        if self.data == 0:
            raise ZeroDivisionError(f"division by zero: {x!r} / 0")
        return self**-1 * _constant(x)

    def __rpow__(self, other: Operand) -> Value:
        return _as_value(other, "**") ** self

    # ---------------------------------------------------------------- backprop
    def backward(self) -> None:
        """Backpropagate from this node: v̄_N = 1, then v̄ᵢ = Σⱼ v̄ⱼ ∂vⱼ/∂vᵢ in reverse order.

        Leaf gradients accumulate across calls, as in PyTorch (call `zero_grad` on the
        parameters between steps); interior nodes hold the error signal of this call only.
        As the forward pass, the backward pass refuses to go on silently with numbers that are
        not finite: an error signal v̄ᵢ that overflows (or is inf·0 = NaN) raises an
        OverflowError naming the node, its op, its value and the terms v̄ⱼ·∂vⱼ/∂vᵢ that made it
        (the gradients are incomplete then).
        """
        order = topological_order(self)
        for v in order:
            if v._prev:
                v.grad = 0.0
        self.grad = 1.0 if self._prev else self.grad + 1.0
        for v in reversed(order):
            v_bar = v.grad
            if not -_MAX <= v_bar <= _MAX:  # one comparison per node; False for NaN too
                raise _non_finite_signal(v, order)
            local_grads = v._local_grads
            if local_grads is None:  # a node built by hand: micrograd's closure
                v._hand_backward()
                continue
            for parent, local_grad in zip(v._prev, local_grads):
                parent.grad += v_bar * local_grad

    @property
    def _backward(self) -> Callable[[], None]:
        """One step of backprop at this node (micrograd's `_backward`): add v̄ · ∂v/∂vᵢ to the
        grad of each parent vᵢ. Assign a function to give a node built by hand its own."""
        if self._local_grads is None:
            return self._hand_backward
        return self._chain_rule

    @_backward.setter
    def _backward(self, function: Callable[[], None]) -> None:
        if not callable(function):
            raise TypeError(f"_backward must be a function of no arguments, "
                            f"got {type(function).__name__} {function!r}")
        self._hand_backward = function
        self._local_grads = None

    def _chain_rule(self) -> None:
        """v̄ᵢ += v̄ · ∂v/∂vᵢ for each parent vᵢ of this node."""
        v_bar = self.grad
        for parent, local_grad in zip(self._prev, self._local_grads):  # type: ignore[arg-type]
            parent.grad += v_bar * local_grad

    def zero_grad(self) -> None:
        """Reset the gradient of every node in this graph to 0."""
        for v in topological_order(self):
            v.grad = 0.0

    def __repr__(self) -> str:
        """micrograd's `Value(data=0.30000000000000004, grad=0.0)`: every digit (the drawings
        round to 4)."""
        label = f", label={self.label!r}" if self.label else ""
        return f"Value(data={self.data!r}, grad={self.grad!r}{label})"


class Constant(Value):
    """A number the engine wrapped itself: the 2 of `2 * x`, the −1 of `x − 1` or `-x`, the 0.5
    of `x / 2`. Drawings show it as a number; every `Value` made by hand is a leaf instead."""

    __slots__ = ()


_ONE, _ZERO = (1.0,), (0.0,)  # the two local derivatives of ReLU, shared


def _node(data: float, op: str, parents: tuple[Value, ...],
          local_grads: tuple[float, ...]) -> Value:
    """A computed node v with its parents vᵢ and the local derivatives ∂v/∂vᵢ."""
    if not (-_MAX <= data <= _MAX):
        operands = ", ".join(f"{p.data:.6g}" for p in parents[:4])
        more = ", …" if len(parents) > 4 else ""
        raise OverflowError(f"{op}({operands}{more}) = {data!r} is not a finite float; "
                            "are the inputs or the learning rate too large?")
    out = _new(Value)
    out.data = data
    out.grad = 0.0
    out.label = ""
    out._prev = parents
    out._local_grads = local_grads
    out._op = op
    return out


_new = object.__new__


def _constant(x: float) -> Constant:
    """Constant(x) for a float x already checked (no argument checks: a hot path)."""
    c = _new(Constant)
    c.data = x
    c.grad = 0.0
    c.label = ""
    c._op = ""
    c._prev = ()
    c._local_grads = ()
    c._hand_backward = _no_backward
    return c


def topological_order(root: Value) -> list[Value]:
    """v₁, …, v_N: every node after all its parents, ending with `root` (no recursion).

    The order is deterministic: it depends only on the graph, never on memory addresses.
    """
    order: list[Value] = []
    visited = {root}
    # Depth first with an explicit stack: `waiting[k]` is placed once the iterator `parents[k]`
    # over its parents is exhausted (each unvisited parent goes on the stack first).
    waiting, parents = [root], [iter(root._prev)]
    while parents:
        for parent in parents[-1]:
            if parent not in visited:
                visited.add(parent)
                waiting.append(parent)
                parents.append(iter(parent._prev))
                break
        else:  # every parent is placed: place the node
            parents.pop()
            order.append(waiting.pop())
    return order


def affine(w: Sequence[Value], x: Sequence[Operand], b: Value) -> Value:
    """z = wᵀx + b = b + w₁x₁ + … + w_Dx_D as one node: the pre-activation of the slide's unit.

    Local derivatives: ∂z/∂wᵢ = xᵢ, ∂z/∂xᵢ = wᵢ, ∂z/∂b = 1. The sum runs in the order written,
    so z equals, to the last bit, the chain of `*` and `+` nodes `b + w[0]*x[0] + w[1]*x[1] + …`;
    one node instead of 2D keeps large graphs small (and fast).
    """
    if len(w) != len(x):
        raise ValueError(f"affine: {len(w)} weights but {len(x)} inputs")
    x = [_as_value(xi, "affine") for xi in x]
    z = b.data
    for wi, xi in zip(w, x):
        z += wi.data * xi.data
    local_grads = (*(xi.data for xi in x), *(wi.data for wi in w), 1.0)
    return _node(z, "wᵀx+b", (*w, *x, b), local_grads)


@contextlib.contextmanager
def collector_paused() -> Iterator[None]:
    """Pause Python's cyclic garbage collector inside the block; it runs again after it.

        with collector_paused():
            for k in range(100):
                ...  # forward, backward, update

    nnedu's graphs hold no reference cycles: reference counting frees each graph the moment
    its last name goes, so the cyclic collector finds nothing in them. But a training step
    builds ~10⁵ nodes, and the collector walks every live one again and again while they are
    built: more than half the time of an op-by-op step of micrograd's demo (`nnedu bench
    scalar` times it both ways). Cycles you make yourself inside the block are collected by the
    collector's next run after it; if the collector was disabled before, it stays so.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def _operand(x: object, op: str) -> float:
    """A plain number on the other side of `op`, as a float, or a TypeError naming both."""
    if isinstance(x, bool) or not isinstance(x, Real):
        raise TypeError(f"unsupported operand for {op}: Value and {type(x).__name__} {x!r}")
    return _check_number(x, f"the number in Value {op} number")


def _non_finite_signal(v: Value, order: Sequence[Value]) -> OverflowError:
    """The error for a node whose error signal v̄ is not finite, with the terms that made it."""
    name = repr(v.label) if v.label else "a leaf" if not v._prev else "a node"
    op = f"op {v._op!r}" if v._prev else "an input"
    terms = [f"{u._op or 'leaf'} node{' ' + repr(u.label) if u.label else ''}: "
             f"{u.grad:.6g} · {local:.6g} = {u.grad * local:.6g}"
             for u in order for parent, local in zip(u._prev, u._local_grads or ())
             if parent is v]
    shown = "; ".join(terms[:4]) + ("; …" if len(terms) > 4 else "")
    return OverflowError(
        f"backward: the error signal of {name} ({op}, value {v.data:.6g}) is {v.grad!r}, not a "
        f"finite float; it is the sum of v̄ⱼ·∂vⱼ/∂vᵢ over its children ({shown or 'none'}). "
        "Are the inputs, the weights or the learning rate too large?")


def _as_value(x: Operand, op: str) -> Value:
    if isinstance(x, Value):
        return x
    return _constant(_operand(x, op))


def _check_children(children: object, data: object) -> tuple[Value, ...]:
    """micrograd's `_children`, the parents of a node built by hand, as an ordered tuple."""
    if isinstance(children, str):
        raise TypeError(f"Value({data!r}, {children!r}): the second argument is micrograd's "
                        f"_children (the nodes this one is computed from); "
                        f"give a name as label={children!r}")
    try:
        parents = tuple(children)  # type: ignore[arg-type]
    except TypeError:
        raise TypeError(f"Value({data!r}, {children!r}): _children must be a tuple of Values, "
                        f"got {type(children).__name__}") from None
    for p in parents:
        if not isinstance(p, Value):
            raise TypeError(f"Value({data!r}, _children=…): every child must be a Value, "
                            f"got {type(p).__name__} {p!r}")
    return parents


def _pow(u: float, p: float) -> float:
    """u ** p with the lecture's error messages instead of Python's complex numbers."""
    if u == 0 and p < 0:
        raise ZeroDivisionError(f"0.0 ** {p!r}: zero to a negative power is a division by zero")
    if u < 0 and p != int(p):
        raise ValueError(f"{u!r} ** {p!r}: a negative base needs an integer exponent")
    try:
        return u**p
    except OverflowError:
        raise OverflowError(f"{u!r} ** {p!r} overflows a float") from None


def _sigmoid(x: float) -> float:
    if x >= 0:
        return 1.0 / (1.0 + math.exp(-x))
    e = math.exp(x)
    return e / (1.0 + e)
