"""The sliding-kernel widget, transposed (StampingKernel1D/2D), played in a browser.

- on its own page (as in an exported notebook or a deck, no kernel): every stride, padding
  and step paints the numbers of :mod:`helpers.widgets.stamps` (output so far, stamps per
  cell, the formula), a padding that crops everything shows a message, the keyboard works
  every control, and axe-core finds nothing critical or serious;
- in JupyterLab: run a notebook that shows both widgets, press Play, change the stride and
  the padding, and compare painted frames with the model; axe-core on the outputs.
"""

from __future__ import annotations

import numpy as np
import pytest

from helpers.widgets import StampingKernel1D, StampingKernel2D
from helpers.widgets.frames import fmt
from helpers.widgets.stamps import stamps_1d, stamps_2d

from .conftest import SCREENSHOTS, axe_violations, describe_violations, write_notebook

pytestmark = pytest.mark.browser

CASES = [
    (StampingKernel1D, stamps_1d, [1, 2, 3], [5, 6, 7], ("y", "w", "x")),  # notebook 07's M.T @ y
    (StampingKernel1D, stamps_1d, [1, -2.5], [1, 0, 2], ("x", "w", "y")),
    (StampingKernel2D, stamps_2d, [[1, 2], [3, 4]], np.ones((3, 3)), ("A", "K", "C")),
    (StampingKernel2D, stamps_2d, [[1, 0, 2], [-1, 3, 1]], [[1, 2], [0, -1]], ("A", "K", "C")),
]

#: What the player paints at one step: formula, highlights, counts, the stamping entry.
_PAINTED_JS = """(root, step) => {
  root.skPlayer.show(step);
  const texts = (sel) => Array.from(root.querySelectorAll(sel)).map(td => td.textContent);
  return {formula: root.skPlayer.formula,
          now: root.querySelectorAll('td.sk-now').length,
          hit: root.querySelectorAll('td.sk-hit').length,
          win: texts('td.sk-win'),
          counts: texts('td:is(.sk-n0,.sk-n1,.sk-n2,.sk-n3,.sk-n4)'),
          cropped: root.querySelectorAll('td.sk-cropped').length};
}"""


def _painted_outputs(player, oned: bool) -> list[str]:
    """The output cells as painted, row-major (1D: the output row of the stamp table)."""
    if oned:
        return player.evaluate("""root => { const rows = root.querySelectorAll('.skp-grids tr');
            const out = Array.from(rows).find(r => r.firstChild.textContent !== 'stamp' &&
                r.firstChild.textContent !== 'stamps' && r.querySelector('td.sk-done, td.sk-now, td.sk-todo'));
            return Array.from(out.querySelectorAll('td')).map(td => td.textContent); }""")
    return player.evaluate("""root => { const t = Array.from(root.querySelectorAll('.skp-grids table'))
            .find(t => t.caption && t.caption.textContent.includes('output so far'));
        return Array.from(t.querySelectorAll('td')).map(td => td.textContent); }""")


def check_frames(player, model, steps) -> None:
    """Each step in ``steps``: formula, output so far, counts and highlights are the model's."""
    oned = model.x.ndim == 1
    for step in steps:
        got = player.evaluate(_PAINTED_JS, step)
        frame = model.frame(step)
        where = f"{model.reference}, step {step}"
        assert got["formula"] == frame.formula, where
        assert _painted_outputs(player, oned) == [fmt(v) for v in frame.output.ravel()], where
        assert got["counts"] == [str(c) for c in frame.counts.ravel()], where
        assert got["hit"] == model.w.size, where            # the counts it changed, outlined
        assert got["win"] == [fmt(frame.value)], where      # the entry that stamps
        stamp = model.w.size                                # the stamp and the cells it lands on
        assert got["now"] == 2 * stamp, where
        assert got["cropped"] == 2 * int(model.is_cropped.sum()), where


