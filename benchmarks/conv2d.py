"""2D cross-correlation: helpers.conv against SciPy over a grid of image and kernel sizes.

Every cell correlates a float64 n x n image with a float64 k x k kernel, in mode
``'same'`` (output of the image's shape, as a filter is used in practice) and in mode
``'valid'`` (what a CNN layer computes):

- ``fast``: ``helpers.conv.correlate2d(a, k, mode)``, which picks direct or FFT;
- ``direct`` and ``fft``: the same function with the method forced (to show the crossover);
- ``loops``: the nested loops of the course, only where they finish quickly;
- ``correlate2d``: ``scipy.signal.correlate2d`` (direct, in C);
- ``fftconvolve``: ``scipy.signal.fftconvolve(a, k[::-1, ::-1])``; it *convolves*, so the
  kernel is flipped to make it a correlation;
- ``correlate``: ``scipy.signal.correlate(a, k)`` with ``method='auto'``, which asks
  ``scipy.signal.choose_conv_method`` for direct or FFT.

The course's loops and SciPy's direct ``correlate2d`` cost a multiply-add per kernel
entry per output (MAC), so they run only below a MAC count; a cell left out shows "—"
(there, ``correlate2d`` would take seconds, far slower than ``fftconvolve``). The headline is ``fast`` divided by the
fastest SciPy routine of the same round.
"""

from __future__ import annotations

import numpy as np
import scipy.signal

from benchmarks import timing
from helpers import conv

IMAGES = (64, 128, 256, 512, 1024, 2048)
KERNELS = (3, 5, 7, 11, 15, 21, 31)
QUICK_IMAGES, QUICK_KERNELS = (16, 32), (3, 7)
MODES = ("same", "valid")
PLOT_IMAGES = (512, 2048)
LOOPS_MAX_MACS = 2e5  # Python loops: about a microsecond per multiply-add
DIRECT_MAX_MACS = 3e8  # scipy's correlate2d: about a second per 3e8 MACs, on this machine
SCIPY = ("correlate2d", "fftconvolve", "correlate")
OURS = ("fast", "direct", "fft", "loops")
LABELS = {
    "fast": "helpers fast", "direct": "helpers direct", "fft": "helpers fft",
    "loops": "helpers loops", "correlate2d": "scipy correlate2d",
    "fftconvolve": "scipy fftconvolve", "correlate": "scipy correlate (auto)",
}


def chosen(a: np.ndarray, k: np.ndarray, mode: str) -> str:
    """What ``method='fast'`` picks for this cell."""
    return conv.choose_method(a.shape, k.shape, mode, a.dtype)


def methods(a: np.ndarray, k: np.ndarray, mode: str) -> dict:
    """The callables timed for one cell (capped methods left out)."""
    macs = a.size * k.size
    flipped = np.ascontiguousarray(k[::-1, ::-1])
    fns = {
        "fast": lambda: conv.correlate2d(a, k, mode),
        "direct": lambda: conv.correlate2d(a, k, mode, "direct"),
        "fft": lambda: conv.correlate2d(a, k, mode, "fft"),
        "loops": lambda: conv.correlate2d(a, k, mode, "loops"),
        "correlate2d": lambda: scipy.signal.correlate2d(a, k, mode),
        "fftconvolve": lambda: scipy.signal.fftconvolve(a, flipped, mode),
        "correlate": lambda: scipy.signal.correlate(a, k, mode),
    }
    if macs > LOOPS_MAX_MACS:
        del fns["loops"]
    if macs > DIRECT_MAX_MACS:
        del fns["correlate2d"]
    return fns


def cell(n: int, ksize: int, mode: str, rounds: int, budget: float) -> dict:
    """Time every method on one n x n image and ksize x ksize kernel."""
    rng = np.random.default_rng(n * 100 + ksize)
    a, k = rng.standard_normal((n, n)), rng.standard_normal((ksize, ksize))
    fns = methods(a, k, mode)
    got, want = fns["fast"](), fns["fftconvolve"]()
    error = float(np.max(np.abs(got - want)) / np.max(np.abs(want)))
    samples = timing.interleave(fns, rounds, budget)
    best = timing.fastest(samples, list(SCIPY))
    return {
        "n": n, "k": ksize, "mode": mode, "macs": a.size * k.size, "chosen": chosen(a, k, mode),
        "scipy_auto_picks": scipy.signal.choose_conv_method(a, k, mode),
        "seconds": {name: timing.median(s) for name, s in samples.items()},
        "rounds": len(samples["fast"]), "samples": timing.rounded(samples),
        "best_scipy": best,
        "ratio_fast_to_best_scipy": timing.ratio(samples["fast"], samples[best]),
        "ratio_of_fastest_rounds": min(samples["fast"]) / min(min(samples[n]) for n in SCIPY
                                                               if n in samples),
        "ratios_fast_to": {name: timing.ratio(samples["fast"], samples[name])
                           for name in SCIPY if name in samples},
        "max_relative_difference": error,
    }


def run(quick: bool = False, log=print) -> dict:
    """The whole grid; returns the cells and a per-kernel-size summary."""
    images, kernels = (QUICK_IMAGES, QUICK_KERNELS) if quick else (IMAGES, KERNELS)
    rounds, budget = (3, 0.5) if quick else (25, 15.0)
    cells = []
    for mode, n, ksize in ((m, n, k) for m in MODES for n in images for k in kernels):
        c = cell(n, ksize, mode, rounds, budget)
        cells.append(c)
        log(f"conv2d {mode:5s} {n:5d}² k={ksize:2d}: fast={c['seconds']['fast'] * 1e3:9.3f} ms "
            f"({c['chosen']}), best SciPy {c['best_scipy']} "
            f"{c['seconds'][c['best_scipy']] * 1e3:9.3f} ms, "
            f"ratio {c['ratio_fast_to_best_scipy']:.2f}")
    return {"mode": " and ".join(MODES), "dtype": "float64", "images": list(images),
            "kernels": list(kernels),
            "plot_images": [n for n in PLOT_IMAGES if n in images] or [images[-1]],
            "cells": cells, "summary": summarize(cells)}


def summarize(cells: list[dict]) -> dict:
    """Worst (largest) ratio fast/best-SciPy overall, per kernel size and per image size."""
    worst = max(cells, key=lambda c: c["ratio_fast_to_best_scipy"])

    def by(key: str) -> dict[str, dict]:
        groups: dict[str, dict] = {}
        for c in cells:
            g = groups.setdefault(str(c[key]), c)
            if c["ratio_fast_to_best_scipy"] > g["ratio_fast_to_best_scipy"]:
                groups[str(c[key])] = c
        return {size: {"worst_ratio": c["ratio_fast_to_best_scipy"], "n": c["n"], "k": c["k"],
                       "best_scipy": c["best_scipy"]} for size, c in groups.items()}

    by_fastest = max(cells, key=lambda c: c["ratio_of_fastest_rounds"])
    return {
        "worst_ratio": worst["ratio_fast_to_best_scipy"], "worst_cell": [worst["n"], worst["k"]],
        "worst_ratio_of_fastest_rounds": by_fastest["ratio_of_fastest_rounds"],
        "worst_cell_of_fastest_rounds": [by_fastest["n"], by_fastest["k"]],
        "worst_best_scipy": worst["best_scipy"],
        "median_ratio": float(np.median([c["ratio_fast_to_best_scipy"] for c in cells])),
        "cells_slower_than_best_scipy": sum(c["ratio_fast_to_best_scipy"] > 1 for c in cells),
        "cells": len(cells),
        "worst_by_kernel": by("k"), "worst_by_image": by("n"),
    }
