"""The layer-level view of a large graph: one node per layer of neurons, per parameter set, per op.

The loss of an `MLP(2, [16, 16, 1])` over a data set has tens of thousands of nodes; drawn one by
one they are a grey blur. This view draws what the lecture draws instead:

    inputs → layer 1: 16 × ReLU(wᵀx + b) → layer 2 → layer 3 → loss ops,  W⁽ℓ⁾, b⁽ℓ⁾ → layer ℓ

* a neuron is an `affine` node z = wᵀx + b with the activation h = φ(z) that only it feeds
  (networks built with `fused=True`, the default); its layer ℓ is the number of neurons on the
  longest path from the inputs to it, so the neurons of all samples fall into one layer node;
* the weights and biases of layer ℓ become one node W⁽ℓ⁾, b⁽ℓ⁾ (with ‖∇‖, the norm of their
  gradient); the inputs of layer 1 one node; other constants are left out;
* every other node joins the nodes with the same op computed from the same groups (the loss of
  each sample is the same few ops), and a running sum a₁ + a₂ + … becomes one Σ node.
"""

from __future__ import annotations

import html
import math
from collections.abc import Sequence

from nnedu.scalar import ops
from nnedu.scalar.engine import Value
from nnedu.viz.notation import GRAD_COLOR, dot_header, fmt, op_symbol

AFFINE = ops.AFFINE.symbol  # a neuron's z = wᵀx + b; its activation is `ops.is_activation`
Key = tuple  # ('layer', ℓ), ('params', ℓ), ('inputs', ℓ), ('leaf', label) or (op, parent groups)


def collapsed_dot(order: Sequence[Value], rankdir: str = "LR", show_grad: bool = True,
                  title: str | None = None) -> tuple[str, int]:
    """The DOT text of the layer-level view of the graph `order`, and its number of nodes."""
    groups, keys = _group(order)
    members: list[list[int]] = [[] for _ in keys]
    for i, g in enumerate(groups):
        if g is not None:
            members[g].append(i)
    index = {v: i for i, v in enumerate(order)}
    edges: dict[tuple[int, int], None] = {}
    sums: set[int] = set()
    for j, v in enumerate(order):
        for parent in v.parents:
            a, b = groups[index[parent]], groups[j]
            if a is None or b is None:
                continue
            if a == b:
                sums.add(a)
            else:
                edges[(a, b)] = None
    root_group = groups[-1]
    lines = dot_header("layer-level computation graph", rankdir, title, "nodesep=0.3, ranksep=0.45",
                       'fontsize=11, shape=box, style="rounded,filled"',
                       'color="#555555", arrowsize=0.6')
    for g, key in enumerate(keys):
        nodes = [order[i] for i in members[g]]
        label, fill = _describe(key, nodes, g in sums, show_grad)
        if g == root_group:
            fill = "#e8f5e9"
            label += f"<br/>= {fmt(order[-1].data)}"
        shape = ", shape=ellipse" if key[0] not in ("layer", "params", "inputs", "leaf") else ""
        lines.append(f'  g{g + 1} [fillcolor="{fill}"{shape}, label=<{label}>];')
    lines += [f"  g{a + 1} -> g{b + 1};" for a, b in edges]
    lines.append("}")
    return "\n".join(lines) + "\n", len(keys)


