"""Computation graphs you can see: `draw_graph(root)` draws the graph that computed a `Value`.

As on the slides, nodes are the inputs and computed quantities and edges say "computed from".
Each value vᵢ is a box with its name, its forward value and its error signal v̄ᵢ = ∂L/∂vᵢ; a
small circle before it names the operation. A value used more than once (fan-out > 1) gets a
double orange border and shows its error signal as the sum of its terms,

    v̄ᵢ = Σ_{j ∈ Ch(vᵢ)} v̄ⱼ ∂vⱼ/∂vᵢ,

and with `edge_grads=True` every edge vᵢ → vⱼ is labelled with its own term v̄ⱼ·∂vⱼ/∂vᵢ.

The DOT text depends on the graph only (nodes are called v1 … vN in topological order, never
by memory address), so it is byte-identical in every process. Pictures are drawn by the Graphviz
that the pygraphviz wheel bundles: no `dot` program is needed.
"""

from __future__ import annotations

import base64
import contextlib
import html
import os
import re
import sys
import tempfile
from collections.abc import Iterator, Sequence
from pathlib import Path

from nnedu import _checks
from nnedu._files import atomic_write_bytes
from nnedu.scalar.engine import Value, topological_order
from nnedu.viz.fonts import FONT, use_bundled_font
from nnedu.viz.notation import (
    arg_names,
    bar_parts,
    children_of,
    fmt,
    is_constant,
    local_grad_formula,
    node_names,
    op_symbol,
)

FORMATS = ("svg", "png", "pdf", "dot")
RANKDIRS = ("LR", "TB", "RL", "BT")
MAX_NODES = 400
# What Graphviz's dot is slow at is not the number of nodes but long edges: an edge that spans
# k ranks becomes a chain of k − 1 invisible points, and ordering those points (mincross) grows
# much faster than linearly. A value used by many nodes far apart (y = x + x + … + x) makes
# about n²/2 of them. Measured with the bundled Graphviz on a loaded 2-core machine: 1,500
# points 0.3–0.8 s, 1,900 0.8–1.8 s, 2,400 1.6–1.8 s, 3,500 4.6–5.2 s, 4,900 6.5 s, 6,200
# 10–48 s; edges between neighbouring ranks are cheap (5,200 edges 0.7 s, 10,000 1.2 s, 20,000
# 5.3 s). A drawing may use up to MAX_BENDS points and MAX_EDGES edges, or a mix of both:
# bends / MAX_BENDS + edges / MAX_EDGES ≤ 1 (about a second or two of layout).
MAX_BENDS = 2000
MAX_EDGES = 4000
MAX_TITLE = 1000  # characters; Graphviz refuses an HTML label longer than 16 kB
PNG_DPI = 110  # as `save_figure`: sharp on slides, small in the repository
DISPLAY_DPI = 144  # the PNG a notebook shows: 1.5 device pixels per CSS pixel (96 per inch)
# A notebook's output area is about PAGE_PX wide at a 1,400 px window. A drawing is scaled down to
# it only as long as its smallest text stays at least LEGIBLE_PX high; a wider drawing is shown
# at that smallest legible scale, and the output scrolls sideways.
PAGE_PX = 960
LEGIBLE_PX = 9.5

_FAN_OUT = "#d35400"
_GRAD = "#a93226"
_FONT = FONT  # laid out with matplotlib's DejaVu Sans on every machine (see nnedu.viz.fonts)
_SVG_FONTS = f'font-family="{FONT},Verdana,sans-serif"'  # a browser without it: a wide sans
_FUSED_TIP = ("z = b + w₁x₁ + … + w_Dx_D as one node; Neuron(nin, fused=False) builds it "
              "op by op from * and + nodes, the graph micrograd's trace_graph draws")


