"""The computation graphs of notebook 03 as a student sees them: a fresh clone, so UNTRUSTED.

JupyterLab refuses SVG in an untrusted notebook; each graph must still show as a picture (the
PNG beside the SVG in its output), fit the cell's width — or, a drawing too large to be legible
at page width, sit at legible size in an output that scrolls sideways — and keep its node text
legible: at a 1400 px wide window the text is rendered at least ~9 px high, measured as

    rendered width / the drawing's width in pt × the node text's font size in pt.
"""

from __future__ import annotations

import json
import re

import pytest

from .conftest import NOTEBOOKS, SCREENSHOTS, save_screenshot

pytestmark = pytest.mark.browser

NOTEBOOK = NOTEBOOKS / "03_backprop_on_graphs.ipynb"
MIN_TEXT_PX = 9.0
# Whether an element sits in a box (up to its cell) that the student can scroll sideways.
SCROLLS_SIDEWAYS = """(e) => {
  for (let box = e.parentElement; box && !box.classList.contains('jp-Cell');
       box = box.parentElement) {
    const overflow = getComputedStyle(box).overflowX;
    if ((overflow === 'auto' || overflow === 'scroll') && box.scrollWidth > box.clientWidth) {
      return true;
    }
  }
  return false;
}"""


def _text(value: str | list[str]) -> str:
    return value if isinstance(value, str) else "".join(value)


def graph_outputs() -> list[tuple[int, int, float, float]]:
    """(cell index, output index, drawing width in pt, smallest node font size in pt) of
    every GraphDrawing output saved in the notebook."""
    cells = json.loads(NOTEBOOK.read_text())["cells"]
    found = []
    for i, cell in enumerate(cells):
        for j, output in enumerate(cell.get("outputs", [])):
            data = output.get("data", {})
            if not _text(data.get("text/plain", "")).startswith("<GraphDrawing"):
                continue
            svg = _text(data.get("image/svg+xml", ""))
            width = re.search(r'<svg[^>]*\swidth="([\d.]+)pt"', svg)
            scale = re.search(r'class="graph" transform="scale\(([\d.]+)', svg)
            nodes = re.findall(r'<g id="[^"]*" class="node">(.*?)</g>', svg, re.S)
            sizes = [float(s) for node in nodes for s in re.findall(r'font-size="([\d.]+)"', node)]
            assert width and sizes, f"cell {i}: no SVG to measure the graph's geometry in"
            factor = float(scale.group(1)) if scale else 1.0
            found.append((i, j, float(width.group(1)), min(sizes) * factor))
    return found


def test_graphs_of_notebook_03_show_as_legible_pictures_when_untrusted(lab, page):
    graphs = graph_outputs()
    assert len(graphs) >= 4
    lab.open(page, lab.copy_notebook(NOTEBOOK))
    cells = page.locator(".jp-NotebookPanel .jp-Notebook > .jp-WindowedPanel-outer .jp-Cell, "
                         ".jp-NotebookPanel .jp-Notebook .jp-Cell")
    problems = []
    for i, j, width_pt, font_pt in graphs:
        cell = cells.nth(i)
        cell.scroll_into_view_if_needed()
        output = cell.locator(".jp-OutputArea-output").nth(j)
        text = output.inner_text()
        if "<GraphDrawing" in text:
            problems.append(f"cell {i}: shows the text {text.strip()[:60]!r}, not a picture")
            continue
        picture = output.locator("img, svg").first
        if picture.count() == 0:
            problems.append(f"cell {i}: no picture in the output")
            continue
        picture.wait_for(state="visible")
        page.wait_for_function("(e) => e.tagName !== 'IMG' || e.complete",
                               arg=picture.element_handle())
        shown = picture.bounding_box()
        SCREENSHOTS.mkdir(exist_ok=True)
        picture.screenshot(path=str(SCREENSHOTS / f"notebook03-cell{i}.png"))
        area = cell.bounding_box()
        if (shown["x"] + shown["width"] > area["x"] + area["width"] + 1
                and not picture.evaluate(SCROLLS_SIDEWAYS)):
            problems.append(f"cell {i}: the picture ({shown['width']:.0f} px) is wider than "
                            f"the cell ({area['width']:.0f} px)")
        text_px = shown["width"] / width_pt * font_pt
        if text_px < MIN_TEXT_PX:
            problems.append(f"cell {i}: node text rendered at {text_px:.1f} px (< "
                            f"{MIN_TEXT_PX:g}): {shown['width']:.0f} px for {width_pt:.0f} pt, "
                            f"font {font_pt:g} pt")
    cells.nth(graphs[0][0]).scroll_into_view_if_needed()
    save_screenshot(page, "notebook03-graphs", full_page=False)
    assert not problems, "\n".join(problems)
