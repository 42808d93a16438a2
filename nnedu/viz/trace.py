"""The backprop algorithm of the slide, as data you can read step by step.

    forward:   for i = 1, …, N:        compute vᵢ as a function of Pa(vᵢ)
    backward:  v̄_N = 1;  for i = N−1, …, 1:   v̄ᵢ = Σ_{j ∈ Ch(vᵢ)} v̄ⱼ ∂vⱼ/∂vᵢ

`backprop_trace(root)` runs both passes on a graph that is already computed (it reads the values
and local derivatives the engine stored; it does not touch `.grad`) and records every term
v̄ⱼ·∂vⱼ/∂vᵢ. It prints as a text table, shows as an HTML table in Jupyter, and `frames()` gives the
graph after each backward step, to step through in a notebook or save for slides.
"""

from __future__ import annotations

import html
import unicodedata
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import overload

from nnedu.scalar.engine import Value, topological_order
from nnedu.viz.graph import (
    MAX_NODES,
    PNG_DPI,
    GraphDrawing,
    GraphTooLargeError,
    check_options,
    graph_dot,
)
from nnedu.viz.notation import (
    arg_names,
    bar,
    children_of,
    computed_as,
    fmt,
    is_constant,
    local_grad_formula,
    node_names,
)


@dataclass(frozen=True)
class Term:
    """One term v̄ⱼ·∂vⱼ/∂vᵢ of v̄ᵢ: the error signal of child vⱼ times the local derivative."""

    child: str
    child_bar: float
    local_grad: float
    formula: str  # ∂vⱼ/∂vᵢ as the slide writes it: 'x', '2w', 'σ′(z)', '1'

    @property
    def value(self) -> float:
        return self.child_bar * self.local_grad

    def __str__(self) -> str:
        """'z̄·x': the term in symbols."""
        return f"{bar(self.child)}·{self.formula}"

    def numbers(self) -> str:
        """'-0.06281·1.5': the term in numbers."""
        local = fmt(self.local_grad)
        return f"{fmt(self.child_bar)}·{f'({local})' if self.local_grad < 0 else local}"


@dataclass(frozen=True)
class Step:
    """Node vᵢ of the topological order: how it is computed, its value and its error signal."""

    i: int  # 1-based, as on the slide
    name: str
    op: str
    computed_as: str
    parents: tuple[int, ...]  # the i of each parent, in the order of the op's arguments
    value: float
    bar: float
    terms: tuple[Term, ...]  # one per child, in increasing j; empty for the output v_N

    @property
    def is_constant(self) -> bool:
        return self.op == "constant"

    def backward_text(self) -> str:
        """The line of the backward pass, in symbols, then numbers: 'z̄ = ȳ·σ′(z) = -0.2994·0.2098
        = -0.06281', or for fan-out 'w̄ = v̄₃·x + v̄₁₅·2w = -0.09422 + 0.05 = -0.04422'."""
        if not self.terms:
            return f"{bar(self.name)} = {fmt(self.bar)}"
        symbols = " + ".join(str(t) for t in self.terms)
        if len(self.terms) == 1:
            numbers = self.terms[0].numbers()
        else:
            numbers = " + ".join(fmt(t.value) for t in self.terms)
        return f"{bar(self.name)} = {symbols} = {numbers} = {fmt(self.bar)}"