class GraphTooLargeError(ValueError):
    """The graph has more nodes than a drawing can show legibly, or a layout that Graphviz
    would take minutes to compute (too many edges, or edges that span many ranks).

    `reason` says what is too large; the message adds what to do in Python (`hint`)."""

    def __init__(self, reason: str, hint: str = "") -> None:
        super().__init__(reason + hint)
        self.reason = reason


class GraphDrawing:
    """A computation graph as DOT text, rendered on demand.

    In Jupyter it shows as SVG and, beside it in the same output, as PNG: a notebook opened
    untrusted (every freshly cloned one) refuses SVG and shows the PNG. Both are scaled down to
    the width of the notebook, never up. `save("graph.svg")` writes .svg, .png, .pdf or .dot.
    """

    def __init__(self, dot: str) -> None:
        self.dot = dot
        self._svg: str | None = None
        self._png: bytes | None = None
        self._plain: str | None = None

    @property
    def source(self) -> str:
        """The DOT text (the `graphviz` package's name for it)."""
        return self.dot

    def render(self, format: str = "svg", dpi: int = PNG_DPI) -> bytes:
        """The picture as bytes in `format` ('svg', 'png', 'pdf' or 'dot'); `dpi` for PNG."""
        return render_dot(self.dot, format, dpi)

    def save(self, path: str | Path, format: str | None = None, dpi: int = PNG_DPI) -> Path:
        """Write the picture to `path`; the format comes from its extension unless given.
        The write is atomic: a failed save leaves an existing file as it was."""
        path = Path(path)
        format = format or path.suffix.lstrip(".").lower()
        data = self.render(format, dpi)
        path.parent.mkdir(parents=True, exist_ok=True)
        return atomic_write_bytes(path, data)

    def _repr_svg_(self) -> str:
        if self._svg is None:
            svg = self._plain_svg()
            width, fits = display_width(_svg_width_px(svg), smallest_text_pt(svg))
            self._svg = fit_to_width(svg) if fits else scroll_at_width(svg, width)
        return self._svg

    def _plain_svg(self) -> str:
        if self._plain is None:
            self._plain = self.render("svg").decode("utf-8")
        return self._plain

    def display_png(self) -> tuple[bytes, int, bool]:
        """The PNG a notebook shows (drawn at 1.5×), the width to show it at in CSS pixels, and
        whether it may be scaled down to the page (else it is shown at that width, scrolling)."""
        if self._png is None:
            self._png = self.render("png", DISPLAY_DPI)
        natural = int.from_bytes(self._png[16:20], "big") * 96 / DISPLAY_DPI  # IHDR width
        return (self._png, *display_width(natural, smallest_text_pt(self._plain_svg())))

    def _repr_mimebundle_(self, include: object = None, exclude: object = None) \
            -> tuple[dict[str, object], dict[str, object]]:
        png, width, fits = self.display_png()
        png_metadata: dict[str, object] = {"width": width}
        if not fits:
            png_metadata["unconfined"] = True  # JupyterLab: no max-width, the output scrolls
        return ({"image/svg+xml": self._repr_svg_(), "image/png": png, "text/plain": repr(self)},
                {"image/png": png_metadata})

    def png_html(self) -> str:
        """An <img> of the PNG at a legible size: shown in any notebook, trusted or not, and in
        nbconvert's HTML; scaled to the page's width, or in a box that scrolls sideways."""
        png, width, fits = self.display_png()
        data = base64.b64encode(png).decode("ascii")
        img = (f'<img src="data:image/png;base64,{data}" width="{width}" '
               f'style="{"max-width: 100%; " if fits else "max-width: none; "}height: auto;" '
               'alt="computation graph"/>')
        return img if fits else f'<div style="overflow-x: auto;">{img}</div>'

    def __repr__(self) -> str:
        lines = [line for line in self.dot.splitlines()  # nodes v1, v1_op, g1 and their edges
                 if line[2:3] in ("v", "g") and line[3:4].isdigit()]
        edges = sum(1 for line in lines if " -> " in line)
        return (f"<GraphDrawing of {len(lines) - edges} nodes and {edges} edges: "
                ".dot is the DOT text, .save(path) draws it>")


