"""The lecture notebooks' exercises: the released student version runs with only the
exercises failing, each with its own "not done yet", and the solution version passes `check`.

Parametrized over every lecture notebook; one without exercise markup yet is skipped with the
reason. Each notebook with markup is executed twice (student and solution version).
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

import nbformat
import pytest

from nnedu.exercises.grade import cell_error, check_notebook, execute
from nnedu.exercises.markup import exercises, grade_id, role, without_markers
from nnedu.exercises.release import notebook_bytes, student_notebook

pytestmark = pytest.mark.lecture_notebooks  # executes whole notebooks: minutes, not seconds

NOTEBOOKS = sorted((Path(__file__).parents[1] / "notebooks").glob("[0-9][0-9]_*.ipynb"))


def marked(path: Path) -> nbformat.NotebookNode:
    nb = nbformat.read(path, as_version=4)
    if not any(grade_id(cell) for cell in nb.cells):
        pytest.skip(f"{path.name} has no exercise markup yet (no cell with metadata.nbgrader)")
    return nb


@pytest.mark.parametrize("path", NOTEBOOKS, ids=[p.name for p in NOTEBOOKS])
def test_lecture_notebook_markup_follows_the_contract(path: Path):
    nb = marked(path)
    found = exercises(nb, path.name)
    assert found, f"{path.name}: nbgrader metadata but no exercise"
    number = int(path.name[:2])
    assert {e.notebook for e in found} == {number}, \
        f"{path.name}: grade_ids must be ex{number:02d}-K"
    assert [e.number for e in found] == list(range(1, len(found) + 1))
    for exercise in found:
        assert exercise.task is not None, f"{path.name}: {exercise} has no task cell"
        task = nb.cells[exercise.task].source
        assert re.match(rf"\s*\*\*Exercise {exercise.number}\.\*\*", task), \
            f"{path.name}: the task of {exercise} must begin **Exercise {exercise.number}.**"
        check = nb.cells[exercise.check].source
        assert f"exercise {exercise.number}: all checks passed" in check, \
            f"{path.name}: the check of {exercise} must print 'exercise {exercise.number}: " \
            "all checks passed'"
        python = "\n".join(line for line in without_markers(check).split("\n")
                           if not line.lstrip().startswith(("%", "!")))  # no IPython magics
        asserts = [n for n in ast.walk(ast.parse(python)) if isinstance(n, ast.Assert)]
        assert asserts and all(a.msg is not None for a in asserts), \
            f"{path.name}: the check of {exercise} needs asserts, each with a message"
        if exercise.answer is not None:
            assert "<details>" in nb.cells[exercise.answer].source
    student = student_notebook(nb, path.name)
    assert notebook_bytes(student) == notebook_bytes(student_notebook(nb, path.name))
    assert not any("BEGIN SOLUTION" in c.source or "HIDDEN TESTS" in c.source
                   for c in student.cells)


@pytest.mark.parametrize("path", NOTEBOOKS, ids=[p.name for p in NOTEBOOKS])
def test_released_lecture_notebook_fails_only_its_exercises(path: Path, tmp_path: Path):
    nb = marked(path)
    student = student_notebook(nb, path.name)
    execute(student, path.parent)
    for index, cell in enumerate(student.cells):
        error = cell_error(cell) if cell.cell_type == "code" else None
        if error is None:
            continue
        parsed = role(cell)
        assert parsed is not None, f"{path.name}: cell {index} outside the exercises failed in " \
            f"the student version: {error}"
        _, number, kind = parsed
        found = re.match(r"NotImplementedError: exercise (\d+) not done yet", error)
        assert found and int(found[1]) <= number, \
            f"{path.name}: cell {index} ({kind} of exercise {number}) failed with {error}"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=[p.name for p in NOTEBOOKS])
def test_solution_of_lecture_notebook_passes_every_check(path: Path):
    marked(path)
    report = check_notebook(path, source=path)
    assert report.passed, "\n".join(report.lines())
