"""A notebook as a live RISE slideshow (jupyterlab-rise), driven with the keyboard.

jupyterlab-rise serves a standalone slideshow app at ``/rise/<path>`` (the "Render as
slideshow" toolbar button and the ``RISE:preview`` command show the same page in an
iframe). The test opens it, advances two slides with Space and ArrowRight, executes a
code cell with Shift+Enter and checks that the cell ran and printed something.

The kernel is warmed up first by running the notebook in JupyterLab: RISE joins the
session of the same path, so a cell that needs the (skipped) setup cell still runs --
which is also how an instructor presents.
"""

from __future__ import annotations

import re
import time

import pytest

from .conftest import SCREENSHOTS, TRACEBACK, course_notebooks, write_notebook

pytestmark = pytest.mark.browser

#: Where the slideshow is: indices of the present slide and how many fragments are shown.
_STATE_JS = """() => {
  const tops = Array.from(document.querySelectorAll('.reveal .slides > section'));
  const h = tops.findIndex(s => s.classList.contains('present'));
  const top = tops[h];
  const subs = top ? Array.from(top.querySelectorAll(':scope > section')) : [];
  const v = subs.findIndex(s => s.classList.contains('present'));
  const current = v >= 0 ? subs[v] : top;
  return {h, v, f: current ? current.querySelectorAll('.fragment.visible').length : -1,
          title: current ? (current.querySelector('h1, h2, h3') || {}).textContent || '' : ''};
}"""


#: Is the code cell number ``i`` on the present slide (and its fragment, if any, shown)?
_SHOWN_JS = """(i) => {
  const c = document.querySelectorAll('.reveal .slides .jp-CodeCell')[i];
  const fragment = c.closest('.fragment');
  return !!c.closest('section.present') && (!fragment || fragment.classList.contains('visible'));
}"""
_FIRST_SHOWN_CODE_CELL_JS = """() => {
  const all = Array.from(document.querySelectorAll('.reveal .slides .jp-CodeCell'));
  return all.findIndex(c => {
    const fragment = c.closest('.fragment');
    return !!c.closest('section.present') && (!fragment || fragment.classList.contains('visible'));
  });
}"""


def _position(page) -> tuple[int, int, int]:
    state = page.evaluate(_STATE_JS)
    return state["h"], state["v"], state["f"]


def open_rise(lab_server, lab_context, path: str):
    """Open ``path`` as a RISE slideshow in a new page; wait until reveal.js is ready."""
    page = lab_context.new_page()
    page.goto(lab_server.url(f"rise/{path}"), wait_until="domcontentloaded")
    page.wait_for_selector(".reveal.ready .slides section.present", timeout=60_000)
    return page


def press_until_advanced(page, key: str, timeout: float = 5.0) -> tuple[int, int, int]:
    before = _position(page)
    page.keyboard.press(key)
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        now = _position(page)
        if now > before:
            return now
        time.sleep(0.1)
    raise AssertionError(f"{key} did not advance the slideshow (stayed at {before})")


def execute_visible_code_cell(page, max_steps: int = 30):
    """Walk forward (Space) to the first visible code cell, run it with Shift+Enter.

    Returns the cell's locator once it shows a new execution count. RISE's Shift+Enter
    runs the cell and moves on to the next one (maybe the next slide): the cell is found
    again by its index among all code cells, then shown again with ArrowLeft.
    """
    all_cells = page.locator(".reveal .slides .jp-CodeCell")
    for _ in range(max_steps):
        index = page.evaluate(_FIRST_SHOWN_CODE_CELL_JS)
        if index >= 0:
            break
        press_until_advanced(page, "Space")
    else:
        raise AssertionError(f"no code cell in the slideshow within {max_steps} steps")
    cell = all_cells.nth(index)
    prompt = cell.locator(".jp-InputPrompt").first
    before = prompt.inner_text().strip()
    prompt.click()  # select the cell, command mode
    page.keyboard.press("Shift+Enter")
    end = time.monotonic() + 60
    while time.monotonic() < end:
        now = prompt.inner_text().strip()
        if re.fullmatch(r"\[\d+\]:", now) and now != before:
            break
        time.sleep(0.2)
    else:
        raise AssertionError(f"Shift+Enter did not run the cell (prompt stayed {before!r})")
    for _ in range(5):  # back to the slide that shows the cell, for the screenshot
        time.sleep(1.0)  # let reveal.js finish its transition
        if page.evaluate(_SHOWN_JS, index):
            break
        page.keyboard.press("ArrowLeft")
    return cell


