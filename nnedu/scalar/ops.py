"""The table of scalar operations: every op of the engine once, with how the lecture writes it.

    op        symbol on the node   the formula                  ∂y/∂x as the slides write it
    tanh      'tanh'               tanh(z)                      1 − y²
    sigmoid   'σ'                  σ(z)                         σ′(z)
    *         '*'                  w × x                        x (for w), w (for x)

Everything that names an op reads this table: the formula language of `nnedu graph`
(`nnedu.viz.expr`), the networks' activations (`nnedu.scalar.nn`), the drawings
(`nnedu.viz.notation`, `nnedu.viz.graph`, `nnedu.viz.collapse`). A new op is one `register`
call: a function computing the node (with `node`, giving its value and local derivatives),
its symbol and its derivative's text, and it appears in all of them:

    def softplus(x: Value) -> Value:
        y = math.log1p(math.exp(x.data))
        return node(y, "softplus", (x,), (1 / (1 + math.exp(-x.data)),))

    register(function("softplus", softplus, derivative="σ({x})", activation=True))

The fused neuron op z = wᵀx + b (`engine.affine`) is the entry `AFFINE`; `affine_parts` splits
its parents into w, x and b, the one place that knows how they are laid out.
"""

from __future__ import annotations

import html
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from nnedu.scalar.engine import Value, affine, node

# (op, args) → the node's formula in its parents' names: 'w × x', 'σ(z)'
Formula = Callable[[str, Sequence[str]], str]
# (op, k, args, name) → ∂v/∂(k-th parent) as the slides write it, v called `name`
Derivative = Callable[[str, int, Sequence[str], str], str]

_SUPERSCRIPTS = str.maketrans("0123456789-.", "⁰¹²³⁴⁵⁶⁷⁸⁹⁻·")


@dataclass(frozen=True)
class Op:
    """One scalar operation: the symbol the engine stores on its nodes (`Value.op`), how the
    slides write it alone (`text`, `html` for Graphviz labels), the node's formula in its
    parents and each local derivative ∂v/∂vᵢ as text. `name` and `method` make it a function
    of the formula language (`name(x)` or, with `alpha`, `name(x, α)`); `activation` lets the
    networks use it as φ (`title` names the neuron in `repr`: 'TanhNeuron(2)')."""

    symbol: str
    computed_as: Formula
    derivative: Derivative
    text: str = ""
    html: str = ""
    name: str = ""
    method: Callable[..., Value] | None = field(default=None, compare=False)
    activation: bool = False
    alpha: bool = False
    title: str = ""
    tooltip: str = ""

    def text_of(self, op: str) -> str:
        """The op alone as the slides write it ('×', 'σ', '²' for the op '**2')."""
        return self.text or op

    def html_of(self, op: str) -> str:
        """The op alone in a Graphviz HTML label."""
        return self.html or html.escape(self.text_of(op))


def function(name: str, method: Callable[..., Value], derivative: str, symbol: str = "",
             activation: bool = False, alpha: bool = False, title: str = "") -> Op:
    """The entry of a function y = f(x): `derivative` is ∂y/∂x as text, with {x} for the
    argument's name and {y} for the node's ('1 − {y}²' for tanh); `symbol` defaults to `name`."""
    symbol = symbol or name

    def computed_as(op: str, args: Sequence[str]) -> str:
        return f"{op}({', '.join(args)})"

    def local(op: str, k: int, args: Sequence[str], y: str) -> str:
        return derivative.format(x=args[k], y=y)

    return Op(symbol, computed_as, local, name=name, method=method, activation=activation,
              alpha=alpha, title=title or name.replace("_", " ").title().replace(" ", ""))


OPS: dict[str, Op] = {}  # symbol → entry


def register(op: Op) -> Op:
    """Add `op` to the table (a function also becomes a method of `Value`: `x.softplus()`)."""
    if not isinstance(op, Op):
        raise TypeError(f"register needs an Op (see ops.function), got {type(op).__name__}")
    if op.symbol in OPS:
        raise ValueError(f"the op {op.symbol!r} is registered already")
    if op.name and op.name in functions():
        raise ValueError(f"a function called {op.name!r} is registered already")
    OPS[op.symbol] = op
    if op.name and op.method is not None and not hasattr(Value, op.name):
        setattr(Value, op.name, op.method)
    return op


def unregister(symbol: str) -> None:
    """Remove an op added with `register` (and the `Value` method it added)."""
    op = OPS.pop(symbol)
    if op.name and getattr(Value, op.name, None) is op.method:
        delattr(Value, op.name)


