"""Every number a notebook's text states is one its cells compute (or a constant of the lecture).

A student who reads "ReLU reached the threshold 10.5× sooner" must find 10.5 in the output above
(or in the code that produced it). So every number with a unit of a measured result — %, ×, pp,
epochs, steps, iterations, times, s, ms — written in a markdown cell must appear, within the
rounding it is written with, in the source or the text outputs of the two code cells before that
markdown cell or of the code cell after it. Exempt are:

- dimensions such as 8×8 (a shape, not a result);
- numbers inside quotation marks: "e.g. 6x" quotes the slides;
- the notebook's own list of lecture constants, in its metadata:
  `{"nnedu": {"lecture_constants": ["75 %", "6x"]}}` (edit it with JupyterLab's property
  inspector or nbformat).
"""

from __future__ import annotations

import re
from pathlib import Path

import nbformat
import pytest

NOTEBOOKS = sorted((Path(__file__).parent.parent / "notebooks").glob("[0-9][0-9]_*.ipynb"))
UNITS = r"%|×|x\b|pp\b|epochs?\b|steps?\b|iterations?\b|times\b|s\b|ms\b|seconds?\b"
NUMBER = r"\d{1,3}(?:,\d{3})+|\d+(?:\.\d+)?"
CLAIM = re.compile(rf"(?<![\w.$\\{{^_/-])({NUMBER})\s?({UNITS})")
DIMENSION = re.compile(rf"(?:{NUMBER})\s?[×x]\s?\d")
QUOTED = re.compile(r"\"[^\"\n]*\"|“[^”\n]*”")
ANY_NUMBER = re.compile(r"\d+(?:\.\d+)?(?:[eE][-+]?\d+)?")


def _value(text: str) -> float:
    return float(text.replace(",", ""))


def _decimals(text: str) -> int:
    return len(text.split(".")[1]) if "." in text else 0


def _text_of(cell: nbformat.NotebookNode) -> str:
    """A code cell's source and its text outputs (what a student sees as numbers)."""
    parts = [cell.source]
    for output in cell.get("outputs", []):
        if output.get("output_type") == "stream":
            parts.append(output.get("text", ""))
        elif "data" in output:
            parts.append(output["data"].get("text/plain", ""))
    return "\n".join(parts)


def _nearby_numbers(cells: list, index: int) -> list[float]:
    before = [c for c in cells[:index] if c.cell_type == "code"][-2:]
    after = [c for c in cells[index + 1:] if c.cell_type == "code"][:1]
    text = "\n".join(_text_of(c) for c in before + after)
    numbers = []
    for token in ANY_NUMBER.findall(text.replace(",", "")):
        try:
            numbers.append(float(token))
        except ValueError:  # pragma: no cover - the pattern only matches floats
            continue
    return numbers


def _supported(claim: str, unit: str, numbers: list[float]) -> bool:
    value, tolerance = _value(claim), 0.5 * 10.0 ** -_decimals(claim) + 1e-9
    scales = (1.0, 100.0) if unit in ("%", "pp") else (1.0,)
    return any(abs(n * scale - value) <= tolerance for n in numbers for scale in scales)


def unsupported_claims(path: Path) -> list[str]:
    """The numbers-with-units in `path`'s markdown that no nearby cell computes."""
    nb = nbformat.read(path, as_version=4)
    constants = set(nb.metadata.get("nnedu", {}).get("lecture_constants", []))
    problems = []
    for index, cell in enumerate(nb.cells):
        if cell.cell_type != "markdown":
            continue
        text = QUOTED.sub(" ", cell.source)
        text = DIMENSION.sub(" ", text)
        numbers = None
        for match in CLAIM.finditer(text):
            claim, unit = match.group(1), match.group(2)
            if match.group(0) in constants or f"{claim} {unit}" in constants:
                continue
            if numbers is None:
                numbers = _nearby_numbers(nb.cells, index)
            if not _supported(claim, unit, numbers):
                context = text[max(0, match.start() - 50):match.end() + 20].replace("\n", " ")
                problems.append(f"{path.name} cell {index}: {match.group(0)!r} in …{context}…")
    return problems


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_every_number_in_the_text_is_computed_nearby(path):
    problems = unsupported_claims(path)
    assert not problems, (
        "numbers in the text that no nearby cell computes (compute and assert them, quote the "
        "slide, or list a lecture constant in the notebook's metadata):\n" + "\n".join(problems))


def test_the_checker_flags_a_typed_in_number(tmp_path):
    nb = nbformat.v4.new_notebook()
    run = nbformat.v4.new_code_cell("ratio = 1.4\nprint(f'{ratio:.1f}')")
    run.outputs = [nbformat.v4.new_output("stream", text="1.4\n")]
    nb.cells = [run, nbformat.v4.new_markdown_cell("Backward costs about 2× the forward pass."),
                nbformat.v4.new_markdown_cell("It is 1.4× here; the slide says \"2×\"; 8×8 px.")]
    path = tmp_path / "00_check.ipynb"
    nbformat.write(nb, path)
    assert [p.split(": ")[1].split(" in")[0] for p in unsupported_claims(path)] == ["'2×'"]
    nb.metadata["nnedu"] = {"lecture_constants": ["2×"]}
    nbformat.write(nb, path)
    assert unsupported_claims(path) == []
