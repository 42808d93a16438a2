"""`nnedu graph`: draw the computation graph of a formula, after its forward and backward pass.

    nnedu graph "z = w*x + b; y = sigmoid(z); L = 0.5*(y - t)**2" \\
        --at w=0.5,x=1.5,b=0.1,t=1 -o figures/logistic.svg

The promise: exit status 0 with the picture written (or the DOT text printed), or exit status 2
with one line `nnedu graph: error: …` on stderr; never a traceback, never a hang, and the user
text is parsed, never evaluated. Bad input is found before anything is computed: a formula
outside the language (or only comments), a missing or unused value, a name longer than
`expr.MAX_NAME` characters, a title too long (`graph.MAX_TITLE`), with control characters or
not UTF-8, an unknown output format. A computation that overflows (forward or backward) is one
error line. A graph too large to draw legibly or to lay out in a second or two (see
`nnedu.viz.graph.layout_cost`), or frames beyond MAX_FRAMES or FRAMES_BUDGET, is refused before
Graphviz runs. A write that fails (a full disk or stdout, a closed pipe, a read-only folder) is
one error line too, and a picture is written atomically: an existing file is never left half
written.
"""

from __future__ import annotations

import argparse
import math
import os
import sys
from collections.abc import Callable, Sequence
from pathlib import Path

from nnedu.scalar.engine import Value, topological_order
from nnedu.viz.expr import FUNCTIONS, ExpressionError, check_inputs, evaluate, parse
from nnedu.viz.graph import (
    FORMATS,
    MAX_BENDS,
    MAX_EDGES,
    GraphDrawing,
    GraphTooLargeError,
    check_layout_cost,
    check_options,
    draw_graph,
    layout_cost,
)
from nnedu.viz.trace import backprop_trace

# --frames lays the graph out once per backward step, with every edge labelled. Measured: the
# frames take about 0.4 s per unit of layout budget (see nnedu.viz.graph.MAX_BENDS) summed over
# the frames (40 frames of a 40-step chain: budget 2.3, 1.3 s; 33 frames of a random graph:
# budget 14, 5.5 s). So: at most MAX_FRAMES frames and FRAMES_BUDGET in all (about 4 s).
MAX_FRAMES = 40
FRAMES_BUDGET = 10.0

EXAMPLES = """\
examples:
  nnedu graph "z = w*x + b; y = sigmoid(z); L = 0.5*(y - t)**2" --at w=0.5,x=1.5,b=0.1,t=1 \\
      -o figures/logistic.svg
  nnedu graph "z = w*x + b; y = sigmoid(z); L = 0.5*(y - t)**2; R = 0.5*w**2; L_reg = L + lam*R" \\
      --at w=0.5,x=1.5,b=0.1,t=1,lam=0.1 --edge-grads --trace -o figures/graph_fan_out.svg
"""


