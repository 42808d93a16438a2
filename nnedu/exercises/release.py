"""`nnedu exercises release`: the student version of a notebook with exercises.

- a solution cell keeps the code outside `### BEGIN SOLUTION` … `### END SOLUTION`; the marked
  part becomes `raise NotImplementedError("exercise K not done yet: <the task's first sentence>")`,
  the cell's outputs are cleared and it is no longer collapsed;
- a check cell loses its hidden tests and its outputs; where it uses names that only the
  solution defines at top level, a guard in front says "exercise K not done yet" instead of a
  NameError when the solution cell has not run (or still raises);
- a markdown answer cell is removed;
- every other cell is kept as it is.

The same input gives the same bytes. Nothing of the notebook is executed: names are found with
`ast`, which only parses.
"""

from __future__ import annotations

import ast
import copy
import os
import tempfile
from collections.abc import Sequence
from pathlib import Path

import nbformat
from nbformat import NotebookNode

from nnedu.exercises.markup import (
    BEGIN_HIDDEN,
    BEGIN_SOLUTION,
    END_HIDDEN,
    END_SOLUTION,
    Exercise,
    exercises,
    indented,
    instruction,
    regions,
    remove_regions,
    replace_regions,
)


def not_done(number: int, what: str) -> str:
    """The message of an unfinished exercise."""
    return f"exercise {number} not done yet: {what}"


def stub(number: int, what: str) -> list[str]:
    """The lines that replace a solution region."""
    return ["# YOUR CODE HERE", f"raise NotImplementedError({not_done(number, what)!r})"]


def student_notebook(nb: NotebookNode, where: str = "notebook") -> NotebookNode:
    """The student version of `nb` (a new notebook; `nb` is not changed)."""
    found = exercises(nb, where)
    student = copy.deepcopy(nb)
    drop: set[int] = set()
    for exercise in found:
        what = _instruction(nb, exercise)
        solution = student.cells[exercise.solution]
        source = solution.source
        defined = _names_defined_in_regions(source)
        lines = stub(exercise.number, what)
        solution.source = replace_regions(
            source, BEGIN_SOLUTION, END_SOLUTION,
            lambda indent, note, body, lines=lines: indented(indent, lines))
        _clear(solution)
        solution.metadata.pop("jupyter", None)  # not collapsed: the student writes here
        check = student.cells[exercise.check]
        check.source = remove_regions(check.source, BEGIN_HIDDEN, END_HIDDEN)
        needed = sorted(defined & _names_used(check.source))
        if needed:
            check.source = "\n".join(_guard(exercise.number, needed)) + "\n" + check.source
        _clear(check)
        if exercise.answer is not None:
            drop.add(exercise.answer)
    student.cells = [cell for i, cell in enumerate(student.cells) if i not in drop]
    return student


def release(paths: Sequence[Path], outdir: Path) -> list[Path]:
    """Write the student version of each notebook to `outdir` (same file name); return the
    paths written. A notebook without exercises is copied through `student_notebook` too (it
    comes out unchanged but for nbformat's normalization)."""
    outdir.mkdir(parents=True, exist_ok=True)
    written = []
    for path in paths:
        nb = nbformat.read(path, as_version=4)
        student = student_notebook(nb, where=path.name)
        target = outdir / path.name
        if target.resolve() == Path(path).resolve():
            raise ValueError(f"nnedu exercises release: {path} would overwrite its own source; "
                             "choose another OUTDIR")
        write_atomic(target, notebook_bytes(student))
        written.append(target)
    return written


def notebook_bytes(nb: NotebookNode) -> bytes:
    """nbformat's JSON (sorted keys, one-space indent) with a final newline: deterministic."""
    return (nbformat.writes(nb) + "\n").encode("utf-8")


def write_atomic(path: Path, data: bytes) -> None:
    """Write to a temporary file in the same folder, then rename it over `path`."""
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as out:
            out.write(data)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def _instruction(nb: NotebookNode, exercise: Exercise) -> str:
    if exercise.task is None:
        return f"see the task above ({exercise.grade_id})"
    return instruction(nb.cells[exercise.task].source, exercise.number)


def _clear(cell: NotebookNode) -> None:
    cell.outputs = []
    cell.execution_count = None


def _guard(number: int, names: list[str]) -> list[str]:
    message = not_done(number, f"run its solution cell, which defines {', '.join(names)}")
    return [f"if not {{{', '.join(repr(n) for n in names)}}} <= globals().keys():",
            f"    raise NotImplementedError({message!r})"]


def _names_defined_in_regions(source: str) -> set[str]:
    """Names the cell binds at top level from its first top-level solution region on: the
    stub raises there, so none of them is defined when the exercise is not done.

    (A region inside a function body raises only when the function is called, and the check's
    call then reports the exercise's NotImplementedError by itself: no names.)"""
    try:
        tree = ast.parse(source)
    except SyntaxError:
        return set()
    inside = [(s.lineno - 1, (s.end_lineno or s.lineno) - 1) for s in tree.body]
    top_level = [first for first, _ in regions(source, BEGIN_SOLUTION, END_SOLUTION)
                 if not any(a <= first <= b for a, b in inside)]
    if not top_level:
        return set()
    names: set[str] = set()
    for statement in tree.body:
        if statement.lineno - 1 > top_level[0]:
            names |= _bound_names(statement)
    return names


def _bound_names(statement: ast.stmt) -> set[str]:
    if isinstance(statement, (ast.Import, ast.ImportFrom)):
        return {(alias.asname or alias.name).split(".")[0] for alias in statement.names}
    names: set[str] = set()
    todo: list[ast.AST] = [statement]
    while todo:
        node = todo.pop()
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            names.add(node.name)
            continue
        if isinstance(node, _OWN_SCOPE):
            continue  # comprehension variables and lambda arguments stay local
        if isinstance(node, ast.Name) and isinstance(node.ctx, ast.Store):
            names.add(node.id)
        todo.extend(ast.iter_child_nodes(node))
    return names


_OWN_SCOPE = (ast.ListComp, ast.SetComp, ast.DictComp, ast.GeneratorExp, ast.Lambda)


def _names_used(source: str) -> set[str]:
    try:
        tree = ast.parse(source)
    except SyntaxError:
        return set()
    return {node.id for node in ast.walk(tree)
            if isinstance(node, ast.Name) and isinstance(node.ctx, ast.Load)}
