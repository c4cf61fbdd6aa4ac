"""The offline reveal.js decks (``make slides``) open from disk with the network cut off.

Each deck is opened through ``file://`` with every other request aborted. The first slide
must show the notebook's title, a deck whose notebook has math must show a typeset
equation (MathJax), no request may leave the disk and no local file may be missing.

The decks come from ``build/slides`` when they are newer than their notebooks and than
``tools/slides.py``; otherwise they are built into a temporary folder with
``python -m tools.slides <dir>`` (reusing ``build/slides/_assets`` if present).
A screenshot of each deck's first equation (or title) goes to build/screenshots/deck_*.png.
"""

from __future__ import annotations

import importlib.util
import json
import re
import subprocess
import sys
import time
from pathlib import Path

import pytest

from .conftest import (
    ROOT,
    SCREENSHOTS,
    axe_violations,
    course_notebooks,
    describe_violations,
    in_ci,
)

pytestmark = pytest.mark.browser

BUILD = ROOT / "build" / "slides"
SLIDES_PY = ROOT / "tools" / "slides.py"
ASSETS_LOCK = ROOT / "tools" / "deck_assets" / "package-lock.json"
PROJECTOR_CSS = ROOT / "tools" / "deck_assets" / "projector.css"
#: The size of a projector: every slide, all its fragments shown, must fit.
SLIDE = {"width": 1280, "height": 720}
#: The whole deck folder (decks and the files they load), in bytes.
MAX_FOLDER_BYTES = 20_000_000
NOTEBOOKS = course_notebooks()
PARAMS = [pytest.param(path, id=path.stem) for path in NOTEBOOKS] or [
    pytest.param(None, id="no-notebooks",
                 marks=pytest.mark.skip(reason="no notebooks/NN_*.ipynb yet"))]

MATH = re.compile(r"\$[^$\n]+\$|\$\$|\\begin\{")
EQUATION = "mjx-container, .MathJax_CHTML, .MathJax_SVG, .MathJax"

#: reveal.js is loaded through require.js in nbconvert's template: find the module.
_REVEAL_JS = """() => {
  if (window.Reveal && window.Reveal.getIndices) return 'global';
  const defined = (window.require && require.s && require.s.contexts._.defined) || {};
  return Object.keys(defined).find(k => defined[k] && defined[k].getIndices) || null;
}"""

_GOTO_JS = """([selector, name]) => {
  // Go (without transition) to the first slide with a typeset equation; show its fragments.
  const R = name === 'global' ? window.Reveal : require.s.contexts._.defined[name];
  R.configure({transition: 'none', backgroundTransition: 'none'});
  const slide = R.getSlides().find(s => s.querySelector(selector));
  if (!slide) return null;
  const idx = R.getIndices(slide);
  R.slide(idx.h, idx.v || 0);
  for (let i = 0; i < 100 && R.nextFragment(); i++) {}
  return R.getIndices();
}"""


#: Resolves when MathJax has typeset the page (v2: the "End" startup hook, then the queue).
_MATHJAX_DONE_JS = """async () => {
  const MJ = window.MathJax;
  if (MJ.startup && MJ.startup.promise) { await MJ.startup.promise; return 3; }
  await new Promise(resolve => MJ.Hub.Register.StartupHook('End', resolve));
  await new Promise(resolve => MJ.Hub.Queue([resolve]));
  return 2;
}"""


def slides_module_exists() -> bool:
    return importlib.util.find_spec("tools.slides") is not None


def _fresh(folder: Path) -> bool:
    """Every deck in ``folder`` is newer than its notebook and than the deck builder."""
    if not (folder / "_assets" / "reveal.js").is_dir():
        return False
    newest_source = max(p.stat().st_mtime for p in (SLIDES_PY, ASSETS_LOCK, PROJECTOR_CSS)
                        if p.exists())
    for notebook in NOTEBOOKS:
        deck = folder / f"{notebook.stem}.slides.html"
        if not deck.exists():
            return False
        if deck.stat().st_mtime < max(notebook.stat().st_mtime, newest_source):
            return False
    return True


@pytest.fixture(scope="session")
def decks(chromium, tmp_path_factory) -> Path:
    """A folder with one offline deck per notebook: build/slides if fresh, else a new build."""
    if not slides_module_exists():
        pytest.skip("tools.slides does not exist yet: no decks to check "
                    "(the deck tests run once `python -m tools.slides` exists)")
    if not NOTEBOOKS:
        pytest.skip("no notebooks/NN_*.ipynb yet")
    if _fresh(BUILD):
        return BUILD
    out = tmp_path_factory.mktemp("slides")
    done = subprocess.run([sys.executable, "-m", "tools.slides", str(out)], cwd=ROOT,
                          capture_output=True, text=True, timeout=900)
    log = done.stdout + done.stderr
    assert done.returncode == 0, f"python -m tools.slides failed:\n{log[-3000:]}"
    if not (out / "_assets" / "reveal.js").is_dir():
        reason = f"the decks were built without local assets (no npm?):\n{log[-800:]}"
        if in_ci():
            pytest.fail(reason)
        pytest.skip(reason)
    return out


