"""The `nnedu` command: `nnedu graph`, `nnedu bench`, `nnedu lecture`, `nnedu exercises`."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence


def _positive_int(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a whole number, got {text!r}") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"expected a number ≥ 1, got {value}")
    return value


def _bench(args: argparse.Namespace) -> int:
    which = args.which
    if which in ("scalar", "all"):
        from nnedu.bench import scalar

        scalar.run(steps=args.steps, repeats=args.repeats)
    if which in ("mlp", "all"):
        from nnedu.bench import mlp

        mlp.run(repeats=args.repeats)
    if which in ("playground", "all"):
        from nnedu.bench import playground

        playground.run(repeats=args.repeats)
    return 0


def _lecture(args: argparse.Namespace) -> int:
    from pathlib import Path

    from nnedu.lecture import run_notebooks

    for name in args.notebooks:
        if not Path(name).is_file():
            print(f"nnedu lecture: error: no such notebook: {name}", file=sys.stderr)
            return 2
    try:
        return run_notebooks(args.notebooks, in_place=args.in_place)
    except (OSError, ValueError) as error:  # unreadable, not JSON, not a notebook
        print(f"nnedu lecture: error: {error}", file=sys.stderr)
        return 2


def _graph(args: argparse.Namespace) -> int:
    from nnedu.viz.cli import graph_command

    return graph_command(args)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="nnedu", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)

    bench = sub.add_parser("bench", help="print benchmark figures and ratios")
    bench.add_argument("which", nargs="?", choices=["scalar", "mlp", "playground", "all"],
                       default="all")
    bench.add_argument("--steps", type=_positive_int, default=10, help="training steps per timing")
    bench.add_argument("--repeats", type=_positive_int, default=3, help="timings per engine")
    bench.set_defaults(func=_bench)

    lecture = sub.add_parser("lecture", help="execute the lecture notebooks and write figures/")
    lecture.add_argument("notebooks", nargs="*", help="notebooks to run (default: all)")
    lecture.add_argument("--in-place", action="store_true",
                         help="save the executed notebooks with their outputs")
    lecture.set_defaults(func=_lecture)

    from nnedu.exercises.cli import add_exercises_parser

    add_exercises_parser(sub)

    try:
        from nnedu.viz.cli import add_graph_parser
    except ImportError:
        pass
    else:
        add_graph_parser(sub, _graph)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run a command; its exit status: 0 success, 2 bad input (one line on stderr, from
    argparse or the command), 1 a notebook that failed (`lecture`), 130 Ctrl-C."""
    args = build_parser().parse_args(argv)
    try:
        return int(args.func(args) or 0)
    except KeyboardInterrupt:
        print(f"nnedu {args.command}: interrupted", file=sys.stderr)
        return 130


if __name__ == "__main__":
    sys.exit(main())