def test_rise_slideshow(open_notebook, lab_server, lab_context, lab_root):
    notebooks = course_notebooks()
    if not notebooks:
        pytest.skip("no notebooks/NN_*.ipynb yet")
    source = next((p for p in notebooks if p.name.startswith("00_")), notebooks[0])
    path = f"notebooks/{source.name}"
    warm = open_notebook(path)
    warm.run_all()
    warm.page.close()  # keep the session: RISE joins it

    page = open_rise(lab_server, lab_context, path)
    try:
        start = _position(page)
        assert start[:2] == (0, 0), f"the slideshow does not start at the first slide: {start}"
        first_title = page.evaluate(_STATE_JS)["title"]
        assert first_title.strip(), "the first slide has no title"
        press_until_advanced(page, "Space")
        press_until_advanced(page, "ArrowRight")
        assert _position(page) > start

        cell = execute_visible_code_cell(page)
        output = cell.locator(".jp-OutputArea-output")
        output.first.wait_for(state="attached", timeout=30_000)
        text = cell.locator(".jp-OutputArea").inner_text()
        assert text.strip(), "the cell ran but shows no output"
        assert TRACEBACK not in text, f"the cell raised in the slideshow:\n{text[:1000]}"
        sessions = [s for s in lab_server.api("GET", "api/sessions") if s["path"] == path]
        assert len(sessions) == 1, f"RISE should join the notebook's session: {sessions}"
    finally:
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SCREENSHOTS / "rise.png"))
        page.close()


def test_rise_shows_widgets(lab_server, lab_context, lab_root):
    write_notebook(lab_root / "selftest" / "rise_widget.ipynb",
                   ["import ipywidgets as W\nW.IntSlider(value=3, description='n')"])
    page = open_rise(lab_server, lab_context, "selftest/rise_widget.ipynb")
    try:
        cell = execute_visible_code_cell(page)
        cell.locator(".jp-OutputArea-output").first.wait_for(state="attached", timeout=30_000)
        time.sleep(1)
        assert cell.locator(".jp-OutputArea-output .widget-hslider").count() == 1, (
            "the IntSlider is not drawn in the slideshow: "
            + cell.locator(".jp-OutputArea").inner_text()[:200])
    finally:
        page.close()
        for session in lab_server.api("GET", "api/sessions"):
            if session["path"] == "selftest/rise_widget.ipynb":
                lab_server.api("DELETE", f"api/sessions/{session['id']}", timeout=30)


def test_rise_plays_the_sliding_kernel(lab_server, lab_context, lab_root):
    """The player runs in RISE: Next moves the step and the formula, in the browser."""
    write_notebook(lab_root / "selftest" / "rise_player.ipynb",
                   ["from helpers.widgets import SlidingKernel1D\n"
                    "SlidingKernel1D([1, 2, 3, 4], [5, 6, 7], mode='full', flip=True)"])
    page = open_rise(lab_server, lab_context, "selftest/rise_player.ipynb")
    try:
        cell = execute_visible_code_cell(page)
        player = cell.locator(".skp[data-ready]")
        player.wait_for(state="attached", timeout=30_000)
        # From the keyboard. (With the mouse, RISE swallows the first click on a control
        # of a cell that is not selected yet: the press selects the cell, no click follows.)
        player.locator(".skp-next").focus()
        page.keyboard.press("Enter")
        page.keyboard.press("Enter")
        assert player.locator(".skp-formula").inner_text() == "y[2] = 1·7 + 2·6 + 3·5 = 34"
        player.locator(".skp-next").click()
        assert "Step 4 of 6" in player.locator(".skp-status").inner_text()
        box = player.bounding_box()
        assert box and box["y"] + box["height"] <= page.viewport_size["height"] + 1, (
            f"the player is cut off at the bottom of the slide: {box}")
    finally:
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SCREENSHOTS / "rise_player.png"))
        page.close()
        for session in lab_server.api("GET", "api/sessions"):
            if session["path"] == "selftest/rise_player.ipynb":
                lab_server.api("DELETE", f"api/sessions/{session['id']}", timeout=30)
