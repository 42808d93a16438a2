"""`draw_dot(root)`: micrograd's trace_graph drawing, as a `graphviz.Digraph` that renders here.

micrograd's `trace_graph.ipynb` and the lecture build a `graphviz.Digraph`: a record node
`{ data | grad }` (with the label in front, if any) per value, a small node per operation. The
`graphviz` package draws it by running the `dot` program, which most student machines lack
(`ExecutableNotFound`). `draw_dot` builds the same `Digraph`, and its pictures (the notebook's
display, `pipe()`, `render()`, `view()`) are drawn by the Graphviz bundled with pygraphviz.
`nnedu.viz.draw_graph` is the lecture's own drawing (names, v̄ notation, fan-out).
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from pathlib import Path

import graphviz
from graphviz.backend import rendering as _rendering

from nnedu.scalar.engine import Value, topological_order

RANKDIRS = ("LR", "TB")


def draw_dot(root: Value, format: str = "svg", rankdir: str = "LR") -> Digraph:
    """The graph that computed `root` as micrograd's trace_graph draws it: `format` 'svg', 'png',
    'pdf', …; `rankdir` 'LR' (left to right) or 'TB' (top to bottom).

    Value nodes are records `{ data %.4f | grad %.4f }`, `{ label | data | grad }` for a labelled
    value as in the lecture; an operation is a node of its own between its inputs and its result.
    A `Neuron`'s fused z = wᵀx + b is one operation; `Neuron(nin, fused=False)` builds it from
    the `*` and `+` nodes trace_graph shows. An input used twice (`a + a`) has one edge, as in
    micrograd, whose `_prev` is a set.
    """
    if not isinstance(root, Value):
        raise TypeError(f"draw_dot needs a Value (the output of a computation), "
                        f"got {type(root).__name__}")
    if rankdir not in RANKDIRS:
        raise ValueError(f"draw_dot: rankdir={rankdir!r}; choose 'LR' (left to right) or 'TB'")
    dot = Digraph(format=format, graph_attr={"rankdir": rankdir})
    nodes = topological_order(root)  # micrograd's trace() returns a set; this order is fixed
    for n in nodes:
        uid = str(id(n))
        fields = f"{n.label} | " if n.label else ""
        dot.node(name=uid, label=f"{{ {fields}data {n.data:.4f} | grad {n.grad:.4f} }}",
                 shape="record")
        if n._op:
            dot.node(name=uid + n._op, label=n._op)
            dot.edge(uid + n._op, uid)
    for n in nodes:
        for child in dict.fromkeys(n._prev):  # one edge per distinct input, as micrograd's set
            dot.edge(str(id(child)), str(id(n)) + n._op)
    return dot


class Digraph(graphviz.Digraph):
    """A `graphviz.Digraph` whose pictures come from the Graphviz bundled with pygraphviz:
    `pipe()`, `render()`, `view()` and the notebook display work without a `dot` program."""

    @property
    def _pipe_lines(self):  # graphviz's seam: the function that would run `dot`
        return _pipe_lines

    @property
    def _pipe_lines_string(self):
        return _pipe_lines_string

    @property
    def _render(self):
        return _render


def layout(source: str, engine: str = "dot", format: str = "svg", renderer: str | None = None,
           formatter: str | None = None) -> bytes:
    """DOT text laid out by `engine` ('dot', 'neato', …) and drawn as `format`, in process."""
    import pygraphviz

    from nnedu.viz.graph import _stderr_without_fontconfig_warnings

    full_format = ":".join(part for part in (format, renderer, formatter) if part)
    with _stderr_without_fontconfig_warnings():
        return pygraphviz.AGraph(string=source).draw(format=full_format, prog=engine)


def _pipe_lines(engine: str, format: str, input_lines: Iterator[str], *, input_encoding: str,
                renderer: str | None = None, formatter: str | None = None,
                neato_no_op: bool | int | None = None, quiet: bool = False) -> bytes:
    """graphviz's `pipe_lines`, drawn in process instead of by a `dot` subprocess."""
    return layout("".join(input_lines), engine, format, renderer, formatter)


def _pipe_lines_string(engine: str, format: str, input_lines: Iterator[str], *, encoding: str,
                       renderer: str | None = None, formatter: str | None = None,
                       neato_no_op: bool | int | None = None, quiet: bool = False) -> str:
    """graphviz's `pipe_lines_string`, drawn in process."""
    return layout("".join(input_lines), engine, format, renderer, formatter).decode(encoding)


def _render(engine: str, format: str | None = None, filepath: str | os.PathLike | None = None,
            renderer: str | None = None, formatter: str | None = None,
            neato_no_op: bool | int | None = None, quiet: bool = False, *,
            outfile: str | os.PathLike | None = None, raise_if_result_exists: bool = False,
            overwrite_filepath: bool = False) -> str:
    """graphviz's `render`: draw the DOT file `filepath` into `outfile` (by default `filepath`
    plus '.<format>', as `dot -O` names it); return the path written."""
    if raise_if_result_exists and overwrite_filepath:
        raise ValueError("overwrite_filepath cannot be combined with raise_if_result_exists")
    source_path = Path(filepath) if filepath is not None else None
    if outfile is not None:
        target = Path(outfile)
        format = _rendering.get_format(target, format=format)
        if source_path is None:
            source_path = _rendering.get_filepath(target)
        if not overwrite_filepath and target.resolve() == source_path.resolve():
            raise ValueError(f"outfile {target.name!r} must be different from input file "
                             f"{source_path.name!r} (pass overwrite_filepath=True to override)")
    elif source_path is None or format is None:
        raise graphviz.RequiredArgumentError("render needs a filepath and a format, or an outfile")
    else:
        target = _rendering.get_outfile(source_path, format=format, renderer=renderer,
                                        formatter=formatter)
    if raise_if_result_exists and target.exists():
        raise graphviz.FileExistsError(f"output file exists: {os.fspath(target)!r}")
    picture = layout(source_path.read_text(encoding="utf-8"), engine, format, renderer,
                     formatter)
    _write_atomically(target, picture)
    return os.fspath(target)


def _write_atomically(path: Path, data: bytes) -> None:
    """Write `data` to a temporary file beside `path`, then rename it over `path`: a failed
    write never leaves a half-written picture in place of the old one."""
    partial = path.with_name(f".{path.name}.{os.getpid()}.{uuid.uuid4().hex[:8]}.tmp")
    try:
        with open(partial, "xb") as file:  # the umask's permissions, like any new file
            file.write(data)
        os.replace(partial, path)
    except BaseException:
        partial.unlink(missing_ok=True)
        raise
