"""Smoke test of the benchmark harness (quick mode, tiny sizes) and the cost models' extremes.

No speed is asserted here: the speed targets live in ``benchmarks/`` and its results.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import numpy as np
import pytest

from helpers.conv import choose_method

ROOT = str(Path(__file__).resolve().parents[1])
if ROOT not in sys.path:  # benchmarks/ is not installed; `python -m pytest` finds it anyway
    sys.path.insert(0, ROOT)

from benchmarks import conv2d  # noqa: E402
from benchmarks.__main__ import main  # noqa: E402


@pytest.fixture(scope="module")
def quick_run(tmp_path_factory):
    out = tmp_path_factory.mktemp("bench")
    assert main(["--quick", "--out", str(out)]) == 0
    return out


def test_quick_run_writes_all_files(quick_run):
    names = {p.name for p in quick_run.iterdir()}
    assert {"results.json", "results.md", "conv2d_crossover.png", "README-section.md"} <= names
    assert (quick_run / "conv2d_crossover.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_json_is_complete_and_consistent(quick_run):
    results = json.loads((quick_run / "results.json").read_text(encoding="utf-8"))
    assert set(results) == {"conv2d", "conv1d", "layer", "waits"}
    for part in results.values():
        assert part["quick"] is True
        assert part["machine"]["numpy"] == np.__version__ and part["machine"]["cores"] >= 1
    cells = results["conv2d"]["cells"]
    assert len(cells) == (len(results["conv2d"]["images"]) * len(results["conv2d"]["kernels"])
                          * len(conv2d.MODES))
    for c in cells:
        assert c["chosen"] in ("direct", "fft")
        assert c["best_scipy"] in c["seconds"] and c["ratio_fast_to_best_scipy"] > 0
        assert c["max_relative_difference"] < 1e-10  # fast agrees with fftconvolve
    for c in results["conv1d"]["cells"]:
        assert c["max_relative_difference"] < 1e-10
    for row in results["layer"]["rows"]:
        assert row["fraction_of_gemm"]["forward"] > 0 and row["gflops"]["gemm"] > 0
    waits = results["waits"]
    assert waits["notebooks_skipped"] and "helpers" in waits["imports"]
    assert all(r["steps"] > 0 and r["median_ms"] > 0 for r in waits["widget_steps"].values())


def test_markdown_has_every_table(quick_run):
    md = (quick_run / "results.md").read_text(encoding="utf-8")
    for title in ("## 2D cross-correlation against SciPy", "## 1D convolution",
                  "## The convolutional layer against GEMM", "## What people wait for"):
        assert title in md
    table = [line for line in md.splitlines() if line.startswith("| 16² |")]
    assert len(table) == 2 * 2  # one row per kernel size and mode of the quick grid
    assert all(line.count("|") == table[0].count("|") for line in table)
    section = (quick_run / "README-section.md").read_text(encoding="utf-8")
    assert section.startswith("## Performance") and "quick run" in section


def test_only_updates_its_suite_and_keeps_the_others(quick_run):
    before = json.loads((quick_run / "results.json").read_text(encoding="utf-8"))
    assert main(["--quick", "--only", "layer", "--out", str(quick_run)]) == 0
    after = json.loads((quick_run / "results.json").read_text(encoding="utf-8"))
    assert after["conv2d"] == before["conv2d"]
    assert after["layer"]["machine"]["date"] >= before["layer"]["machine"]["date"]


def test_unknown_suite_is_refused():
    with pytest.raises(SystemExit):
        main(["--only", "conv3d"])


@pytest.mark.parametrize(("a_shape", "k_shape", "mode", "want"), [
    ((2048, 2048), (3, 3), "same", "direct"),   # tiny kernel, huge image: direct
    ((64, 64), (3, 3), "same", "direct"),
    ((2048, 2048), (31, 31), "same", "fft"),    # big kernel: FFT
    ((64, 64), (63, 63), "full", "fft"),
    ((1, 1000), (1, 3), "same", "direct"),
    ((3, 3), (64, 64), "valid", "direct"),      # swapped in 'valid' (as correlate2d): 3x3
])
def test_choose_method_2d_extremes(a_shape, k_shape, mode, want):
    assert choose_method(a_shape, k_shape, mode) == want


def test_choose_method_2d_checks_its_arguments():
    with pytest.raises(ValueError, match="pairs"):
        choose_method((64, 64, 3), (3, 3))
    with pytest.raises(ValueError, match="mode"):
        choose_method((64, 64), (3, 3), "middle")
    with pytest.raises(TypeError, match="dtype must be a real numeric dtype"):
        choose_method((64, 64), (3, 3), dtype="U5")  # a string dtype


def test_choose_method_1d_extremes():
    assert choose_method(10**6, 3) == "direct"
    assert choose_method(10**6, 3001) == "fft"
    assert choose_method(10, 3) == "direct"
    assert choose_method(10**6, 3001, dtype=np.int64) == "direct"  # integers stay exact