def _select(player, stride: int, padding: int) -> None:
    player.locator(".skp-stride").select_option(str(stride))
    player.locator(".skp-padding").select_option(str(padding))


@pytest.fixture(scope="module")
def stamp_page(browser, tmp_path_factory):
    """One page with every case's player, opened from disk with no network."""
    body = "".join(f"<section><h2>Case {i}</h2>"
                   f"{make(x, w, names=names)._repr_mimebundle_()['text/html']}</section>"
                   for i, (make, _, x, w, names) in enumerate(CASES))
    path = tmp_path_factory.mktemp("stamps") / "stamps.html"
    path.write_text(f'<!doctype html><html lang="en"><head><meta charset="utf-8">'
                    f"<title>Stamps</title></head><body><main>{body}</main></body></html>",
                    encoding="utf-8")
    context = browser.new_context(viewport={"width": 1280, "height": 720})
    context.route("**/*", lambda route: route.continue_() if route.request.url.startswith(
        "file:") else route.abort())
    page = context.new_page()
    errors = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.goto(path.as_uri())
    page.errors = errors
    yield page
    context.close()


def test_every_stride_padding_and_step_paints_the_models_numbers(stamp_page):
    for i, (_, model_of, x, w, names) in enumerate(CASES):
        player = stamp_page.locator(".skp").nth(i)
        k = max(np.shape(w))
        for stride in (1, 2, 3, 4):
            for padding in range(max(k - 1, 1) + 1):
                _select(player, stride, padding)
                try:
                    model = model_of(x, w, stride, padding, names)
                except ValueError as exc:  # padding crops everything: a message, no steps
                    assert player.evaluate("r => r.skPlayer.nSteps") == 0
                    assert player.locator(".skp-play").is_disabled()
                    assert str(exc) in player.inner_text()
                    assert "Traceback" not in player.inner_text()
                    continue
                assert player.evaluate("r => r.skPlayer.nSteps") == model.n_steps
                check_frames(player, model, range(model.n_steps))
    assert not stamp_page.errors


def test_the_checkerboard_counts_are_numbers_not_only_shades(stamp_page):
    """Stride 2, kernel 3: the last step's counts read 1, 1, 2, 1, 1 / ... / 2, 2, 4, 2, 2."""
    player = stamp_page.locator(".skp").nth(2)
    _select(player, 2, 0)
    got = player.evaluate(_PAINTED_JS, 3)
    counts = np.array(got["counts"], dtype=int).reshape(5, 5)
    np.testing.assert_array_equal(counts, stamps_2d([[1, 2], [3, 4]], np.ones((3, 3)), 2).counts)
    shades = player.evaluate("""r => Array.from(r.querySelectorAll('td:is(.sk-n0,.sk-n1,.sk-n2,.sk-n3,.sk-n4)'))
        .map(td => getComputedStyle(td).backgroundColor)""")
    assert len(set(shades)) == 3  # 1, 2 and 4 stamps: three shades, each with its number


def test_keyboard_alone_reaches_and_works_every_control(stamp_page):
    player = stamp_page.locator(".skp").first
    _select(player, 2, 0)
    player.evaluate("root => root.skPlayer.show(0)")
    player.locator(".skp-play").focus()
    names = []
    for _ in range(7):
        names.append(stamp_page.evaluate("() => document.activeElement.className.split(' ')[0]"))
        stamp_page.keyboard.press("Tab")
    assert names == ["skp-play", "skp-prev", "skp-step", "skp-next", "skp-fps", "skp-stride",
                     "skp-padding"]
    player.locator(".skp-next").focus()
    stamp_page.keyboard.press("Enter")
    assert "Step 2 of 3: x[2:5] += y[1]·w = 2·[5, 6, 7]" in player.locator(
        "[aria-live]").inner_text()
    player.locator(".skp-stride").focus()
    stamp_page.keyboard.press("ArrowDown")  # stride 3: the step (the entry) is kept
    assert player.locator(".skp-stride").input_value() == "3"
    assert "Step 2 of 3: x[3:6] += y[1]·w" in player.locator("[aria-live]").inner_text()