def render_dot(dot: str, format: str = "svg", dpi: int = PNG_DPI) -> bytes:
    """Lay out and draw DOT text with the Graphviz bundled in the pygraphviz wheel
    (`dpi`: the resolution of a PNG; vector formats do not need one).

    SVG is the format to prefer: the browser sets the bars of b̄ or L̄ (combining accents) right,
    while Graphviz's own PNG and PDF renderer may shift them left of tall letters."""
    if format not in FORMATS:
        raise ValueError(f"cannot draw a graph as {format!r}: choose one of {', '.join(FORMATS)}")
    dpi = _checks.positive_int(dpi, "dpi")
    if format == "dot":
        return dot.encode("utf-8")
    import pygraphviz

    args = f"-Gdpi={int(dpi)}" if format == "png" else ""
    use_bundled_font()
    with _stderr_without_fontconfig_warnings():
        data = pygraphviz.AGraph(string=dot).draw(format=format, prog="dot", args=args)
    if format == "svg":
        data = data.replace(f'font-family="{FONT}"'.encode(), _SVG_FONTS.encode())
    return data


def display_width(natural_px: float, text_pt: float) -> tuple[int, bool]:
    """The width (CSS px) to show a drawing of `natural_px` whose smallest text is `text_pt`
    at, and whether it fits the page: at most its natural size; scaled down to the page only
    while that text stays legible."""
    smallest = natural_px * min(1.0, LEGIBLE_PX / (text_pt * 96 / 72))
    if smallest <= PAGE_PX:
        return round(natural_px), True
    return round(smallest), False


def smallest_text_pt(svg: str) -> float:
    """The smallest font size (pt) of any text in a Graphviz SVG, scaled as drawn."""
    sizes = [float(x) for x in re.findall(r'font-size="([0-9.]+)"', svg)]
    scale = re.search(r'class="graph" transform="scale\(([0-9.]+)', svg)
    return min(sizes, default=11.0) * (float(scale.group(1)) if scale else 1.0)


def _svg_width_px(svg: str) -> float:
    """The width of a Graphviz SVG in CSS pixels (Graphviz writes it in points)."""
    match = re.search(r'<svg[^>]*\swidth="([0-9.]+)pt"', svg)
    return float(match.group(1)) * 96 / 72 if match else PAGE_PX


def scroll_at_width(svg: str, width: int) -> str:
    """The SVG at `width` CSS px (its aspect kept), for an output area that scrolls sideways."""
    start = svg.find("<svg")
    if start < 0:
        return svg
    return (svg[:start] + f'<svg style="width: {width}px; max-width: none; height: auto;"'
            + svg[start + len("<svg"):])


def fit_to_width(svg: str) -> str:
    """The SVG scaled down to its container's width (never up), its aspect kept."""
    start = svg.find("<svg")
    if start < 0:
        return svg
    return (svg[:start] + '<svg style="max-width: 100%; height: auto;"'
            + svg[start + len("<svg"):])


_TABLE = '<table border="0" cellborder="0" cellspacing="0" cellpadding="0">'


def _barred_cell(stem: str, color: str) -> str:
    """The stem of an error signal in a cell whose top border is the bar: a drawn line rather
    than a combining accent, so every renderer puts it over the letters (accents drift left in
    Graphviz's PNG and touch the line above in SVG)."""
    return (f'<td sides="T" border="1" color="{color}"><font color="{color}">'
            f"{html.escape(stem)}</font></td>")


def _tagged(tag: str, text: str, color: str | None = None) -> str:
    """`text` escaped in <b> or <font color=…>; nothing for no text (Graphviz refuses <b></b>)."""
    if not text:
        return ""
    attrs = f' color="{color}"' if color else ""
    return f"<{tag}{attrs}>{html.escape(text)}</{tag}>"


