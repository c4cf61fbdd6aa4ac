"""What people wait for: a widget step, a notebook run, ``import helpers``, ``make test``.

Goals: a widget step (setting ``.step``, which is what Play does ten times a second)
at most 5 ms; each notebook at most 10 s from a fresh kernel. The notebooks run with
nbclient on copies in a temporary folder, so the committed files are never touched.
``make test`` is not run from here: its wall time is read from
``build/make-test-seconds.txt`` if ``make test`` wrote it.
"""

from __future__ import annotations

import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from benchmarks import timing

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = ROOT / "notebooks"
MAKE_TEST_FILE = ROOT / "build" / "make-test-seconds.txt"
STEP_GOAL_MS, NOTEBOOK_GOAL_S = 5.0, 10.0
NOTEBOOK_RUNS = 3


def widget_steps(passes: int = 5) -> dict:
    """Median (and max) milliseconds to set ``.step`` on each widget, over all steps."""
    import numpy as np

    from helpers.widgets import SlidingKernel1D, SlidingKernel2D

    widgets = {
        "SlidingKernel1D (x = range(7), 3 taps)": SlidingKernel1D(list(range(7)), [1, 2, 3]),
        "SlidingKernel2D (7x7 input, 3x3 kernel)": SlidingKernel2D(
            np.arange(49).reshape(7, 7) % 5, [[1, 0, 1], [0, 1, 0], [1, 0, 1]]),
    }
    result = {}
    for name, sk in widgets.items():
        order = list(range(1, sk.n_steps)) + [0]  # every set changes the step, so it redraws
        times = []
        for p in range(passes + 1):  # pass 0 is the warm-up
            for step in order:
                start = time.perf_counter()
                sk.step = step
                if p:
                    times.append(time.perf_counter() - start)
        result[name] = {"steps": sk.n_steps, "median_ms": statistics.median(times) * 1e3,
                        "max_ms": max(times) * 1e3, "samples": len(times)}
    return result


def _python_seconds(code: str) -> float:
    start = time.perf_counter()
    subprocess.run([sys.executable, "-c", code], check=True, cwd=ROOT,
                   env={**os.environ, "PYTHONDONTWRITEBYTECODE": "1"})
    return time.perf_counter() - start


def import_times(runs: int = 5, modules: tuple[str, ...] = ("helpers", "helpers.conv")) -> dict:
    """Median milliseconds of ``python -c "import X"`` minus ``python -c pass``, interleaved."""
    codes = {"pass": "pass"} | {name: f"import {name}" for name in modules}
    for code in codes.values():  # warm-up: the OS file cache
        _python_seconds(code)
    samples: dict[str, list[float]] = {name: [] for name in codes}
    for _ in range(runs):
        for name, code in codes.items():
            samples[name].append(_python_seconds(code))
    return {name: {"ms": timing.median([a - b for a, b in zip(s, samples["pass"],
                                                               strict=True)]) * 1e3}
            for name, s in samples.items() if name != "pass"} | {
        "python -c pass": {"ms": timing.median(samples["pass"]) * 1e3}}


def notebook_times(runs: int = 1, names: list[str] | None = None) -> dict:
    """Seconds to execute each notebook in a fresh kernel, kernel start included (median
    of ``runs``; an empty notebook measures the kernel start alone)."""
    import nbformat
    from nbclient import NotebookClient

    paths = sorted(NOTEBOOKS.glob("[0-9][0-9]_*.ipynb"))
    if names is not None:
        paths = [p for p in paths if p.name in names]
    result = {}
    with tempfile.TemporaryDirectory(prefix="bench-notebooks-") as tmp:
        work = Path(tmp) / "notebooks"
        work.mkdir()
        if (ROOT / "data").exists():
            (Path(tmp) / "data").symlink_to(ROOT / "data")

        def execute(nb) -> float:
            client = NotebookClient(nb, timeout=600, kernel_name="python3",
                                    resources={"metadata": {"path": str(work)}})
            start = time.perf_counter()
            client.execute()
            return time.perf_counter() - start

        result["(empty notebook: kernel start)"] = {
            "seconds": statistics.median(execute(nbformat.v4.new_notebook()) for _ in range(runs)),
            "ok": True}
        for path in paths:
            copy = work / path.name
            shutil.copy(path, copy)
            seconds, error = [], None
            for _ in range(runs):
                try:
                    seconds.append(execute(nbformat.read(copy, as_version=4)))
                except Exception as exc:  # noqa: BLE001 - report it, keep benchmarking
                    error = f"{type(exc).__name__}: {str(exc).splitlines()[0][:200]}"
                    break
            result[path.name] = {"seconds": statistics.median(seconds) if seconds else None,
                                 "ok": error is None, "error": error}
    return result


def make_test_seconds() -> float | None:
    """Wall time of the last ``make test``, if it wrote build/make-test-seconds.txt."""
    try:
        return float(MAKE_TEST_FILE.read_text(encoding="utf-8").split()[0])
    except (OSError, ValueError, IndexError):
        return None


def run(quick: bool = False, log=print) -> dict:
    """All the waits; in quick mode the notebooks are skipped and fewer runs are made."""
    steps = widget_steps(2 if quick else 5)
    for name, r in steps.items():
        log(f"waits {name}: step median {r['median_ms']:.2f} ms (max {r['max_ms']:.2f})")
    imports = import_times(1, ("helpers",)) if quick else import_times(5)
    log("waits " + ", ".join(f"import {name}: {r['ms']:.0f} ms" for name, r in imports.items()
                             if name != "python -c pass"))
    notebooks = {} if quick else notebook_times(NOTEBOOK_RUNS)
    for name, r in notebooks.items():
        shown = f"{r['seconds']:.1f} s" if r["seconds"] is not None else r["error"]
        log(f"waits notebook {name}: {shown}")
    make_test = make_test_seconds()
    log("waits make test: " + (f"{make_test:.0f} s" if make_test else "not measured yet"))
    return {"widget_steps": steps, "imports": imports, "notebooks": notebooks,
            "notebooks_skipped": quick, "make_test_seconds": make_test,
            "goals": {"widget_step_ms": STEP_GOAL_MS, "notebook_s": NOTEBOOK_GOAL_S}}
