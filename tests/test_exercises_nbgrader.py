"""Our student version against nbgrader's own `generate_assignment` on the fixture notebook.

nbgrader is not a dependency (it brings JupyterLab, a database and ~100 packages); the test
runs it when an `nbgrader` command is on PATH or named by $NBGRADER, and is skipped otherwise.
Known differences, by design: our stub says which exercise and what to do
(`NotImplementedError('exercise K not done yet: …')` where nbgrader writes
`NotImplementedError()`), a check cell that needs the solution's top-level names starts with a
guard saying so, and a markdown answer is removed where nbgrader leaves "YOUR ANSWER HERE".
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path

import nbformat
import pytest
from test_exercises_release_check import exercise_notebook

from nnedu.exercises.markup import grade_id
from nnedu.exercises.release import student_notebook


def nbgrader_command() -> str:
    command = os.environ.get("NBGRADER") or shutil.which("nbgrader")
    if not command or not Path(command).exists():
        pytest.skip("nbgrader is not installed (pip install nbgrader, or set NBGRADER to its "
                    "command)")
    return command


def normalized(nb: nbformat.NotebookNode) -> list[tuple[str, str | None, str]]:
    """(cell type, grade_id, source) with our stubs written as nbgrader's and without guards."""
    cells = []
    for cell in nb.cells:
        if cell.cell_type == "markdown" and cell.source == "YOUR ANSWER HERE":
            continue
        lines = cell.source.split("\n")
        if lines[0].startswith("if not {") and "globals().keys()" in lines[0]:
            lines = lines[2:]
        stub = re.compile(r"raise NotImplementedError\(.+\)$")
        source = "\n".join(stub.sub("raise NotImplementedError()", line) for line in lines)
        cells.append((cell.cell_type, grade_id(cell), source))
    return cells


def test_release_matches_nbgrader_generate_assignment(tmp_path: Path):
    command = nbgrader_command()
    nb = exercise_notebook()
    for cell in nb.cells:  # nbgrader 0.9 requires a markdown solution cell to be a grade cell
        if grade_id(cell) == "ex97-1-answer":
            cell.metadata["nbgrader"].update(grade=True, points=0)
    course = tmp_path / "course"
    (course / "source" / "ps1").mkdir(parents=True)
    nbformat.write(nb, course / "source" / "ps1" / "97_fixture.ipynb")
    env = {**os.environ, "PATH": f"{Path(command).parent}{os.pathsep}{os.environ['PATH']}"}
    run = subprocess.run([command, "generate_assignment", "ps1", "--force"], cwd=course, env=env,
                         capture_output=True, text=True, timeout=300)
    released = course / "release" / "ps1" / "97_fixture.ipynb"
    assert released.exists(), run.stdout + run.stderr
    theirs = nbformat.read(released, as_version=4)
    ours = student_notebook(nb)
    assert normalized(ours) == normalized(theirs)
    assert sum(c.source == "YOUR ANSWER HERE" for c in theirs.cells) == 1  # the one we remove
