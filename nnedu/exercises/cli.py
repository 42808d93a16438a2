"""`nnedu exercises …`: release student versions, check submissions, build it yourself."""

from __future__ import annotations

import argparse
from pathlib import Path


def _seconds(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a whole number of seconds, got {text!r}") \
            from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"expected at least 1 second, got {value}")
    return value


def _release(args: argparse.Namespace) -> int:
    from nnedu.exercises.grade import shipped_notebooks
    from nnedu.exercises.markup import MarkupError
    from nnedu.exercises.release import release

    paths = [Path(p) for p in args.notebooks]
    paths = paths or sorted(shipped_notebooks().glob("[0-9][0-9]_*.ipynb"))
    missing = [str(p) for p in paths if not p.is_file()]
    if missing:
        print(f"nnedu exercises release: no such notebook: {', '.join(missing)}")
        return 1
    try:
        written = release(paths, Path(args.outdir))
    except (MarkupError, ValueError, OSError) as error:
        print(f"nnedu exercises release: {error}")
        return 1
    for path in written:
        print(f"wrote {path}")
    return 0


def _check(args: argparse.Namespace) -> int:
    from nnedu.exercises.grade import check_command

    paths = [Path(p) for p in args.notebooks]
    missing = [str(p) for p in paths if not p.exists()]
    if missing:
        print(f"nnedu exercises check: no such notebook or folder: {', '.join(missing)}")
        return 1
    source = Path(args.source) if args.source else None
    if source is not None and not source.is_file():
        print(f"nnedu exercises check: no such solution notebook: {source}")
        return 1
    report = Path(args.json) if args.json else None
    return check_command(paths, source, report, timeout=args.timeout)


def _start(args: argparse.Namespace) -> int:
    from nnedu.exercises.diy.start import start

    try:
        folder = start(Path(args.dir))
    except FileExistsError as error:
        print(f"nnedu exercises start: {error}")
        return 1
    print(f"created {folder}: read {folder / 'README.md'}, then run "
          f"`nnedu exercises test {folder}`")
    return 0


def _test(args: argparse.Namespace) -> int:
    from nnedu.exercises.diy.runner import test_command

    return test_command(Path(args.dir), args.task)


def add_exercises_parser(sub: argparse._SubParsersAction) -> None:
    """Add `nnedu exercises` with its four commands to the `nnedu` parser."""
    from nnedu.exercises.diy.tasks import TASKS

    exercises = sub.add_parser("exercises", help="student versions, checks, build it yourself",
                               description=__doc__)
    commands = exercises.add_subparsers(dest="exercises_command", required=True)

    release = commands.add_parser("release", help="write the student versions of notebooks")
    release.add_argument("outdir", help="folder for the student versions")
    release.add_argument("notebooks", nargs="*",
                         help="notebooks with exercises (default: the lecture's)")
    release.set_defaults(func=exercises_command, run=_release)

    check = commands.add_parser(
        "check", help="run submissions with the hidden tests, one line per exercise")
    check.add_argument("notebooks", nargs="+",
                       help="student notebooks, or folders searched for *.ipynb")
    check.add_argument("--source", help="the solution notebook (default: the lecture notebook "
                       "NN_*.ipynb matching the exercises' exNN ids)")
    check.add_argument("--json", metavar="REPORT", help="also write a JSON report here")
    check.add_argument("--timeout", type=_seconds, default=600, help="seconds per cell (600)")
    check.set_defaults(func=exercises_command, run=_check)

    start = commands.add_parser("start", help="create the build-it-yourself student package")
    start.add_argument("dir", help="a folder that does not exist yet")
    start.set_defaults(func=exercises_command, run=_start)

    test = commands.add_parser("test", help="test the build-it-yourself package, task by task")
    test.add_argument("dir", help="the folder `nnedu exercises start` created")
    test.add_argument("--task", type=int, choices=range(1, len(TASKS) + 1), metavar="N",
                      help=f"test task N only (1–{len(TASKS)}; default: all, in order)")
    test.set_defaults(func=exercises_command, run=_test)


def exercises_command(args: argparse.Namespace) -> int:
    return int(args.run(args) or 0)