def bar_html(name: str, rest: str = "", color: str = "black") -> str:
    """The error signal v̄ of `name` followed by `rest` (HTML), as a one-row Graphviz table."""
    stem, tail = bar_parts(name)
    return (f"{_TABLE}<tr>{_barred_cell(stem, color)}"
            f'<td><font color="{color}">{html.escape(tail)}{rest}</font></td></tr></table>')


def value_table(name: str, value: str, bar_value: str | None, color: str,
                extra: str | None = None) -> str:
    """A value node's label: "v₁₈ = 0.0125" over "v̄₁₈ = 1" (if `bar_value`), left-aligned in
    three columns (stem, subscript, value) so the bar spans exactly the stem, then `extra`."""
    stem, tail = bar_parts(name)
    rows = [f"<tr><td><b>{html.escape(stem)}</b></td><td>{_tagged('b', tail)}</td>"
            f'<td align="left"> = {value}</td></tr>']
    if bar_value is not None:
        rows.append(f'<tr>{_barred_cell(stem, color)}<td>{_tagged("font", tail, color)}</td>'
                    f'<td align="left"><font color="{color}"> = {bar_value}</font></td></tr>')
    if extra is not None:
        rows.append(f'<tr><td colspan="3">{extra}</td></tr>')
    return f'{_TABLE}{"".join(rows)}</table>'


def label_text(label: str) -> str:
    """A node's or edge's HTML label as a reader reads it: tags dropped, rows joined by newlines,
    a barred stem written with its combining bar (w̄, l̅o̅s̅s̅) as `notation.bar` writes it."""
    def barred(match: re.Match[str]) -> str:
        stem = re.sub(r"<[^>]+>", "", match.group(1))
        mark = "\u0304" if len(stem) == 1 else "\u0305"
        return "".join(c + mark for c in stem)

    text = re.sub(r'<td sides="T"[^>]*>(.*?)</td>', barred, label)
    text = re.sub(r"</tr>\s*<tr>|<br/>", "\n", text)
    return html.unescape(re.sub(r"<[^>]+>", "", text)).strip()


@contextlib.contextmanager
def _stderr_without_fontconfig_warnings() -> Iterator[None]:
    """Hold back the 'Fontconfig warning' lines that the fontconfig bundled with pygraphviz
    prints (straight to file descriptor 2) about newer system configs; pass on anything else."""
    sys.stderr.flush()
    saved = os.dup(2)
    with tempfile.TemporaryFile() as captured:
        os.dup2(captured.fileno(), 2)
        try:
            yield
        finally:
            os.dup2(saved, 2)
            os.close(saved)
            captured.seek(0)
            lines = captured.read().decode("utf-8", "replace").splitlines()
    other = [line for line in lines if not line.startswith("Fontconfig warning")]
    if other:
        sys.stderr.write("\n".join(other) + "\n")


def _op_html(op: str) -> str:
    if op == "wᵀx+b":
        return "w<sup>T</sup>x + b"
    if op.startswith("**") and op != "**":
        return "x<sup>" + html.escape(op[2:]) + "</sup>"
    return html.escape(op_symbol(op))