class BackpropTrace:
    """The forward and backward pass over v₁ … v_N; `steps[i-1]` is node vᵢ."""

    def __init__(self, root: Value, max_nodes: int | None = MAX_NODES) -> None:
        check_options(max_nodes=max_nodes)
        self.root = root
        self.max_nodes = max_nodes
        self._order = topological_order(root)
        by_hand = [v for v in self._order if v._local_grads is None]
        if by_hand:
            raise ValueError(f"backprop_trace: the node {by_hand[0]!r} (op {by_hand[0]._op!r}) "
                             "was built by hand with its own _backward, so its local derivatives "
                             "are unknown to the trace; build it from the engine's operations")
        self.bars = _backward(self._order)
        names = node_names(self._order)
        index = {v: i for i, v in enumerate(self._order)}
        children = children_of(self._order, index)
        self.steps: list[Step] = []
        args = [arg_names(v, index, names) for v in self._order]
        for i, v in enumerate(self._order):
            terms = tuple(Term(names[j], self.bars[j], self._order[j]._local_grads[k],
                               local_grad_formula(self._order[j], k, args[j], names[j]))
                          for j, k in children[i])
            parents = tuple(index[p] + 1 for p in v._prev)
            formula = computed_as(v, args[i]) if v._prev else _leaf_kind(v)
            self.steps.append(Step(i + 1, names[i], v._op or _leaf_kind(v), formula, parents,
                                   v.data, self.bars[i], terms))

    def __len__(self) -> int:
        return len(self.steps)

    def __iter__(self) -> Iterator[Step]:
        return iter(self.steps)

    def __getitem__(self, name: str) -> Step:
        """The step of the node called `name` (its label, or vᵢ)."""
        found = [s for s in self.steps if s.name == name]
        if len(found) != 1:
            known = ", ".join(s.name for s in self.steps if not s.is_constant)
            raise KeyError(f"{len(found)} nodes are called {name!r}; the nodes are: {known}")
        return found[0]

    def backward_steps(self) -> list[Step]:
        """The backward pass in its order, i = N, N−1, …, 1 (constants left out)."""
        return [s for s in reversed(self.steps) if not s.is_constant]

    # ------------------------------------------------------------------ showing it
    def __str__(self) -> str:
        forward = [("i", "node", "computed as", "value")] + [
            (str(s.i), s.name, s.computed_as, fmt(s.value)) for s in self.steps]
        lines = ["Forward pass: v₁ … v_N in topological order (parents first)",
                 *_table(forward), "",
                 "Backward pass: v̄_N = 1, then v̄ᵢ = Σ_{j ∈ Ch(vᵢ)} v̄ⱼ ∂vⱼ/∂vᵢ for i = N−1 … 1",
                 *_table([("i", "error signal")] + [(str(s.i), s.backward_text())
                                                    for s in self.backward_steps()])]
        return "\n".join(lines)

    def _repr_html_(self) -> str:
        forward = "".join(
            f"<tr><td>{s.i}</td><td><b>{_h(s.name)}</b></td><td>{_h(s.computed_as)}</td>"
            f"<td>{fmt(s.value)}</td></tr>" for s in self.steps)
        backward = "".join(
            f"<tr><td>{s.i}</td><td style='text-align:left'>{_h(s.backward_text())}</td></tr>"
            for s in self.backward_steps())
        head = "<th>i</th><th>vᵢ</th><th>computed as</th><th>value</th>"
        return ("<div style='display:flex;gap:2em;align-items:flex-start'>"
                f"<table><caption>forward pass, i = 1 … N</caption><tr>{head}</tr>{forward}</table>"
                "<table><caption>backward pass, i = N … 1</caption>"
                f"<tr><th>i</th><th>v̄ᵢ = Σⱼ v̄ⱼ ∂vⱼ/∂vᵢ</th></tr>{backward}</table></div>")

    def frames(self, rankdir: str = "LR") -> BackwardFrames:
        """The graph after each backward step, the node just computed highlighted."""
        check_options(rankdir=rankdir)
        n = len(self._order)
        if self.max_nodes is not None and n > self.max_nodes:
            raise GraphTooLargeError(f"the graph has {n} nodes, more than max_nodes="
                                     f"{self.max_nodes}: trace a smaller graph to draw its frames")
        drawings = [GraphDrawing(graph_dot(self._order, self.bars, rankdir=rankdir,
                                           title=f"step {k}:  {s.backward_text()}", step=s.i - 1))
                    for k, s in enumerate(self.backward_steps(), 1)]
        return BackwardFrames(drawings, [s.backward_text() for s in self.backward_steps()])


def backprop_trace(root: Value, max_nodes: int | None = MAX_NODES) -> BackpropTrace:
    """Trace the backprop algorithm from `root` (the loss v_N) over its computation graph."""
    if not isinstance(root, Value):
        raise TypeError(f"backprop_trace needs a Value, got {type(root).__name__}")
    return BackpropTrace(root, max_nodes=max_nodes)


