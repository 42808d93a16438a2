"""`nnedu graph`: draw the computation graph of a formula, after its forward and backward pass.

    nnedu graph "z = w*x + b; y = sigmoid(z); L = 0.5*(y - t)**2" \\
        --at w=0.5,x=1.5,b=0.1,t=1 -o figures/logistic.svg

Bad input (a formula outside the language, a missing or unused value, an unknown output format)
is reported on stderr with exit status 2, and nothing is computed.
"""

from __future__ import annotations

import argparse
import math
import sys
from collections.abc import Callable, Sequence
from pathlib import Path

from nnedu.viz.expr import FUNCTIONS, ExpressionError, check_inputs, evaluate, parse
from nnedu.viz.graph import FORMATS, GraphTooLargeError, draw_graph
from nnedu.viz.trace import backprop_trace

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
        program = parse(args.expression)
        at = parse_at(args.at)
        check_inputs(program, at)
        if args.output:
            _output_format(args.output)
        values = evaluate(program, at)
    except ExpressionError as err:
        return _error(str(err))
    root = values[program.output]
    root.backward()
    try:
        drawing = draw_graph(root, rankdir=args.rankdir, show_grad=not args.no_grad,
                             title=args.title, edge_grads=args.edge_grads)
    except GraphTooLargeError as err:
        return _error(str(err))
    if args.trace:
        print(backprop_trace(root))
    try:
        if args.output:
            print(f"wrote {drawing.save(args.output)}", file=sys.stderr)
        elif not args.trace:
            sys.stdout.write(drawing.dot)
        if args.frames:
            frames = backprop_trace(root).frames(rankdir=args.rankdir)
            paths = frames.save(args.frames, stem="step")
            print(f"wrote {len(paths)} frames to {args.frames}/", file=sys.stderr)
    except OSError as err:  # a directory that cannot be created, a read-only file …
        return _error(f"cannot write {err.filename or args.output}: {err.strerror or err}")
    return 0


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