# ------------------------------------------------------------------------------ drawing
def draw_graph(root: Value, rankdir: str = "LR", show_grad: bool = True,
               title: str | None = None, edge_grads: bool = False,
               max_nodes: int | None = MAX_NODES, collapse: bool = False) -> GraphDrawing:
    """Draw the computation graph that computed `root` (grads are those of the last backward()).

    `rankdir` 'LR' (left to right) or 'TB'; `show_grad=False` hides the error signals;
    `edge_grads=True` labels each edge vᵢ → vⱼ with v̄ⱼ·∂vⱼ/∂vᵢ. Graphs with more than
    `max_nodes` values, or whose layout would be slow (see `layout_cost`: more than MAX_EDGES
    edges, MAX_BENDS points on long edges, or a mix) are refused with a `GraphTooLargeError`
    (max_nodes=None draws any graph, however slowly); `collapse=True` draws the layer-level
    view instead, one node per layer of neurons (see `nnedu.viz.collapse`).

    A leaf made by hand (`Value(1.0)`, a weight, an input) shows its gradient, named vᵢ if it has
    no label; only numbers the engine wrapped itself (the 2 of `2 * x`) are drawn as plain
    numbers. A `Neuron`'s z = wᵀx + b is one node (`wᵀx + b`); `Neuron(nin, fused=False)` gives
    the op-by-op graph of `*` and `+` nodes that micrograd's trace_graph draws.
    """
    if not isinstance(root, Value):
        raise TypeError(f"draw_graph needs a Value (the output of a computation), "
                        f"got {type(root).__name__}")
    check_options(rankdir=rankdir, title=title, max_nodes=max_nodes)
    order = topological_order(root)
    if collapse:
        from nnedu.viz.collapse import collapsed_dot

        dot, n_nodes = collapsed_dot(order, rankdir=rankdir, show_grad=show_grad, title=title)
        _check_size(n_nodes, max_nodes, "collapsed ")
        return GraphDrawing(dot)
    _check_size(len(order), max_nodes, "")
    if max_nodes is not None:
        check_layout_cost(order, edge_labels=edge_grads and show_grad)
    bars = [v.grad for v in order] if show_grad else None
    return GraphDrawing(graph_dot(order, bars, rankdir=rankdir, title=title,
                                  edge_grads=edge_grads and show_grad))


def check_options(rankdir: str = "LR", title: str | None = None,
                  max_nodes: int | None = None) -> None:
    """Refuse drawing options that would otherwise fail deep inside Graphviz or a comparison."""
    if rankdir not in RANKDIRS:
        raise ValueError(f"rankdir={rankdir!r}: choose one of {', '.join(RANKDIRS)}")
    if title is not None and not isinstance(title, str):
        raise TypeError(f"title must be a string, got {type(title).__name__} {title!r}")
    if title is not None:
        check_text(title, "title", MAX_TITLE)
    if max_nodes is not None:
        _checks.positive_int(max_nodes, "max_nodes (or None for no limit)")


def _check_size(n: int, max_nodes: int | None, kind: str) -> None:
    if max_nodes is not None and n > max_nodes:
        collapse = "" if kind else "draw it with collapse=True (one node per layer of neurons), "
        raise GraphTooLargeError(
            f"the {kind}graph has {n} nodes, more than max_nodes={max_nodes} can show legibly",
            f": {collapse}draw a smaller piece (one sample, a smaller network), or pass "
            "max_nodes=None to draw it anyway (slow).")


def check_text(text: str, what: str, max_length: int) -> None:
    """Refuse text that Graphviz cannot draw: control characters (its XML parser stops at
    them), text that is not valid Unicode (e.g. bytes that were not UTF-8), or more than
    `max_length` characters."""
    if len(text) > max_length:
        raise ValueError(f"the {what} has {len(text)} characters, more than {max_length}: "
                         "shorten it")
    for i, char in enumerate(text):
        if "\ud800" <= char <= "\udfff":
            raise ValueError(f"the {what} is not valid UTF-8 text (character {i + 1} is the "
                             f"undecodable byte 0x{ord(char) & 0xFF:02x}); check its encoding")
        if (char < " " and char != "\n") or "\x7f" <= char < "\xa0":
            raise ValueError(f"the {what} contains the control character U+{ord(char):04X} "
                             f"at position {i + 1}, which Graphviz cannot draw; remove it")