class BackwardFrames(Sequence[GraphDrawing]):
    """One drawing per backward step: index them, loop over them, or save them for slides."""

    def __init__(self, drawings: list[GraphDrawing], captions: list[str]) -> None:
        self._drawings = drawings
        self.captions = captions

    def __len__(self) -> int:
        return len(self._drawings)

    @overload
    def __getitem__(self, k: int) -> GraphDrawing: ...
    @overload
    def __getitem__(self, k: slice) -> list[GraphDrawing]: ...

    def __getitem__(self, k: int | slice) -> GraphDrawing | list[GraphDrawing]:
        """Frame k (0-based: frame 0 is backward step 1), or a list of frames for a slice."""
        return self._drawings[k]

    def save(self, directory: str | Path, stem: str = "backprop", format: str = "svg") \
            -> list[Path]:
        """Write `<stem>_01.<format>`, `<stem>_02.<format>`, … into `directory`."""
        directory = Path(directory)
        width = len(str(len(self)))
        return [d.save(directory / f"{stem}_{k:0{max(width, 2)}d}.{format}", format)
                for k, d in enumerate(self._drawings, 1)]

    def save_gif(self, path: str | Path, seconds_per_step: float = 1.5,
                 dpi: int = PNG_DPI) -> Path:
        """An animated GIF of the steps, drawn as PNG at `dpi`, padded to one size, in one
        palette shared by all frames (quantizing each frame on its own is 40 times slower)."""
        import io

        from PIL import Image

        images = [Image.open(io.BytesIO(d.render("png", dpi))).convert("RGB")
                  for d in self._drawings]
        width = max(im.width for im in images)
        height = max(im.height for im in images)
        sheet = Image.new("RGB", (width, height * len(images)), "white")
        for k, im in enumerate(images):
            sheet.paste(im, (0, k * height))
        palette = sheet.reduce(2).quantize(colors=128, method=Image.Quantize.FASTOCTREE,
                                           dither=Image.Dither.NONE)
        frames = [sheet.crop((0, k * height, width, (k + 1) * height))
                  .quantize(palette=palette, dither=Image.Dither.NONE)
                  for k in range(len(images))]
        path = Path(path)
        path.parent.mkdir(parents=True, exist_ok=True)
        frames[0].save(path, save_all=True, append_images=frames[1:],
                       duration=int(seconds_per_step * 1000), loop=0)
        return path

    def _repr_html_(self) -> str:
        parts = []
        for k, (d, caption) in enumerate(zip(self._drawings, self.captions), 1):
            # a PNG <img>, not inline SVG: an untrusted notebook strips inline SVG from HTML
            parts.append(f"<details{' open' if k == 1 else ''}><summary>step {k}: "
                         f"{_h(caption)}</summary>{d.png_html()}</details>")
        return "".join(parts)


# ------------------------------------------------------------------------------ helpers
def _backward(order: Sequence[Value]) -> list[float]:
    """v̄ for every node, summed in the engine's order (so v̄ equals `.grad` to the last bit)."""
    index = {v: i for i, v in enumerate(order)}
    bars = [0.0] * len(order)
    bars[-1] = 1.0
    for j in range(len(order) - 1, -1, -1):
        v = order[j]
        for parent, local_grad in zip(v._prev, v._local_grads):
            bars[index[parent]] += bars[j] * local_grad
    return bars


def _leaf_kind(v: Value) -> str:
    return "constant" if is_constant(v) else "input"


def _width(s: str) -> int:
    return sum(1 for c in s if not unicodedata.combining(c))


def _table(rows: list[tuple[str, ...]]) -> list[str]:
    widths = [max(_width(r[c]) for r in rows) for c in range(len(rows[0]))]
    return ["  ".join(cell + " " * (w - _width(cell)) for cell, w in zip(r, widths)).rstrip()
            for r in rows]


def _h(s: str) -> str:
    return html.escape(s)
