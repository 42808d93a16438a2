"""`nnedu exercises check`: run a student's notebook with the hidden tests put back, one line
per exercise.

The notebook that is executed is the *source* notebook (the lecture's, or a solution notebook
given with `--source`) in which each solution cell is replaced by the student's cell with the
same `grade_id`: the student's work is their solution cells, and the checks (with their hidden
tests), the text and every other cell come from the source, so an edited check cannot pass an
exercise. Cells run one after the other with errors allowed (as "Run All" cell by cell would):

    ✓ exercise 1 (ex06-1)
    ✗ exercise 2 (ex06-2): AssertionError: expected a ratio near 2, got 3.10; hint: …
    ✗ exercise 3 (ex06-3): exercise 3 not done yet: Measure …

An exercise passes when its solution cell and its check cell run without an error.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import tempfile
from dataclasses import asdict, dataclass, field
from pathlib import Path

import nbformat
from nbformat import NotebookNode

from nnedu.exercises.markup import Exercise, MarkupError, exercises, grade_id
from nnedu.exercises.release import write_atomic


@dataclass
class Result:
    """The outcome of one exercise."""

    grade_id: str
    number: int
    passed: bool
    message: str
    points: float
    max_points: float

    def line(self) -> str:
        mark = "✓" if self.passed else "✗"
        text = f"{mark} exercise {self.number} ({self.grade_id})"
        return text if self.passed else f"{text}: {self.message}"


@dataclass
class Report:
    """The outcome of one submission."""

    notebook: str
    source: str
    results: list[Result] = field(default_factory=list)
    outside: list[str] = field(default_factory=list)  # failures of cells outside the exercises
    error: str = ""  # the notebook could not be checked at all

    @property
    def passed(self) -> bool:
        return not self.error and not self.outside and all(r.passed for r in self.results)

    def lines(self) -> list[str]:
        if self.error:
            return [f"✗ {self.error}"]
        lines = [r.line() for r in self.results]
        lines += [f"✗ {failure}" for failure in self.outside]
        done = sum(r.passed for r in self.results)
        lines.append(f"{done} of {len(self.results)} exercises pass"
                     + (f"; {len(self.outside)} cells outside the exercises failed"
                        if self.outside else ""))
        return lines

    def as_dict(self) -> dict:
        return {"notebook": self.notebook, "source": self.source, "passed": self.passed,
                "score": sum(r.points for r in self.results),
                "max_score": sum(r.max_points for r in self.results),
                "exercises": [asdict(r) for r in self.results],
                "outside_failures": self.outside, "error": self.error}


def shipped_notebooks() -> Path:
    """The lecture notebooks next to the installed package (`notebooks/` of the project)."""
    return Path(__file__).resolve().parents[2] / "notebooks"


def find_source(submission: NotebookNode, path: Path, folder: Path | None = None) -> Path:
    """The lecture notebook a submission belongs to: `NN_*.ipynb` for its grade_ids `exNN-…`."""
    folder = folder or shipped_notebooks()
    numbers = sorted({gid[2:4] for cell in submission.cells
                      if (gid := grade_id(cell)) and re.match(r"ex\d\d-", gid)})
    if len(numbers) != 1:
        found = "no exercise cells" if not numbers else f"exercises of notebooks {numbers}"
        raise MarkupError(f"{path}: cannot tell which lecture notebook this is ({found}); "
                          "give the solution notebook with --source")
    candidates = sorted(folder.glob(f"{numbers[0]}_*.ipynb"))
    if len(candidates) != 1:
        raise MarkupError(f"{path}: no single lecture notebook {numbers[0]}_*.ipynb in {folder}; "
                          "give the solution notebook with --source")
    return candidates[0]


def graded_notebook(source: NotebookNode,
                    submission: NotebookNode) -> tuple[NotebookNode, list[Exercise]]:
    """The source notebook with the student's solution cells in place of its own, and its
    markdown answers removed (indices of the returned exercises refer to the returned notebook).
    """
    found = exercises(source, "the source notebook")
    theirs = {gid: cell for cell in submission.cells if (gid := grade_id(cell))}
    answers = {e.answer for e in found if e.answer is not None}
    cells, new_index = [], {}
    for index, cell in enumerate(source.cells):
        if index in answers:
            continue
        new_index[index] = len(cells)
        cell = nbformat.from_dict(cell)
        if cell.cell_type == "code":
            cell.outputs, cell.execution_count = [], None
        gid = grade_id(cell)
        if any(e.solution == index for e in found):
            student = theirs.get(gid)
            if student is None or student.cell_type != "code":
                number = next(e.number for e in found if e.solution == index)
                cell.source = (f"raise NotImplementedError('exercise {number} not done yet: "
                               f"the submission has no solution cell {gid}')")
            else:
                cell.source = student.source
        cells.append(cell)
    graded = nbformat.v4.new_notebook(metadata=source.metadata)
    graded.cells = cells
    remapped = [Exercise(e.notebook, e.number, task=new_index.get(e.task),
                         solution=new_index[e.solution], check=new_index[e.check],
                         cells=[new_index[i] for i in e.cells if i in new_index])
                for e in found]
    return graded, remapped


def execute(nb: NotebookNode, cwd: Path, timeout: int = 600) -> None:
    """Run every cell in a fresh kernel of this Python, errors allowed (kept in the outputs).

    Figures the notebook saves go to a temporary folder, not the project's `figures/`."""
    from nbclient import NotebookClient

    with tempfile.TemporaryDirectory(prefix="nnedu-check-") as figures:
        client = NotebookClient(nb, timeout=timeout, kernel_name="python3", allow_errors=True,
                                interrupt_on_timeout=True, record_timing=False,
                                resources={"metadata": {"path": str(cwd)}})
        env = {**os.environ, "NNEDU_FIGURES": figures, "MPLBACKEND": "Agg", "TQDM_DISABLE": "1"}
        client.execute(env=env, stderr=subprocess.DEVNULL)