def layout_cost(order: Sequence[Value], edge_labels: bool = False) -> tuple[int, int]:
    """(edges, bends) of the drawing of the graph `order`: its edges, and the invisible points
    Graphviz's dot adds on edges that span several ranks (what makes its layout slow).

    Ranks are estimated as dot finds them: each node one rank after its op circle, which is
    one rank after its latest parent; a node with more outgoing than incoming edges (a
    constant, a value used many times) moves up to just before its first use. Labelled edges
    (`edge_grads`) double the ranks, and each label is one more point.
    """
    index = {v: i for i, v in enumerate(order)}
    rank = [0] * len(order)
    first_use: list[int | None] = [None] * len(order)
    uses = [0] * len(order)
    for j, v in enumerate(order):
        if v._prev:
            rank[j] = 2 + max(rank[index[p]] for p in v._prev)
    for j, v in enumerate(order):  # each child's op circle is at rank[j] − 1
        for p in v._prev:
            i = index[p]
            uses[i] += 1
            first_use[i] = rank[j] - 1 if first_use[i] is None else min(first_use[i], rank[j] - 1)
    for i in reversed(range(len(order))):
        if uses[i] > (1 if order[i]._prev else 0) and first_use[i] is not None:
            rank[i] = max(rank[i], first_use[i] - 1)
    edges = bends = 0
    for j, v in enumerate(order):
        if v._prev:
            edges += len(v._prev) + 1  # parent → op circle, op circle → node
            for p in v._prev:
                span = rank[j] - 1 - rank[index[p]]
                bends += 2 * span - 1 if edge_labels else span - 1
            bends += 1 if edge_labels else 0  # the op circle → node edge spans 2 ranks too
    return edges, bends


def check_layout_cost(order: Sequence[Value], edge_labels: bool = False) -> None:
    """Refuse a graph whose layout would take Graphviz more than a second or two (see
    MAX_EDGES and MAX_BENDS) with a `GraphTooLargeError` that says why."""
    edges, bends = layout_cost(order, edge_labels)
    if bends / MAX_BENDS + edges / MAX_EDGES > 1:
        labels = " (edge labels double them)" if edge_labels else ""
        raise GraphTooLargeError(
            f"the graph's layout is too slow for Graphviz: {edges} edges and {bends} points on "
            f"edges that span many ranks{labels}, more than the {MAX_EDGES} edges or "
            f"{MAX_BENDS} points (or a mix) it lays out in a second or two; a value used by "
            "many nodes far apart causes this (y = x + x + … + x)",
            ". Draw a smaller piece, or pass max_nodes=None to draw it anyway (it may take "
            "minutes).")


def graph_dot(order: Sequence[Value], bars: Sequence[float] | None, rankdir: str = "LR",
              title: str | None = None, edge_grads: bool = False, step: int | None = None) -> str:
    """The DOT text of the graph with nodes `order` (topological) and error signals `bars`.

    `bars=None` hides the error signals. `step=i` draws the moment of the backward pass at which
    v̄ᵢ is computed: vᵢ and the terms that make it are highlighted, the v̄ of nodes before vᵢ
    (not computed yet) are invisible but take their space, so every step has the same layout.
    """
    index = {v: i for i, v in enumerate(order)}
    names = node_names(order)
    children = children_of(order, index)
    current = set() if step is None else {j for j, _ in children[step]}
    lines = dot_header("computation graph", rankdir, title, "nodesep=0.25, ranksep=0.35",
                       "fontsize=11, height=0.3", 'fontsize=9, color="#555555", arrowsize=0.6')
    for i, v in enumerate(order):
        lines.append(_value_node(i, order, names, children[i], bars, step))
        if v._prev:
            fill = "#ffe082" if i in current else "#f2f2f2"
            tip = f', tooltip="{_FUSED_TIP}"' if v._op == "wᵀx+b" else ""
            lines.append(f'  v{i + 1}_op [shape=circle, style=filled, fillcolor="{fill}", '
                         f'margin=0.02{tip}, label=<{_op_html(v._op)}>];')
    for j, v in enumerate(order):
        for k, parent in enumerate(v._prev):
            lines.append(_edge(index[parent], j, k, order, index, names, children, bars,
                               edge_grads or step is not None, step))
        if v._prev:
            lines.append(f"  v{j + 1}_op -> v{j + 1};")
    lines.append("}")
    return "\n".join(lines) + "\n"


