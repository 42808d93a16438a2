"""`nnedu exercises start DIR`: the build-it-yourself student package `DIR/mynn`.

The files are nnedu's templates (`template/mynn`) with each `### BEGIN SOLUTION task N: what`
… `### END SOLUTION` region replaced by a stub raising `NotImplementedError("task N not done
yet: what")`; README.md lists the tasks with the slides that derive them.
"""

from __future__ import annotations

import re
from collections.abc import Collection
from pathlib import Path

from nnedu.exercises.diy.tasks import TASKS
from nnedu.exercises.markup import (
    BEGIN_SOLUTION,
    END_SOLUTION,
    MarkupError,
    indented,
    replace_regions,
)
from nnedu.exercises.release import write_atomic

TEMPLATE = Path(__file__).parent / "template" / "mynn"


def task_of(note: str) -> int:
    """N of a region's note 'task N: what to write'."""
    match = re.match(r"task (\d+):", note)
    if match is None:
        raise MarkupError(f"template region {note!r} does not begin with 'task N:'")
    return int(match[1])


def stub(indent: str, note: str) -> list[str]:
    """The lines of a task's stub; `note` is 'task N: what to write'."""
    message = f"task {task_of(note)} not done yet: {note.split(':', 1)[1].strip()}"
    return indented(indent, ["# YOUR CODE HERE", f"raise NotImplementedError({message!r})"])


def student_file(source: str, tasks: Collection[int] | None = None) -> str:
    """A template file with its solutions replaced by stubs (only those of `tasks`, if given:
    the other regions keep nnedu's solution)."""
    def replace(indent: str, note: str, body: list[str]) -> list[str]:
        return stub(indent, note) if tasks is None or task_of(note) in tasks else body

    return replace_regions(source, BEGIN_SOLUTION, END_SOLUTION, replace)


def template_files() -> dict[str, str]:
    """The template package: file name → text (with solutions and markers)."""
    return {p.name: p.read_text(encoding="utf-8") for p in sorted(TEMPLATE.glob("*.py"))}


def readme() -> str:
    lines = [
        "# Build it yourself: the lecture's neural network pieces",
        "",
        "Write the pieces the slides derive, one task at a time, in the package `mynn/`. Each",
        "place to write is marked `# YOUR CODE HERE` and raises `NotImplementedError` until you",
        "replace it; the docstring above it gives the formula. Change nothing else: the tests",
        "call the functions and classes as they are named and used here.",
        "",
        "Test your work (nnedu's own checks: central differences, the lecture's worked examples",
        "and agreement with `nnedu` itself; no PyTorch needed):",
        "",
        "    nnedu exercises test .            # all tasks in order, stops at the first problem",
        "    nnedu exercises test . --task 4   # task 4 only",
        "",
        "| task | what | file | slides (lecture) and notebook |",
        "|---|---|---|---|",
    ]
    lines += [f"| {t.number} | {t.title} | `mynn/{t.file}` | {t.slides} |" for t in TASKS]
    lines += [
        "",
        "Tasks 1–3 build the scalar engine (task 3 uses tasks 1 and 2); tasks 4–9 work on numpy",
        "arrays and can be done in any order. Two conventions differ from the slides, as in",
        "nnedu, PyTorch and the Adam paper: RMSProp and Adam add ε to √v (outside the root), and",
        "Adam's β₁ = 0.9 belongs to the momentum m, β₂ = 0.999 to the squared gradients v.",
        "",
    ]
    return "\n".join(lines)


def start(folder: Path, stub_tasks: Collection[int] | None = None) -> Path:
    """Create `folder` with README.md and `mynn/`, every task a stub; with `stub_tasks` only
    those tasks are stubs and the others keep nnedu's own implementation (how the tests show
    that each task can pass and that each stub fails its own task)."""
    if folder.exists() and any(folder.iterdir()):
        raise FileExistsError(f"{folder} exists and is not empty; choose a new folder")
    package = folder / "mynn"
    package.mkdir(parents=True, exist_ok=True)
    for name, source in template_files().items():
        text = student_file(source, stub_tasks)
        write_atomic(package / name, text.encode("utf-8"))
    write_atomic(folder / "README.md", readme().encode("utf-8"))
    return folder
