"""`nnedu exercises release` and `check` on a small notebook written in the exercise markup."""

from __future__ import annotations

import copy
import json
from pathlib import Path

import nbformat
import pytest
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

from nnedu.cli import main
from nnedu.exercises.grade import cell_error, check_command, check_notebook, execute
from nnedu.exercises.markup import MarkupError, exercises, grade_id
from nnedu.exercises.release import release, student_notebook


def nbgrader(gid: str, **flags) -> dict:
    return {"nbgrader": {"grade_id": gid, "schema_version": 3, **flags}}


def exercise_notebook() -> nbformat.NotebookNode:
    """Two exercises, as the markup contract writes them: a top-level answer with a hidden test
    and a markdown answer, then a function whose body is the solution."""
    nb = new_notebook()
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3",
                                 "language": "python"}
    nb.cells = [
        new_code_cell("import math\nx = 3.0"),
        new_markdown_cell("**Exercise 1.** Compute the square `y` of `x`. Print it.",
                          metadata=nbgrader("ex97-1-task", locked=True, solution=False,
                                            grade=False)),
        new_code_cell('### BEGIN SOLUTION\ny = x ** 2\n### END SOLUTION\nprint(f"y = {y}")',
                      metadata={**nbgrader("ex97-1", solution=True, grade=False, locked=False),
                                "jupyter": {"source_hidden": True, "outputs_hidden": True}},
                      outputs=[nbformat.v4.new_output("stream", text="y = 9.0\n")]),
        new_code_cell('assert y == 9, f"expected y = 9, got {y}; hint: square x"\n'
                      "### BEGIN HIDDEN TESTS\n"
                      'assert isinstance(y, float), "expected a float; hint: x is a float"\n'
                      "### END HIDDEN TESTS\n"
                      'print("exercise 1: all checks passed")',
                      metadata=nbgrader("ex97-1-check", grade=True, points=1, locked=True,
                                        solution=False)),
        new_markdown_cell("<details><summary>Answer</summary>y = 9: the square.</details>",
                          metadata=nbgrader("ex97-1-answer", solution=True, grade=False,
                                            locked=False)),
        new_code_cell("z = x + 1\nprint(z)"),
        new_markdown_cell("**Exercise 2.** Write `double(v)`, which returns 2v.",
                          metadata=nbgrader("ex97-2-task", locked=True, solution=False,
                                            grade=False)),
        new_code_cell("def double(v):\n    ### BEGIN SOLUTION\n    return 2 * v\n"
                      "    ### END SOLUTION",
                      metadata=nbgrader("ex97-2", solution=True, grade=False, locked=False)),
        new_code_cell('assert double(2) == 4, f"expected double(2) = 4, got {double(2)}; hint: '
                      'multiply by 2"\nprint("exercise 2: all checks passed")',
                      metadata=nbgrader("ex97-2-check", grade=True, points=2, locked=True,
                                        solution=False)),
        new_code_cell("print(math.sqrt(z))"),
    ]
    return nb


@pytest.fixture
def source(tmp_path: Path) -> Path:
    path = tmp_path / "source" / "97_fixture.ipynb"
    path.parent.mkdir()
    nbformat.write(exercise_notebook(), path)
    return path


def by_id(nb: nbformat.NotebookNode) -> dict[str, nbformat.NotebookNode]:
    return {gid: cell for cell in nb.cells if (gid := grade_id(cell))}


def test_markup_finds_each_exercise_with_its_cells():
    found = exercises(exercise_notebook())
    assert [(e.grade_id, e.task, e.solution, e.check, e.answer) for e in found] == [
        ("ex97-1", 1, 2, 3, 4), ("ex97-2", 6, 7, 8, None)]


def test_markup_errors_name_the_cell():
    nb = exercise_notebook()
    nb.cells[2].source = "y = x ** 2"  # the solution markers are missing
    with pytest.raises(MarkupError, match=r"cell 2 \(ex97-1\): no ### BEGIN SOLUTION"):
        exercises(nb)
    nb = exercise_notebook()
    nb.cells[3].source += "\n### BEGIN HIDDEN TESTS\nassert True"
    with pytest.raises(MarkupError, match=r"cell 3 \(ex97-1-check\).*without ### END HIDDEN"):
        exercises(nb)
    nb = exercise_notebook()
    del nb.cells[8]
    with pytest.raises(MarkupError, match=r"exercise 2 .* has no check cell"):
        exercises(nb)


def test_student_version_stubs_solutions_and_drops_hidden_tests_and_answers():
    nb = exercise_notebook()
    original = copy.deepcopy(nb)
    student = student_notebook(nb)
    cells = by_id(student)
    assert cells["ex97-1"].source == (
        "# YOUR CODE HERE\nraise NotImplementedError('exercise 1 not done yet: Compute the "
        "square `y` of `x`.')\nprint(f\"y = {y}\")")
    assert cells["ex97-1"].outputs == [] and "jupyter" not in cells["ex97-1"].metadata
    assert cells["ex97-2"].source == (
        "def double(v):\n    # YOUR CODE HERE\n    raise NotImplementedError('exercise 2 not "
        "done yet: Write `double(v)`, which returns 2v.')")
    check = cells["ex97-1-check"].source
    assert "HIDDEN" not in check and "isinstance" not in check
    assert check.startswith("if not {'y'} <= globals().keys():")  # guard: the solution's y
    assert "not done yet" not in cells["ex97-2-check"].source  # double exists: its stub raises
    assert "ex97-1-answer" not in cells and len(student.cells) == len(nb.cells) - 1
    assert [c.source for c in student.cells if not grade_id(c)] == [
        c.source for c in nb.cells if not grade_id(c)]
    assert nb == original  # the source is not changed