def cell_error(cell: NotebookNode) -> str | None:
    """'Name: message' of the error a code cell raised, None if it ran cleanly."""
    for output in cell.get("outputs", []):
        if output.get("output_type") == "error":
            name, value = output.get("ename", "Error"), output.get("evalue", "")
            value = re.sub(r"\x1b\[[0-9;]*m", "", value).strip()
            return f"{name}: {value}" if value else f"{name} (no message)"
    return None


def results(nb: NotebookNode, found: list[Exercise], source_path: str,
            notebook_path: str) -> Report:
    """Read the outcome of each exercise from an executed graded notebook."""
    report = Report(notebook=notebook_path, source=source_path)
    in_exercise = {i for e in found for i in e.cells}
    for exercise in found:
        check = nb.cells[exercise.check]
        max_points = float(check.metadata.get("nbgrader", {}).get("points", 1))
        solution_error = cell_error(nb.cells[exercise.solution])
        check_error = cell_error(check)
        if solution_error and solution_error.startswith("NotImplementedError"):
            text = solution_error.split(": ", 1)[-1]
            message = text if "not done yet" in text else \
                f"exercise {exercise.number} not done yet ({solution_error})"
        elif solution_error:
            message = f"its solution cell raised {solution_error}"
        elif check_error and check_error.startswith("NotImplementedError") and \
                "not done yet" in check_error:  # the check called the stub of a function
            message = check_error.split(": ", 1)[-1]
        else:
            message = check_error or ""
        passed = not message
        report.results.append(Result(exercise.grade_id, exercise.number, passed, message,
                                     max_points if passed else 0.0, max_points))
    for index, cell in enumerate(nb.cells):
        if index not in in_exercise and cell.cell_type == "code" and (error := cell_error(cell)):
            report.outside.append(f"cell {index} (outside the exercises): {error}")
    return report


def check_notebook(path: Path, source: Path | None = None, timeout: int = 600) -> Report:
    """Check one submission; errors in reading it become the report's `error`."""
    try:
        submission = nbformat.read(path, as_version=4)
        source = source or find_source(submission, path)
        source_nb = nbformat.read(source, as_version=4)
        graded, found = graded_notebook(source_nb, submission)
    except (MarkupError, OSError, nbformat.reader.NotJSONError,
            nbformat.ValidationError) as error:
        return Report(notebook=str(path), source=str(source or ""), error=str(error))
    if not found:
        return Report(notebook=str(path), source=str(source),
                      error=f"{source} has no exercises to check")
    try:
        execute(graded, Path(source).resolve().parent, timeout)
    except Exception as error:  # a dead kernel: report it with what ran so far
        report = results(graded, found, str(source), str(path))
        report.error = f"{path}: the kernel stopped: {type(error).__name__}: {error}"
        return report
    return results(graded, found, str(source), str(path))


def submissions(paths: list[Path]) -> list[Path]:
    """The notebooks to check: files as given, folders searched recursively (sorted)."""
    found: list[Path] = []
    for path in paths:
        if path.is_dir():
            found += sorted(p for p in path.rglob("*.ipynb")
                            if ".ipynb_checkpoints" not in p.parts)
        else:
            found.append(path)
    return found


def check_command(paths: list[Path], source: Path | None = None, report_path: Path | None = None,
                  timeout: int = 600) -> int:
    """Check submissions (notebooks or folders of them); print one line per exercise; write a
    JSON report if asked. Exit status 0 only when every exercise of every notebook passes."""
    notebooks = submissions(paths)
    if not notebooks:
        print(f"nnedu exercises check: no notebooks in {', '.join(map(str, paths))}")
        return 1
    reports = []
    for path in notebooks:
        report = check_notebook(path, source, timeout)
        reports.append(report)
        if len(notebooks) > 1:
            print(f"== {path}")
        for line in report.lines():
            print(line, flush=True)
    if len(notebooks) > 1:
        passed = sum(r.passed for r in reports)
        print(f"{passed} of {len(reports)} notebooks pass every exercise")
    if report_path is not None:
        data = {"passed": all(r.passed for r in reports),
                "submissions": [r.as_dict() for r in reports]}
        text = json.dumps(data, indent=1, ensure_ascii=False, sort_keys=True) + "\n"
        write_atomic(report_path, text.encode("utf-8"))
    return 0 if all(r.passed for r in reports) else 1