def _group(order: Sequence[Value]) -> tuple[list[int | None], list[Key]]:
    """The group of every node (None: a constant, left out) and the key of every group,
    in one pass in topological order. Keys name parent groups by number, so they stay flat."""
    index = {v: i for i, v in enumerate(order)}
    n_children = [0] * len(order)
    for v in order:
        for p in v.parents:
            n_children[index[p]] += 1
    depth = [0] * len(order)  # neurons on the longest path from the inputs
    layer: dict[int, int] = {}  # node → its layer, for neurons' affine and activation nodes
    params: dict[int, int] = {}  # leaf → the layer whose weight or bias it is
    inputs: dict[int, int] = {}  # unlabeled leaf → the layer it is an input of
    for i, v in enumerate(order):
        depth[i] = max((depth[index[p]] for p in v.parents), default=0) + (v.op == AFFINE)
        if v.op == AFFINE:
            layer[i] = depth[i]
            w, x, b = ops.affine_parts(v.parents)
            for table, leaves in ((params, (*w, b)), (inputs, x)):
                for p in leaves:
                    if p.is_leaf:
                        table.setdefault(index[p], depth[i])
        elif ops.is_activation(v.op) and len(v.parents) == 1:
            parent = index[v.parents[0]]
            if parent in layer and n_children[parent] == 1:
                layer[i] = layer[parent]

    ids: dict[Key, int] = {}
    keys: list[Key] = []

    def group_id(key: Key) -> int:
        if key not in ids:
            ids[key] = len(keys)
            keys.append(key)
        return ids[key]

    groups: list[int | None] = []
    parents_of: dict[int, set[int]] = {}
    for i, v in enumerate(order):
        g: int | None
        if i in layer:
            g = group_id(("layer", layer[i]))
        elif i in params and (i not in inputs or not v.label):
            g = group_id(("params", params[i]))
        elif i in inputs:
            g = group_id(("inputs", inputs[i]))
        elif not v.parents:
            g = group_id(("leaf", v.label)) if v.label else None
        else:
            parent_ids = list(dict.fromkeys(k for p in v.parents
                                            if (k := groups[index[p]]) is not None))
            g = None
            if v.op == "+":  # a running sum joins the sum it continues
                g = next((k for k in parent_ids if keys[k][0] == "+"
                          and set(parent_ids) - {k} <= parents_of[k] | {k}), None)
            if g is None:
                g = group_id((v.op, tuple(parent_ids)))
                parents_of.setdefault(g, set(parent_ids))
        groups.append(g)
    return groups, keys


def _describe(key: Key, nodes: list[Value], is_sum: bool, show_grad: bool) -> tuple[str, str]:
    """The HTML label and fill colour of a group's node."""
    kind = key[0]
    count = len(nodes)
    if kind == "layer":
        affine = [v for v in nodes if v.op == AFFINE]
        neurons = len({id(ops.affine_parts(v.parents)[2]) for v in affine})  # one bias each
        acts = [v.op for v in nodes if ops.is_activation(v.op)]
        fan_in = len(ops.affine_parts(affine[0].parents)[0])
        unit = f"{acts[0]}(w<sup>T</sup>x + b)" if acts else "(w<sup>T</sup>x + b)"
        samples = len(affine) // max(neurons, 1)
        rows = [f"<b>layer {key[1]}</b>: {neurons} × {unit}",
                f'<font point-size="9">{fan_in} inputs each'
                + (f", {samples} samples" if samples > 1 else "") + "</font>"]
        return "<br/>".join(rows), "#eaf2fb"
    if kind == "params":
        rows = [f"<b>W<sup>({key[1]})</sup>, b<sup>({key[1]})</sup></b>", f"{count} parameters"]
        if show_grad:
            norm = math.sqrt(sum(v.grad * v.grad for v in nodes))
            rows.append(f'<font color="{GRAD_COLOR}">‖∇‖ = {fmt(norm)}</font>')
        return "<br/>".join(rows), "#fdf6e3"
    if kind == "inputs":
        return f"<b>inputs</b> of layer {key[1]}<br/>{count} leaf nodes", "#fdf6e3"
    if kind == "leaf":
        name = html.escape(key[1])
        if count == 1:
            v = nodes[0]
            grad = f'<br/><font color="{GRAD_COLOR}">grad {fmt(v.grad)}</font>' if show_grad else ""
            return f"<b>{name}</b> = {fmt(v.data)}{grad}", "#fdf6e3"
        return f"<b>{name}</b> × {count}", "#fdf6e3"
    symbol = op_symbol(kind) if ops.lookup(kind) is not ops.POWER else "x" + op_symbol(kind)
    symbol = "Σ" if is_sum else html.escape(symbol)
    return symbol + (f'<br/><font point-size="9">× {count}</font>' if count > 1 else ""), "#f2f2f2"
