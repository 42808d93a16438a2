"""The exercise markup of the lecture notebooks (nbgrader's): find exercises, cut out solutions.

Every cell of an exercise carries `metadata.nbgrader.grade_id`:

    exNN-K-task     markdown   "**Exercise K.** …", the task
    exNN-K          code       the solution, between `### BEGIN SOLUTION` / `### END SOLUTION`
    exNN-K-check    code       visible asserts, then hidden ones between
                               `### BEGIN HIDDEN TESTS` … `### END HIDDEN TESTS`
    exNN-K-answer   markdown   optional: the conclusion, inside <details>

Everything here is text processing on what `nbformat` read; no cell is ever executed.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field

from nbformat import NotebookNode

BEGIN_SOLUTION = "### BEGIN SOLUTION"
END_SOLUTION = "### END SOLUTION"
BEGIN_HIDDEN = "### BEGIN HIDDEN TESTS"
END_HIDDEN = "### END HIDDEN TESTS"
GRADE_ID = re.compile(r"^ex(?P<notebook>\d{2})-(?P<number>\d+)(?:-(?P<role>task|check|answer))?$")
ROLES = ("task", "solution", "check", "answer")


class MarkupError(ValueError):
    """The exercise markup of a notebook is broken (the message names the cell)."""


@dataclass
class Exercise:
    """One exercise: the indices of its cells in the notebook (None where it has no such cell)."""

    notebook: int
    number: int
    task: int | None = None
    solution: int | None = None
    check: int | None = None
    answer: int | None = None
    cells: list[int] = field(default_factory=list)

    @property
    def grade_id(self) -> str:
        return f"ex{self.notebook:02d}-{self.number}"

    def __str__(self) -> str:
        return f"exercise {self.number} ({self.grade_id})"


def grade_id(cell: NotebookNode) -> str | None:
    """The cell's `metadata.nbgrader.grade_id`, or None for a cell outside the exercises."""
    nbgrader = cell.get("metadata", {}).get("nbgrader")
    if not isinstance(nbgrader, dict):
        return None
    value = nbgrader.get("grade_id")
    return value if isinstance(value, str) else None


def role(cell: NotebookNode) -> tuple[int, int, str] | None:
    """(notebook, exercise number, role) of an exercise cell, None outside the exercises."""
    gid = grade_id(cell)
    if gid is None:
        return None
    match = GRADE_ID.match(gid)
    if match is None:
        raise MarkupError(f"grade_id {gid!r} is not of the form exNN-K[-task|-check|-answer]")
    return int(match["notebook"]), int(match["number"]), match["role"] or "solution"


def exercises(nb: NotebookNode, where: str = "notebook") -> list[Exercise]:
    """The exercises of a notebook in order, checked against the markup contract.

    Raises `MarkupError` naming the cell for: a grade_id used twice, a solution cell that is not
    code or has no `### BEGIN SOLUTION` … `### END SOLUTION`, a check cell that is not code, an
    unterminated region, or an exercise without a solution or a check cell.
    """
    found: dict[tuple[int, int], Exercise] = {}
    seen: set[str] = set()
    for index, cell in enumerate(nb.cells):
        try:
            parsed = role(cell)
        except MarkupError as error:
            raise MarkupError(f"{where}, cell {index}: {error}") from None
        if parsed is None:
            continue
        notebook, number, kind = parsed
        gid = grade_id(cell)
        if gid in seen:
            raise MarkupError(f"{where}, cell {index}: grade_id {gid!r} is used twice")
        seen.add(gid)
        exercise = found.setdefault((notebook, number), Exercise(notebook, number))
        expected = "code" if kind in ("solution", "check") else "markdown"
        if cell.cell_type != expected:
            raise MarkupError(f"{where}, cell {index} ({gid}): a {kind} cell must be {expected}, "
                              f"not {cell.cell_type}")
        try:
            if kind == "solution":
                if not regions(cell.source, BEGIN_SOLUTION, END_SOLUTION):
                    raise MarkupError(f"no {BEGIN_SOLUTION} … {END_SOLUTION} in the cell")
            elif kind == "check":
                regions(cell.source, BEGIN_HIDDEN, END_HIDDEN)
        except MarkupError as error:
            raise MarkupError(f"{where}, cell {index} ({gid}): {error}") from None
        setattr(exercise, kind, index)
        exercise.cells.append(index)
    for exercise in found.values():
        for kind in ("solution", "check"):
            if getattr(exercise, kind) is None:
                suffix = "" if kind == "solution" else "-check"
                raise MarkupError(f"{where}: {exercise} has no {kind} cell "
                                  f"(grade_id {exercise.grade_id}{suffix})")
    return sorted(found.values(), key=lambda e: e.cells[0])


def regions(source: str, begin: str, end: str) -> list[tuple[int, int]]:
    """(first, last) line indices of each `begin` … `end` region, markers included."""
    lines = source.split("\n")
    found, start = [], None
    for i, line in enumerate(lines):
        text = line.strip()
        if text.startswith(begin):
            if start is not None:
                raise MarkupError(f"line {i + 1}: {begin} inside an open region (line {start + 1})")
            start = i
        elif text.startswith(end):
            if start is None:
                raise MarkupError(f"line {i + 1}: {end} without {begin}")
            found.append((start, i))
            start = None
    if start is not None:
        raise MarkupError(f"line {start + 1}: {begin} without {end}")
    return found


def replace_regions(source: str, begin: str, end: str,
                    replacement: Callable[[str, str, list[str]], list[str]]) -> str:
    """`source` with each region replaced by the lines `replacement(indent, note, body)` returns.

    `indent` is the begin marker's indentation, `note` the text after the marker, `body` the
    lines between the markers.
    """
    lines = source.split("\n")
    out: list[str] = []
    last = 0
    for first, final in regions(source, begin, end):
        out.extend(lines[last:first])
        marker = lines[first]
        indent = marker[: len(marker) - len(marker.lstrip())]
        note = marker.strip()[len(begin):].strip()
        out.extend(replacement(indent, note, lines[first + 1:final]))
        last = final + 1
    out.extend(lines[last:])
    return "\n".join(out)


def indented(indent: str, lines: list[str]) -> list[str]:
    """`lines` indented by `indent` (empty lines stay empty)."""
    return [indent + line if line else line for line in lines]


def remove_regions(source: str, begin: str, end: str) -> str:
    """`source` without its regions (markers included) and without the blank lines they leave
    at its end."""
    return replace_regions(source, begin, end, lambda indent, note, body: []).rstrip()


def without_markers(source: str) -> str:
    """The solution version: the marker lines dropped, everything else kept."""
    markers = (BEGIN_SOLUTION, END_SOLUTION, BEGIN_HIDDEN, END_HIDDEN)
    return "\n".join(line for line in source.split("\n")
                     if not line.strip().startswith(markers))


def instruction(task_markdown: str, number: int, limit: int = 160) -> str:
    """The first sentence of a task cell after its `**Exercise K.**`, as plain text."""
    text = re.sub(r"^\s*\*\*Exercise\s+\d+\.?\*\*\.?\s*", "", task_markdown)
    text = re.sub(r"<[^>]+>", "", text)  # html tags
    text = re.sub(r"[*_]{1,2}(\S[^*_]*?)[*_]{1,2}", r"\1", text)  # emphasis
    text = " ".join(text.split())
    sentence = re.split(r"(?<=[.!?:])\s", text, maxsplit=1)[0]
    if len(sentence) > limit:
        sentence = sentence[: limit - 1].rstrip() + "…"
    return sentence or f"exercise {number}"
