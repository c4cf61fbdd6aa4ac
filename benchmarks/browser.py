"""What a student waits for in the browser: ``python -m benchmarks.browser [--out FILE]``.

Measured in headless Chromium (Debian's ``/usr/bin/chromium``) on JupyterLab, over a
temporary copy of ``notebooks/``, with a fresh kernel per notebook:

- **Run All**: seconds from JupyterLab's "run all cells" to an idle kernel, per notebook;
- **click to painted frame**: on notebook 03's first player, 50 clicks on "Next" (and
  back); each is timed from the click event's timestamp to the end of the first
  animation frame after the update (``requestAnimationFrame``, then a macrotask: the
  frame has been painted), median and p95; ``handler_median`` is the time the player's
  input and update take (click timestamp to the end of its handler), the rest is the browser's
  frame; the clicks are real mouse clicks, 20 to 60 ms apart;
- **Play at 30 frames/s**: the same player in 'full' mode (49 steps) at 30 frames/s; every
  animation frame records the step on screen and whether the window, the output cell and
  the formula agree. Frames per second are the distinct steps painted per second, and a
  half-painted frame is one where they do not agree.

The results are printed and written as JSON (default ``build/bench-browser.json``).
"""

from __future__ import annotations

import argparse
import json
import random
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PLAYER_NOTEBOOK = "03_slide-a-kernel-over-an-image.ipynb"

#: Listens on Next and Previous: from each click's timestamp to the end of the first
#: animation frame after it (requestAnimationFrame, then a macrotask: that frame is painted).
_LISTEN_JS = """() => {
  const root = document.querySelector('.skp[data-ready]');
  window.__clicks = {painted: [], script: []};
  // capture on the way down, before the player's handler; bubble on the way up, after it
  root.addEventListener('click', (e) => {
    const t0 = e.timeStamp;
    requestAnimationFrame(() => setTimeout(
        () => window.__clicks.painted.push(performance.now() - t0), 0));
  }, {capture: true});
  root.addEventListener('click', (e) => window.__clicks.script.push(performance.now() - e.timeStamp));
}"""

_PLAY_JS = """async ([fps]) => {
  const root = document.querySelector('.skp[data-ready]');
  const $ = (c) => root.querySelector(c);
  $('.skp-mode').value = 'full'; $('.skp-mode').dispatchEvent(new Event('change'));
  $('.skp-flip').value = '0'; $('.skp-flip').dispatchEvent(new Event('change'));
  $('.skp-stride').value = '1'; $('.skp-stride').dispatchEvent(new Event('change'));
  $('.skp-fps').value = String(fps); $('.skp-fps').dispatchEvent(new Event('change'));
  root.skPlayer.show(0);
  const cols = root.querySelectorAll('.skp-grids table')[2].rows[0].cells.length;
  const frames = [];
  const look = () => {
    const done = root.querySelectorAll('td.sk-done').length;
    const now = root.querySelectorAll('td.sk-now').length;
    const formula = $('.skp-formula').textContent;
    const want = 'C[' + Math.floor(done / cols) + ',' + (done % cols) + ']';
    return {t: performance.now(), step: done, whole: now === 1 && formula.startsWith(want)};
  };
  return await new Promise(resolve => {
    const tick = () => {
      frames.push(look());
      if ($('.skp-play').textContent === 'Play' && frames.length > 5) resolve(frames);
      else requestAnimationFrame(tick);
    };
    $('.skp-play').click();
    requestAnimationFrame(tick);
  });
}"""


def _percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def measure_player(nb, clicks: int = 50, fps: int = 30) -> dict:
    """Click latency and Play rate on the first player of an opened, run notebook.

    The clicks are real mouse clicks from Playwright, 20 to 60 ms apart (seeded), four
    forward then four back, so that they fall anywhere in the browser's frame.
    """
    player = nb.page.locator(".skp[data-ready]").first
    player.scroll_into_view_if_needed()
    nb.page.evaluate(_LISTEN_JS)
    gaps = random.Random(0)
    for i in range(clicks):
        player.locator(".skp-next" if (i // 4) % 2 == 0 else ".skp-prev").click()
        nb.page.wait_for_timeout(gaps.randint(20, 60))
    nb.page.wait_for_timeout(100)
    measured = nb.page.evaluate("() => window.__clicks")
    times, scripts = measured["painted"], measured["script"]
    frames = nb.page.evaluate(_PLAY_JS, [fps])
    steps = [f["step"] for f in frames]
    first = next(i for i, s in enumerate(steps) if s > 0)
    last = steps.index(max(steps))
    painted = len(set(steps[first:last + 1]))
    seconds = (frames[last]["t"] - frames[first]["t"]) / 1000
    return {
        "click_to_paint_ms": {"median": round(statistics.median(times), 1),
                              "p95": round(_percentile(times, 0.95), 1),
                              "max": round(max(times), 1), "clicks": len(times),
                              "handler_median": round(statistics.median(scripts), 2)},
        "play": {"requested_fps": fps,
                 "painted_fps": round((painted - 1) / seconds, 1) if seconds > 0 else None,
                 "steps_painted": painted, "steps": max(steps) + 1,
                 "half_painted_frames": sum(not f["whole"] for f in frames),
                 "animation_frames": len(frames)},
    }


def run(out: Path) -> dict:
    from playwright.sync_api import sync_playwright

    from tests.browser.conftest import CHROMIUM_ARGS, LabNotebook, find_chromium
    from tests.browser.labserver import LabServer

    chromium = find_chromium()
    if chromium is None:
        raise SystemExit("no Chromium: apt-get install chromium")
    root = Path(tempfile.mkdtemp(prefix="bench-browser-"))
    shutil.copytree(ROOT / "notebooks", root / "notebooks",
                    ignore=shutil.ignore_patterns(".ipynb_checkpoints"))
    results: dict = {"run_all_s": {}}
    server = LabServer(root).start()
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=chromium, args=CHROMIUM_ARGS)
            context = browser.new_context(viewport={"width": 1280, "height": 720})
            for path in sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb")):
                nb = LabNotebook(server, context, f"notebooks/{path.name}").open()
                try:
                    start = time.monotonic()
                    nb.run_all()
                    results["run_all_s"][path.stem] = round(time.monotonic() - start, 1)
                    if path.name == PLAYER_NOTEBOOK:
                        results.update(measure_player(nb))
                finally:
                    nb.close()
            browser.close()
    finally:
        server.stop()
        shutil.rmtree(root, ignore_errors=True)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    return results


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.browser", description=__doc__)
    parser.add_argument("--out", type=Path, default=ROOT / "build" / "bench-browser.json")
    args = parser.parse_args(argv)
    print(json.dumps(run(args.out), indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