@pytest.fixture(scope="session")
def offline_context(browser):
    """A context where only file:// (and data:/blob:) URLs load; the rest is recorded."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    context.set_default_timeout(30_000)
    context.blocked = []

    def only_files(route):
        url = route.request.url
        if url.startswith(("file://", "data:", "blob:")):
            route.continue_()
        else:
            context.blocked.append(url)
            route.abort()

    context.route("**/*", only_files)
    yield context
    context.close()


def _equation_visible(page, timeout: float) -> bool:
    """Wait for a typeset equation on the present slide (MathJax re-renders on slide change)."""
    shown = page.locator(f".reveal .slides section.present:not(.stack) :is({EQUATION})")
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        if any(shown.nth(i).is_visible() for i in range(min(shown.count(), 20))):
            return True
        time.sleep(0.25)
    return False


def _words(text: str) -> str:
    return " ".join(re.sub(r"[^0-9a-z]+", " ", text.lower()).split())


def notebook_title(path: Path) -> str:
    nb = json.loads(path.read_text(encoding="utf-8"))
    for cell in nb["cells"]:
        if cell["cell_type"] == "markdown":
            for line in "".join(cell["source"]).splitlines():
                if line.startswith("# "):
                    return line[2:].strip()
    return ""


def has_math(path: Path) -> bool:
    nb = json.loads(path.read_text(encoding="utf-8"))
    return any(MATH.search("".join(cell["source"]))
               for cell in nb["cells"] if cell["cell_type"] == "markdown")


@pytest.mark.parametrize("notebook", PARAMS)
def test_deck_offline(decks, offline_context, notebook: Path):
    deck = decks / f"{notebook.stem}.slides.html"
    assert deck.exists(), f"no deck {deck.name} in {decks}"
    page = offline_context.new_page()
    blocked_before = len(offline_context.blocked)
    missing: list[str] = []
    page.on("requestfailed", lambda r: missing.append(r.url)
            if r.url.startswith("file://") else None)
    problems: list[str] = []
    try:
        page.goto(deck.as_uri(), wait_until="load")
        page.wait_for_selector(".reveal.ready", timeout=30_000)

        title = notebook_title(notebook)
        heading = page.locator(".reveal .slides section.present:not(.stack) :is(h1, h2)").first
        if not heading.count() or not heading.is_visible():
            problems.append("the first slide shows no title (h1/h2)")
        elif title and _words(title) not in _words(heading.inner_text()):
            problems.append(f"the first slide's title is {heading.inner_text()!r}, "
                            f"not the notebook's {title!r}")

        if has_math(notebook):
            try:
                page.wait_for_function("() => window.MathJax && (MathJax.Hub || MathJax.startup)",
                                       timeout=30_000)
                page.evaluate(_MATHJAX_DONE_JS)
                page.wait_for_selector(EQUATION, state="attached", timeout=5_000)
            except Exception:  # noqa: BLE001 -- reported below
                problems.append("the notebook has math but no equation was typeset (MathJax)")
            else:
                reveal = page.evaluate(_REVEAL_JS)
                if reveal is None:
                    problems.append("reveal.js is not loaded")
                else:
                    page.evaluate(_GOTO_JS, [EQUATION, reveal])
                    page.evaluate(_MATHJAX_DONE_JS)  # the deck re-renders math on slide change
                    if not _equation_visible(page, timeout=10):
                        problems.append("no typeset equation is visible on its slide")
        blocked = offline_context.blocked[blocked_before:]
        if blocked:
            problems.append("the deck tried to load from the network (blocked):\n    "
                            + "\n    ".join(sorted(set(blocked))))
        if missing:
            problems.append("local files the deck needs are missing:\n    "
                            + "\n    ".join(sorted({u.replace(decks.as_uri(), "<decks>")
                                                    for u in missing})))
    finally:
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SCREENSHOTS / f"deck_{notebook.stem}.png"))
        page.close()
    if problems:
        pytest.fail(f"{deck.name}:\n  " + "\n  ".join(problems), pytrace=False)


_SLIDES_JS = """(name) => {
  const R = name === 'global' ? window.Reveal : require.s.contexts._.defined[name];
  R.configure({transition: 'none', backgroundTransition: 'none'});
  return R.getSlides().map(s => { const i = R.getIndices(s); return [i.h, i.v || 0]; });
}"""

_SHOW_JS = """([name, h, v]) => {
  const R = name === 'global' ? window.Reveal : require.s.contexts._.defined[name];
  R.slide(h, v);
  for (let i = 0; i < 100 && R.nextFragment(); i++) {}
}"""

#: What of the present slide is drawn outside the window (it would be cut off on a
#: projector), and what scrolls sideways inside its box; in CSS pixels of the window.
_OVERFLOW_JS = """() => {
  const slide = document.querySelector('.reveal .slides section.present:not(.stack)');
  const W = window.innerWidth, H = window.innerHeight, out = {below: 0, right: 0, clipped: []};
  for (const el of slide.querySelectorAll('*')) {
    const r = el.getBoundingClientRect();
    if (!r.width || !r.height || getComputedStyle(el).visibility === 'hidden') continue;
    // text meant for screen readers only (MathJax's MathML copy, the player's announcer)
    if (el.closest('.skp-live, .MJX_Assistive_MathML') || el.clientWidth <= 1) continue;
    out.below = Math.max(out.below, Math.round(r.bottom - H));
    out.right = Math.max(out.right, Math.round(r.right - W));
    const style = getComputedStyle(el);
    if (el.scrollWidth > el.clientWidth + 2 && ['auto', 'scroll', 'hidden'].includes(style.overflowX))
      out.clipped.push(el.tagName.toLowerCase() + '.' + String(el.className).split(' ')[0]
                       + ' scrolls sideways ' + el.scrollWidth + '>' + el.clientWidth);
  }
  out.top = Math.round(slide.getBoundingClientRect().top);
  out.text = slide.innerText.trim().split('\\n')[0].slice(0, 60);
  return out;
}"""


def test_deck_folder_is_small(decks):
    size = sum(p.stat().st_size for p in decks.rglob("*") if p.is_file())
    assert size < MAX_FOLDER_BYTES, f"{decks} holds {size / 1e6:.1f} MB"
    assert not (decks / "_assets" / "node_modules").exists()


@pytest.mark.parametrize("notebook", PARAMS)
def test_deck_slides_fit_link_and_pass_axe(decks, browser, axe_source, notebook: Path):
    """Every slide at 1280x720, all fragments shown: nothing past its edges, axe-core clean."""
    deck = decks / f"{notebook.stem}.slides.html"
    html = deck.read_text(encoding="utf-8")
    assert not re.search(r'href="[^"#]*\\.ipynb', html), "a link still points at a notebook"
    context = browser.new_context(viewport=SLIDE)
    context.route("**/*", lambda route: route.continue_() if route.request.url.startswith(
        ("file://", "data:", "blob:")) else route.abort())
    page = context.new_page()
    problems: list[str] = []
    try:
        page.goto(deck.as_uri(), wait_until="load")
        page.wait_for_selector(".reveal.ready", timeout=30_000)
        if has_math(notebook):
            page.wait_for_function("() => window.MathJax && MathJax.Hub", timeout=30_000)
            page.evaluate(_MATHJAX_DONE_JS)
        reveal = page.evaluate(_REVEAL_JS)
        for number, (h, v) in enumerate(page.evaluate(_SLIDES_JS, reveal), start=1):
            page.evaluate(_SHOW_JS, [reveal, h, v])
            page.wait_for_timeout(400)  # the fragments' fade-in
            if has_math(notebook):
                page.evaluate(_MATHJAX_DONE_JS)
            found = page.evaluate(_OVERFLOW_JS)
            where = f"slide {number} ({found['text']!r})"
            if found["below"] > 1 or found["top"] < -1:
                problems.append(f"{where}: cut off, {max(found['below'], 0)} px below the "
                                f"window, {max(-found['top'], 0)} px above")
            if found["right"] > 1:
                problems.append(f"{where}: cut off, {found['right']} px past the right edge")
            problems += [f"{where}: {c}" for c in found["clipped"]]
            severe = axe_violations(page, axe_source,
                                    [".reveal .slides section.present:not(.stack)"])
            if severe:
                problems.append(f"{where}: axe-core\n" + describe_violations(severe))
            if number == 1 or found["below"] > 1 or found["right"] > 1 or found["clipped"]:
                SCREENSHOTS.mkdir(parents=True, exist_ok=True)
                page.screenshot(path=str(SCREENSHOTS / f"deck_{notebook.stem}_{number:02d}.png"))
    finally:
        context.close()
    overflow = [p for p in problems if "axe-core" not in p]  # cut off, or clipped
    others = [p for p in problems if p not in overflow]
    if others:
        pytest.fail(f"{deck.name}:\n  " + "\n  ".join(others), pytrace=False)
    if overflow:  # known: long slides still need splitting (issue 19); links and axe hold
        pytest.xfail(f"{deck.name}: {len(overflow)} slide(s) do not fit 1280x720 yet:\n  "
                     + "\n  ".join(overflow))
