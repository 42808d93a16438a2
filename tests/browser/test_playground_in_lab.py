"""The playground in JupyterLab, in headless Chromium: step, play, click to add a point."""

from __future__ import annotations

import re

import pytest

from .conftest import SCREENSHOTS, WINDOW, save_screenshot

pytestmark = pytest.mark.browser

SETUP = ("from nnedu.viz import setup_notebook\n"
         "setup_notebook()\n"
         "from nnedu.playground import Playground\n"
         "pg = Playground('data=xor&hidden=4&lr=0.1')\n"
         "pg")


def _epoch(page) -> int:
    return int(page.locator(".nnedu-pg-epoch").inner_text())


def _boundary(page) -> str:
    return page.locator(".nnedu-pg-main image").get_attribute("href")


def _train_points(page) -> int:
    return page.locator('.nnedu-pg-main circle[data-part="train"]').count()


def test_playground_steps_plays_and_takes_a_clicked_point(lab, page):
    notebook = lab.write_notebook("playground.ipynb", [SETUP])
    lab.open(page, notebook)
    page.locator(".jp-Cell .jp-InputArea-editor").first.click()
    page.keyboard.press("Shift+Enter")
    page.wait_for_selector(".nnedu-playground .nnedu-pg-main", timeout=180_000)
    loss_text = page.locator(".nnedu-pg-train-loss").inner_text()
    boundary = _boundary(page)
    assert _epoch(page) == 0 and re.fullmatch(r"\d+\.\d{4}", loss_text)

    page.locator(".nnedu-playground button", has_text="step").click()
    page.wait_for_function("() => document.querySelector('.nnedu-pg-epoch')"
                           ".textContent.trim() === '1'")
    assert page.locator(".nnedu-pg-train-loss").inner_text() != loss_text
    assert _boundary(page) != boundary

    play = page.locator(".nnedu-playground button", has_text=re.compile("^ *play"))
    play.click()
    page.wait_for_function("() => +document.querySelector('.nnedu-pg-epoch').textContent >= 6",
                           timeout=60_000)
    page.locator(".nnedu-playground button", has_text="pause").click()
    page.wait_for_selector(".nnedu-playground button:has-text('play')")
    stopped = _epoch(page)
    page.wait_for_timeout(1500)
    assert _epoch(page) == stopped >= 6

    n = _train_points(page)
    boundary = _boundary(page)
    box = page.locator(".nnedu-pg-main").bounding_box()
    page.mouse.click(box["x"] + 0.3 * box["width"], box["y"] + 0.7 * box["height"])
    page.wait_for_function(
        f"() => document.querySelectorAll('.nnedu-pg-main circle[data-part=\"train\"]').length"
        f" === {n + 1}")
    page.wait_for_selector(".nnedu-pg-graph svg")
    page.locator(".nnedu-playground button", has_text="step").click()
    page.wait_for_function(f"() => +document.querySelector('.nnedu-pg-epoch').textContent "
                           f"=== {stopped + 1}")
    assert _boundary(page) != boundary
    page.locator(".nnedu-playground").scroll_into_view_if_needed()
    save_screenshot(page, "playground", full_page=False)
    page.set_viewport_size({"width": WINDOW["width"], "height": 2400})  # all of the widget
    page.wait_for_timeout(500)
    page.locator(".nnedu-playground").screenshot(path=str(SCREENSHOTS / "playground-widget.png"))