def add_graph_parser(subparsers: argparse._SubParsersAction,
                     handler: Callable[[argparse.Namespace], int]) -> argparse.ArgumentParser:
    """Add the `graph` command to the `nnedu` command line."""
    parser = subparsers.add_parser(
        "graph", help="draw the computation graph of a formula, with its backward pass",
        description="Run the forward and backward pass of a formula on the scalar engine and\n"
                    "draw its computation graph. The formula: assignments separated by ';' or\n"
                    "newlines, the last one the output; numbers, names, + - * / **, parentheses\n"
                    f"and the functions {', '.join(FUNCTIONS)}.",
        epilog=EXAMPLES, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("expression", help="the formula, e.g. 'z = w*x + b; L = z**2'")
    parser.add_argument("--at", action="append", default=[], metavar="NAME=VALUE,…",
                        help="values of the inputs (repeatable)")
    parser.add_argument("-o", "--output", metavar="PATH",
                        help=f"picture to write ({', '.join('.' + f for f in FORMATS)}); "
                             "without it the DOT text is printed")
    parser.add_argument("--trace", action="store_true",
                        help="print the backprop trace: the forward and backward pass step by step")
    parser.add_argument("--no-grad", action="store_true", help="do not show the error signals")
    parser.add_argument("--edge-grads", action="store_true",
                        help="label each edge vᵢ → vⱼ with its term v̄ⱼ·∂vⱼ/∂vᵢ")
    parser.add_argument("--rankdir", choices=["LR", "TB"], default="LR",
                        help="left to right (LR, default) or top to bottom (TB)")
    parser.add_argument("--title", help="a title above the graph")
    parser.add_argument("--frames", metavar="DIR",
                        help="also write the graph after each backward step as DIR/step_NN.svg")
    parser.set_defaults(func=handler)
    return parser


def graph_command(args: argparse.Namespace) -> int:
    """Check everything, then compute, draw and write; 2 on bad input, 0 on success."""
    try:
        if any("\ud800" <= char <= "\udfff" for char in args.expression):
            raise ExpressionError("the expression is not valid UTF-8 text; check its encoding")
        program = parse(args.expression)
        at = parse_at(args.at)
        check_inputs(program, at)
        check_options(rankdir=args.rankdir, title=args.title)
        if args.output:
            _output_format(args.output)
        values = evaluate(program, at)
        root = values[program.output]
        root.backward()  # raises OverflowError, naming the node, if an error signal overflows
    except (ValueError, ArithmeticError) as err:  # ExpressionError is a ValueError
        return _error(str(err))
    try:
        drawing = draw_graph(root, rankdir=args.rankdir, show_grad=not args.no_grad,
                             title=args.title, edge_grads=args.edge_grads)
        if args.frames:
            _check_frames(root)
    except GraphTooLargeError as err:
        return _error(f"{err.reason}: draw a smaller formula")
    try:
        _write(args, root, drawing)
    except _StdoutError as err:  # a full disk behind stdout, a closed pipe (| head)
        return _error(f"cannot write to standard output: {err.error.strerror or err.error}")
    except OSError as err:  # a directory that cannot be created, a read-only or full disk …
        return _error(f"cannot write {err.filename or args.frames or args.output}: "
                      f"{err.strerror or err}")
    except ValueError as err:  # Graphviz refusing the DOT text (pygraphviz's DotError)
        return _error(f"Graphviz could not draw the graph: {err}")
    return 0


class _StdoutError(Exception):
    """Writing to stdout failed (the OSError is `error`); stdout now goes to /dev/null."""

    def __init__(self, error: OSError) -> None:
        super().__init__(str(error))
        self.error = error


def _write(args: argparse.Namespace, root: Value, drawing: GraphDrawing) -> None:
    """Print the trace and write the picture, the DOT text or the frames, as asked."""
    if args.trace:
        _print(f"{backprop_trace(root)}\n")
    if args.output:
        print(f"wrote {drawing.save(args.output)}", file=sys.stderr)
    elif not args.trace:
        _print(drawing.dot)
    if args.frames:
        frames = backprop_trace(root).frames(rankdir=args.rankdir)
        paths = frames.save(args.frames, stem="step")
        print(f"wrote {len(paths)} frames to {args.frames}/", file=sys.stderr)


def _print(text: str) -> None:
    """Write to stdout and flush, so that a failure is caught here and not at exit; after a
    failure stdout is pointed at /dev/null (Python would complain again when it exits)."""
    try:
        sys.stdout.write(text)
        sys.stdout.flush()
    except OSError as error:
        try:
            devnull = os.open(os.devnull, os.O_WRONLY)
            os.dup2(devnull, sys.stdout.fileno())
            os.close(devnull)
        except (OSError, ValueError, AttributeError):  # a stdout without a file descriptor
            pass
        raise _StdoutError(error) from None


def _check_frames(root: Value) -> None:
    """--frames draws the graph once per backward step, with every edge labelled: refuse more
    than MAX_FRAMES steps, or frames whose layouts together exceed FRAMES_BUDGET."""
    steps = len(backprop_trace(root).backward_steps())
    if steps > MAX_FRAMES:
        raise GraphTooLargeError(f"--frames draws one picture per backward step: this graph "
                                 f"has {steps} steps, more than {MAX_FRAMES}")
    order = topological_order(root)
    check_layout_cost(order, edge_labels=True)
    edges, bends = layout_cost(order, edge_labels=True)
    total = steps * (edges / MAX_EDGES + bends / MAX_BENDS)
    if total > FRAMES_BUDGET:
        raise GraphTooLargeError(f"--frames draws {steps} pictures of a graph with {edges} "
                                 f"edges and {bends} points on long edges: {total:.1f} times "
                                 f"the layout budget of one picture, more than {FRAMES_BUDGET:g}")


def parse_at(items: Sequence[str]) -> dict[str, float]:
    """['w=0.5,x=1.5', 't=1'] → {'w': 0.5, 'x': 1.5, 't': 1.0}, naming any bad piece."""
    values: dict[str, float] = {}
    for item in items:
        for piece in item.split(","):
            name, sep, text = (s.strip() for s in piece.partition("="))
            if not sep or not name.isidentifier():
                raise ExpressionError(f"--at {piece!r}: expected NAME=NUMBER, e.g. w=0.5")
            try:
                value = float(text)
            except ValueError:
                raise ExpressionError(f"--at {piece!r}: {text!r} is not a number") from None
            if not math.isfinite(value):
                raise ExpressionError(f"--at {piece!r}: the value must be finite")
            if name in values:
                raise ExpressionError(f"--at gives {name} twice")
            values[name] = value
    return values


def _output_format(output: str) -> str:
    format = Path(output).suffix.lstrip(".").lower()
    if format not in FORMATS:
        kind = f"a .{format} file" if format else "a file without extension"
        raise ExpressionError(f"-o {output}: cannot write {kind}; name it .svg, .png, .pdf or .dot")
    return format


def _error(message: str) -> int:
    print(f"nnedu graph: error: {message}", file=sys.stderr)
    return 2