def test_axe_finds_nothing_serious_in_the_stamp_players(stamp_page, axe_source):
    for i in range(len(CASES)):  # with cropped cells showing, too
        _select(stamp_page.locator(".skp").nth(i), 2, 1)
    found = axe_violations(stamp_page, axe_source, [".skp"])
    assert not found, "axe-core:\n" + describe_violations(found)


# ---------------------------------------------------------------------------- JupyterLab

LAB = [
    "import numpy as np\nfrom helpers.widgets import StampingKernel1D, StampingKernel2D",
    'StampingKernel1D([1, 2, 3], [5, 6, 7], stride=2, names=("y", "w", "x"))',
    "StampingKernel2D([[1, 2], [3, 4]], np.ones((3, 3)), stride=2)",
    "StampingKernel1D([1, 2], [1, 1], padding=5)",
]


def test_transposed_widgets_play_in_jupyterlab(open_notebook, lab_root, axe_source):
    write_notebook(lab_root / "selftest" / "stamps.ipynb", LAB)
    nb = open_notebook("selftest/stamps.ipynb")
    assert nb.run_all()
    nb.check_no_errors()
    assert nb.check_widgets_rendered(expected=3) == 3
    players = nb.sliding_kernels()
    assert players.count() == 3
    one, two, none = players.nth(0), players.nth(1), players.nth(2)

    nb.check_play_advances(one)
    for control in ("stride", "padding"):
        nb.check_control_changes_view(one, control)
    _select(one, 2, 0)
    check_frames(one, stamps_1d([1, 2, 3], [5, 6, 7], 2, 0, ("y", "w", "x")), [0, 1, 2])

    nb.check_play_advances(two)
    _select(two, 2, 0)
    check_frames(two, stamps_2d([[1, 2], [3, 4]], np.ones((3, 3)), 2), [0, 3])
    _select(two, 2, 1)
    check_frames(two, stamps_2d([[1, 2], [3, 4]], np.ones((3, 3)), 2, 1), [1])

    assert none.locator(".skp-play").is_disabled()
    assert "padding: 5 on each side leaves no output" in none.inner_text()
    nb.check_no_errors()
    found = axe_violations(nb.page, axe_source, [".jp-Notebook .jp-OutputArea-output"])
    assert not found, "axe-core in JupyterLab:\n" + describe_violations(found)
    nb.screenshot("stamping_widgets.png")


def test_the_stamp_player_plays_in_rise(lab_server, lab_context, lab_root):
    """In a RISE slideshow, from the keyboard: Next moves the stamp, Stride rebuilds."""
    from .test_rise import execute_visible_code_cell, open_rise

    write_notebook(lab_root / "selftest" / "rise_stamps.ipynb", [LAB[0] + "\n" + LAB[1]])
    page = open_rise(lab_server, lab_context, "selftest/rise_stamps.ipynb")
    try:
        cell = execute_visible_code_cell(page)
        player = cell.locator(".skp[data-ready]")
        player.wait_for(state="attached", timeout=30_000)
        player.locator(".skp-next").focus()
        page.keyboard.press("Enter")
        assert player.locator(".skp-formula").inner_text() == "x[2:5] += y[1]·w = 2·[5, 6, 7]"
        player.locator(".skp-stride").select_option("1")
        assert player.locator(".skp-formula").inner_text() == "x[1:4] += y[1]·w = 2·[5, 6, 7]"
        box = player.bounding_box()
        assert box and box["y"] + box["height"] <= page.viewport_size["height"] + 1, (
            f"the player is cut off at the bottom of the slide: {box}")
    finally:
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SCREENSHOTS / "rise_stamps.png"))
        page.close()
        for session in lab_server.api("GET", "api/sessions"):
            if session["path"] == "selftest/rise_stamps.ipynb":
                lab_server.api("DELETE", f"api/sessions/{session['id']}", timeout=30)