def dot_header(name: str, rankdir: str, title: str | None, spacing: str, node_style: str,
               edge_style: str) -> list[str]:
    """The opening lines of a drawing's DOT text: its name, direction, spacing and title, and
    the default style of its nodes and edges (all in the drawings' font)."""
    title_style = f", labelloc=t, fontsize=14, label=<{html.escape(title)}>" if title else ""
    return [f'digraph "{name}" {{',
            f'  graph [rankdir={rankdir}, fontname="{_FONT}", {spacing}{title_style}];',
            f'  node [fontname="{_FONT}", {node_style}];',
            f'  edge [fontname="{_FONT}", {edge_style}];']


def _edge(i: int, j: int, k: int, order: Sequence[Value], index: dict[Value, int],
          names: list[str], children: list[list[tuple[int, int]]],
          bars: Sequence[float] | None, edge_grads: bool, step: int | None) -> str:
    """The edge vᵢ → vⱼ (into vⱼ's op node), labelled with the term v̄ⱼ·∂vⱼ/∂vᵢ if asked."""
    attrs = []
    parent = order[i]
    if len(children[i]) > 1 and not is_constant(parent):
        attrs.append(f'color="{_FAN_OUT}"')
    if step == i:
        attrs += ['color="#c62828"', "penwidth=2"]
    v = order[j]
    if edge_grads and bars is not None and not is_constant(parent) and v._local_grads is not None:
        formula = local_grad_formula(v, k, arg_names(v, index, names), names[j])
        rest = html.escape(f"·{formula} = {fmt(bars[j] * v._local_grads[k])}")
        color = "transparent" if step is not None and i < step else _GRAD
        attrs += [f"label=<{bar_html(names[j], rest, color)}>", f'fontcolor="{color}"']
    return f"  v{i + 1} -> v{j + 1}_op" + (f" [{', '.join(attrs)}]" if attrs else "") + ";"


def _value_node(i: int, order: Sequence[Value], names: list[str],
                children: list[tuple[int, int]], bars: Sequence[float] | None,
                step: int | None) -> str:
    v = order[i]
    if is_constant(v):
        return (f'  v{i + 1} [shape=box, style="rounded,dashed", color="#999999", fontsize=10, '
                f'label=<{fmt(v.data)}>];')
    fill = "#ffe082" if step == i else ("#e8f5e9" if not children else
                                         "#fdf6e3" if not v._prev else "#eaf2fb")
    bar_value = color = None
    if bars is not None:
        color = fill if step is not None and i < step else _GRAD
        bar_value = _bar_value(i, order, children, bars)
    fan_out = len(children) > 1
    extra = (f'<font color="{_FAN_OUT}" point-size="9">used {len(children)}×</font>'
             if fan_out else None)
    border = f', color="{_FAN_OUT}", peripheries=2' if fan_out else ""
    label = value_table(names[i], fmt(v.data), bar_value, color or _GRAD, extra)
    return (f'  v{i + 1} [shape=box, style="rounded,filled", fillcolor="{fill}"{border}, '
            f"label=<{label}>];")


def _bar_value(i: int, order: Sequence[Value], children: list[tuple[int, int]],
               bars: Sequence[float]) -> str:
    """'0.02', or for fan-out '0.018 + 0.0025 = 0.0205': one term v̄ⱼ·∂vⱼ/∂vᵢ per child."""
    if len(children) > 1 and all(order[j]._local_grads is not None for j, _ in children):
        terms = (bars[j] * order[j]._local_grads[k] for j, k in children)  # type: ignore[index]
        return f"{' + '.join(fmt(t) for t in terms)} = {fmt(bars[i])}"
    return fmt(bars[i])