def test_guard_lists_the_names_bound_from_the_first_top_level_region_on():
    nb = exercise_notebook()
    nb.cells[2].source = ("out = []\n### BEGIN SOLUTION\ny = x ** 2\n### END SOLUTION\n"
                          "net = [y]\ndef helper():\n    ### BEGIN SOLUTION\n    return 1\n"
                          "    ### END SOLUTION")
    nb.cells[3].source = "assert out == [] and net == [9.0] and helper() == 1, 'expected …'"
    check = by_id(student_notebook(nb))["ex97-1-check"].source
    assert check.split("\n")[0] == "if not {'helper', 'net'} <= globals().keys():"  # not out


def test_release_is_deterministic_and_never_overwrites_its_source(source: Path, tmp_path: Path):
    first = release([source], tmp_path / "a")[0].read_bytes()
    second = release([source], tmp_path / "b")[0].read_bytes()
    assert first == second and first.endswith(b"}\n")
    with pytest.raises(ValueError, match="would overwrite its own source"):
        release([source], source.parent)


def test_released_notebook_runs_and_only_the_exercises_fail_each_with_its_message(
        source: Path, tmp_path: Path):
    student = release([source], tmp_path / "student")[0]
    nb = nbformat.read(student, as_version=4)
    execute(nb, student.parent)
    errors = {i: cell_error(cell) for i, cell in enumerate(nb.cells) if cell_error(cell)}
    ids = {i: grade_id(cell) for i, cell in enumerate(nb.cells)}
    assert {ids[i] for i in errors} == {"ex97-1", "ex97-1-check", "ex97-2-check"}
    for i, error in errors.items():
        number = ids[i][5]
        assert error.startswith(f"NotImplementedError: exercise {number} not done yet"), error
    outputs = [c.outputs[0]["text"] for c in nb.cells if not grade_id(c) and c.get("outputs")]
    assert outputs == ["4.0\n", "2.0\n"]  # the cells after each exercise ran


def student_copy(source: Path, folder: Path, name: str, **solutions: str) -> Path:
    """The released notebook with some solution cells written (grade_id with _ for -)."""
    path = release([source], folder / name)[0]
    nb = nbformat.read(path, as_version=4)
    for gid, text in solutions.items():
        by_id(nb)[gid.replace("_", "-")].source = text
    nbformat.write(nb, path)
    return path


def test_check_passes_the_solution_and_fails_the_release_with_each_exercises_message(
        source: Path, tmp_path: Path, capsys):
    assert main(["exercises", "check", str(source), "--source", str(source)]) == 0
    assert capsys.readouterr().out.splitlines() == [
        "✓ exercise 1 (ex97-1)", "✓ exercise 2 (ex97-2)", "2 of 2 exercises pass"]
    released = release([source], tmp_path / "student")[0]
    report_path = tmp_path / "report.json"
    assert main(["exercises", "check", str(released), "--source", str(source),
                 "--json", str(report_path)]) == 1
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].startswith("✗ exercise 1 (ex97-1): exercise 1 not done yet: Compute")
    assert lines[1].startswith("✗ exercise 2 (ex97-2): exercise 2 not done yet: Write")
    assert lines[2] == "0 of 2 exercises pass"
    report = json.loads(report_path.read_text())
    assert report["passed"] is False
    assert [(e["grade_id"], e["points"], e["max_points"])
            for e in report["submissions"][0]["exercises"]] == [("ex97-1", 0, 1), ("ex97-2", 0, 2)]


def test_a_folder_of_submissions_is_checked_with_the_hidden_tests_and_the_sources_checks(
        source: Path, tmp_path: Path, capsys):
    folder = tmp_path / "submitted"
    student_copy(source, folder, "ada", ex97_1="y = x * x", ex97_2="def double(v):\n"
                 "    return v + v")
    student_copy(source, folder, "bob", ex97_1="y = 9", ex97_2="def double(v):\n    return 3 * v")
    cheat = student_copy(source, folder, "eve", ex97_1="y = 1.0")
    nb = nbformat.read(cheat, as_version=4)
    by_id(nb)["ex97-1-check"].source = "pass"  # an edited check does not count
    nbformat.write(nb, cheat)
    report_path = tmp_path / "grades.json"
    assert check_command([folder], source, report_path) == 1
    out = capsys.readouterr().out
    assert f"== {folder / 'ada' / '97_fixture.ipynb'}\n✓ exercise 1 (ex97-1)\n✓ exercise 2" in out
    # bob: visible check passes for y = 9, the hidden one finds the int
    assert ("✗ exercise 1 (ex97-1): AssertionError: expected a float; hint: x is a float\n"
            "✗ exercise 2 (ex97-2): AssertionError: expected double(2) = 4, got 6; hint: "
            "multiply by 2") in out
    assert "✗ exercise 1 (ex97-1): AssertionError: expected y = 9, got 1.0; hint: square x" in out
    assert out.rstrip().endswith("1 of 3 notebooks pass every exercise")
    report = json.loads(report_path.read_text())
    assert [(Path(s["notebook"]).parent.name, s["score"], s["max_score"])
            for s in report["submissions"]] == [("ada", 3, 3), ("bob", 0, 3), ("eve", 0, 3)]


def test_check_names_a_notebook_it_cannot_match_to_a_lecture_notebook(tmp_path: Path):
    path = tmp_path / "plain.ipynb"
    nbformat.write(new_notebook(cells=[new_code_cell("1 + 1")]), path)
    report = check_notebook(path)
    assert not report.passed
    assert "cannot tell which lecture notebook this is (no exercise cells)" in report.error
