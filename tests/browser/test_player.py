"""The sliding-kernel player on its own page, as in an exported notebook or a deck (no kernel).

- every setting and every step draws the formula that :mod:`helpers.widgets.frames` gives;
- the keyboard alone reaches and works every control, and the step is announced;
- axe-core finds no critical or serious violation in the player;
- a step is painted whole: the window, the output cell and the formula change together.
"""

from __future__ import annotations

import itertools

import pytest

from helpers.widgets import SlidingKernel1D, SlidingKernel2D
from helpers.widgets import frames as fm

from .conftest import CHROMIUM_ARGS, axe_violations, describe_violations  # noqa: F401

pytestmark = pytest.mark.browser

CASES = [
    (SlidingKernel1D, [1, 2, 3, 4], [5, 6, 7]),
    (SlidingKernel1D, [1, 2], [1, 2, 3, 4, 5]),          # NumPy's swap
    (SlidingKernel1D, [3, -1, 4, 1, 5], [2, -1, 1, 1]),  # even kernel
    (SlidingKernel2D, [[1, 1, 1, 0, 0], [0, 1, 1, 1, 0], [0, 0, 1, 1, 1], [0, 0, 1, 1, 0],
                       [0, 1, 1, 0, 0]], [[1, 0, 1], [0, 1, 0], [1, 0, 1]]),
    (SlidingKernel2D, [[1, 2, 0, 3], [4, 1, 0, 2], [0, 2, 1, 1]], [[1, 0], [2, -1]]),
    (SlidingKernel2D, [[1, 2, 3], [4, 5, 6]], [[1, 1, 1, 1]]),  # 'valid' impossible
]


@pytest.fixture(scope="module")
def player_page(browser, tmp_path_factory):
    """One page with every case's player, opened from disk with no network."""
    body = "".join(f"<section><h2>Case {i}</h2>{make(x, w)._repr_mimebundle_()['text/html']}"
                   "</section>" for i, (make, x, w) in enumerate(CASES))
    path = tmp_path_factory.mktemp("player") / "players.html"
    path.write_text(f'<!doctype html><html lang="en"><head><meta charset="utf-8">'
                    f"<title>Players</title></head><body><main>{body}</main></body></html>",
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


def _select(player, key: str) -> None:
    mode, flip, stride = key.split("/")
    player.locator(".skp-mode").select_option(mode)
    player.locator(".skp-flip").select_option(flip)
    player.locator(".skp-stride").select_option(stride)


def test_every_setting_and_step_matches_the_frame_model(player_page):
    for i, (make, x, w) in enumerate(CASES):
        player = player_page.locator(".skp").nth(i)
        build = fm.frames_1d if make is SlidingKernel1D else fm.frames_2d
        for mode, flip, stride in itertools.product(fm.MODES, (True, False), (1, 2, 3, 4)):
            _select(player, f"{mode}/{int(flip)}/{stride}")
            f = build(x, w, mode, flip, stride)
            got = player.evaluate("""root => { const p = root.skPlayer, out = [];
                for (let s = 0; s < p.nSteps; s++) { p.show(s); out.push(p.formula); }
                return out; }""")
            want = [f.frame(s).formula for s in range(f.n_steps)]
            assert got == want, f"case {i}, {mode}/{flip}/{stride}"
            if not f.n_steps:
                assert f.message[:30] in player.inner_text()
                assert player.locator(".skp-play").is_disabled()
    assert not player_page.errors


def test_keyboard_alone_reaches_and_works_every_control(player_page):
    player = player_page.locator(".skp").first
    _select(player, "full/1/1")
    player.evaluate("root => root.skPlayer.show(0)")
    player.locator(".skp-play").focus()
    names = []
    for _ in range(8):
        names.append(player_page.evaluate(
            "() => document.activeElement.className.split(' ')[0]"))
        player_page.keyboard.press("Tab")
    assert names == ["skp-play", "skp-prev", "skp-step", "skp-next", "skp-fps", "skp-mode",
                     "skp-flip", "skp-stride"]
    player.locator(".skp-next").focus()
    player_page.keyboard.press("Enter")
    player_page.keyboard.press(" ")
    assert player.locator(".skp-step").input_value() == "2"
    assert "Step 3 of 6: y[2] = 1·7 + 2·6 + 3·5 = 34" in player.locator("[aria-live]").inner_text()
    player.locator(".skp-step").focus()
    player_page.keyboard.press("ArrowRight")
    assert player.locator(".skp-step").input_value() == "3"
    player.locator(".skp-play").focus()
    player_page.keyboard.press(" ")
    assert player.locator(".skp-play").get_attribute("aria-pressed") == "true"
    player_page.keyboard.press("Enter")
    assert player.locator(".skp-play").get_attribute("aria-pressed") == "false"


def test_axe_finds_nothing_serious_in_the_players(player_page, axe_source):
    found = axe_violations(player_page, axe_source, [".skp"])
    assert not found, "axe-core:\n" + describe_violations(found)


def test_a_step_is_painted_whole(player_page):
    """Window, output cell and formula all belong to the same step in every painted frame."""
    player = player_page.locator(".skp").nth(3)
    _select(player, "valid/0/1")
    half = player.evaluate("""root => new Promise(done => {
        const p = root.skPlayer, bad = [];
        p.show(0);
        const check = () => {
          const now = root.querySelectorAll('td.sk-now').length;
          const done_ = root.querySelectorAll('td.sk-done').length;
          const f = root.querySelector('.skp-formula').textContent;
          const want = 'C[' + Math.floor(done_ / 3) + ',' + (done_ % 3) + ']';
          if (now !== 1 || !f.startsWith(want)) bad.push(f);
        };
        let k = 0;
        const tick = () => { check(); if (++k < 9) { p.show(k); requestAnimationFrame(tick); }
                             else done(bad); };
        requestAnimationFrame(tick);
    })""")
    assert half == []