def lookup(op: str) -> Op:
    """The entry of the op string `op` of a node; ops made by hand ('' or unknown) get a
    generic one that writes them as f(x) with derivative f′(x)."""
    if op in OPS:
        return OPS[op]
    if op.startswith("**") and op != "**":
        return POWER
    return Op(op, _call, lambda op, k, args, name: f"{op}′({args[k]})")


def functions() -> dict[str, Op]:
    """The functions of the formula language, by name: exp, log, tanh, sigmoid, relu, …"""
    return {op.name: op for op in OPS.values() if op.name and op.method is not None}


def activations() -> dict[str, Op]:
    """The activations φ a network may use, by name (besides 'linear', the identity)."""
    return {op.name: op for op in OPS.values() if op.activation}


def is_activation(op: str) -> bool:
    """True for the op string of an activation (a network's φ)."""
    return op in OPS and OPS[op].activation


def affine_parts(parents: Sequence[Value]) -> tuple[Sequence[Value], Sequence[Value], Value]:
    """The parents (w₁ … w_D, x₁ … x_D, b) of a fused `wᵀx+b` node, as (w, x, b)."""
    d = (len(parents) - 1) // 2
    return parents[:d], parents[d:2 * d], parents[-1]


def _call(op: str, args: Sequence[str]) -> str:
    return f"{op}({', '.join(args)})"


def _power_derivative(op: str, k: int, args: Sequence[str], name: str) -> str:
    u = args[k]
    p = float(op[2:])
    return f"2{u}" if p == 2 else f"{op[2:]}·{u}" + f"{p - 1:g}".translate(_SUPERSCRIPTS)


def _affine_derivative(op: str, k: int, args: Sequence[str], name: str) -> str:
    d = (len(args) - 1) // 2
    return args[k + d] if k < d else args[k - d] if k < 2 * d else "1"


def _affine_formula(op: str, args: Sequence[str]) -> str:
    w, x, b = affine_parts(args)  # type: ignore[arg-type]
    return f"[{', '.join(w)}]ᵀ[{', '.join(x)}] + {b}"


# ---------------------------------------------------------------------------- the table
PLUS = Op("+", lambda op, args: " + ".join(args), lambda op, k, args, name: "1")
TIMES = Op("*", lambda op, args: " × ".join(args), lambda op, k, args, name: args[1 - k],
           text="×")
POWER_NODE = Op("**", lambda op, args: f"{args[0]}^{args[1]}",
                lambda op, k, args, name: (f"{args[1]}·{args[0]}^({args[1]} − 1)" if k == 0
                                           else f"{name}·log {args[0]}"), text="xʸ")
class _Power(Op):
    """u^p with a constant p: the op string is '**p' ('**2', '**-1'), written as a superscript."""

    def text_of(self, op: str) -> str:
        return op[2:].translate(_SUPERSCRIPTS)

    def html_of(self, op: str) -> str:
        return "x<sup>" + html.escape(op[2:]) + "</sup>"


POWER = _Power("**p", lambda op, args: args[0] + op[2:].translate(_SUPERSCRIPTS),
               _power_derivative)  # not in OPS: `lookup` finds it by the prefix
AFFINE = Op("wᵀx+b", _affine_formula, _affine_derivative, text="wᵀx + b",
            html="w<sup>T</sup>x + b", method=affine,
            tooltip="z = b + w₁x₁ + … + w_Dx_D as one node; Neuron(nin, fused=False) builds it "
                    "op by op from * and + nodes, the graph micrograd's trace_graph draws")

for _op in (
    PLUS, TIMES, POWER_NODE, AFFINE,
    function("exp", Value.exp, derivative="{y}"),  # (eᶻ)′ = eᶻ, the node itself
    function("log", Value.log, derivative="1/{x}"),
    function("sin", Value.sin, derivative="cos {x}"),
    function("cos", Value.cos, derivative="−sin {x}"),
    function("tanh", Value.tanh, derivative="1 − {y}²", activation=True),
    function("sigmoid", Value.sigmoid, symbol="σ", derivative="σ′({x})", activation=True),
    function("relu", Value.relu, symbol="ReLU", derivative="ReLU′({x})", activation=True,
             title="ReLU"),
    function("leaky_relu", Value.leaky_relu, symbol="LeakyReLU", derivative="LeakyReLU′({x})",
             activation=True, alpha=True, title="LeakyReLU"),
    function("elu", Value.elu, symbol="ELU", derivative="ELU′({x})", activation=True,
             alpha=True, title="ELU"),
):
    register(_op)

__all__ = ["AFFINE", "OPS", "Op", "activations", "affine_parts", "function", "functions",
           "is_activation", "lookup", "node", "register", "unregister"]
