"""The slides' notation for a computation graph: names vᵢ, error signals v̄ᵢ, ops and local
derivatives ∂vⱼ/∂vᵢ written as formulas, numbers rounded for reading.

Shared by the drawings (`nnedu.viz.graph`, `nnedu.viz.collapse`) and the trace
(`nnedu.viz.trace`), so all call a node and its derivatives by the same names; the ops' symbols
and derivatives come from the op table `nnedu.scalar.ops`. `dot_header` opens every drawing's
DOT text in the same font and style.
"""

from __future__ import annotations

import html
from collections.abc import Sequence

from nnedu.scalar import ops
from nnedu.scalar.engine import Constant, Value
from nnedu.viz.fonts import FONT

GRAD_COLOR = "#a93226"  # the colour of error signals v̄ in the drawings

_SUBSCRIPTS = str.maketrans("0123456789-", "₀₁₂₃₄₅₆₇₈₉₋")


def fmt(x: float) -> str:
    """A number rounded for reading: 4 significant digits, and never '-0'."""
    s = f"{x:.4g}"
    return "0" if s in ("-0", "0") else s


def node_names(order: Sequence[Value]) -> list[str]:
    """The name of each node: its label, else vᵢ with i its place in the topological order."""
    return [v.label or "v" + str(i).translate(_SUBSCRIPTS) for i, v in enumerate(order, 1)]


def bar_parts(name: str) -> tuple[str, str]:
    """A name split into the stem that carries the bar and the rest: w₁₁ → ('w', '₁₁'),
    L_reg → ('L', '_reg'), loss → ('loss', '')."""
    stem = name.split("_", 1)[0].rstrip("₀₁₂₃₄₅₆₇₈₉") or name
    return stem, name[len(stem):]


def bar(name: str) -> str:
    """The error-signal symbol of a name as text: w → w̄, v₃ → v̄₃, L_reg → L̄_reg,
    loss → l̅o̅s̅s̅ (combining overlines; the drawings draw the bar as a line instead)."""
    stem, rest = bar_parts(name)
    mark = "\u0304" if len(stem) == 1 else "\u0305"
    return "".join(c + mark for c in stem) + rest


def op_symbol(op: str) -> str:
    """The engine's op string as the slides write it ('*' → '×', '**2' → '²', '**-1' → '⁻¹')."""
    return ops.lookup(op).text_of(op)


def children_of(order: Sequence[Value], index: dict[Value, int]) -> list[list[tuple[int, int]]]:
    """Ch(vᵢ) for each i: the pairs (j, k) with vᵢ the k-th parent of vⱼ, in increasing j."""
    children: list[list[tuple[int, int]]] = [[] for _ in order]
    for j, v in enumerate(order):
        for k, parent in enumerate(v.parents):
            children[index[parent]].append((j, k))
    return children


def is_constant(v: Value) -> bool:
    """A number the engine wrapped itself (the ½ of `0.5 * x`, the −1 of `x - 1`), unless it was
    given a name. Every `Value` made by hand is a leaf with its gradient, named or not."""
    return isinstance(v, Constant) and not v.label


def arg_names(v: Value, index: dict[Value, int], names: Sequence[str]) -> list[str]:
    """The parents of v as a formula writes them: names, constants as numbers ('(-1)')."""
    args = [fmt(p.data) if is_constant(p) else names[index[p]] for p in v.parents]
    return [f"({a})" if a.startswith("-") else a for a in args]


def computed_as(v: Value, args: Sequence[str]) -> str:
    """'w × x', 'σ(z)', 'v₁₀²', '[w₁, w₂]ᵀ[x₁, x₂] + b': the node's formula in its parents
    (from the op's entry in `nnedu.scalar.ops`)."""
    return ops.lookup(v.op).computed_as(v.op, args)


def local_grad_formula(v: Value, k: int, args: Sequence[str], name: str) -> str:
    """∂v/∂u for the k-th parent u of v (v called `name`), as the slides write it:
    'x' for ∂(w·x)/∂w, '2w' for ∂w²/∂w, 'σ′(z)', '1 − y²' for tanh, '1' for a sum
    (from the op's entry in `nnedu.scalar.ops`)."""
    return ops.lookup(v.op).derivative(v.op, k, args, name)


def dot_header(name: str, rankdir: str, title: str | None, spacing: str, node_style: str,
               edge_style: str) -> list[str]:
    """The opening lines of a drawing's DOT text: its name, direction, spacing and title, and
    the default style of its nodes and edges (all in the drawings' font, matplotlib's DejaVu
    Sans on every machine: see nnedu.viz.fonts)."""
    title_style = f", labelloc=t, fontsize=14, label=<{html.escape(title)}>" if title else ""
    return [f'digraph "{name}" {{',
            f'  graph [rankdir={rankdir}, fontname="{FONT}", {spacing}{title_style}];',
            f'  node [fontname="{FONT}", {node_style}];',
            f'  edge [fontname="{FONT}", {edge_style}];']
