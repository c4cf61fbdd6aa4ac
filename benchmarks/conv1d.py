"""1D convolution of long signals: helpers.conv against NumPy and SciPy.

Each cell convolves a float64 signal of length N with a float64 kernel of length K
in mode ``'full'`` (``np.convolve``'s default):

- ``fast``: ``helpers.conv.convolve1d(x, w)``;
- ``loops``: the course's nested loops, only where they finish quickly;
- ``np.convolve``: NumPy's direct O(N K) loop in C;
- ``oaconvolve``: ``scipy.signal.oaconvolve``, FFT by overlap-add.
"""

from __future__ import annotations

import numpy as np
import scipy.signal

from benchmarks import timing
from helpers import conv

LENGTHS = (10_000, 100_000, 1_000_000)
KERNELS = (3, 31, 301, 3001)
QUICK_LENGTHS, QUICK_KERNELS = (1_000, 10_000), (3, 301)
LOOPS_MAX_MACS = 1e5
OTHERS = ("np.convolve", "oaconvolve")


def chosen(n: int, k: int) -> str:
    """What ``convolve1d(method='fast')`` picks."""
    return conv.choose_method(n, k)


def cell(n: int, k: int, rounds: int, budget: float) -> dict:
    """Time every method on one signal length and kernel length."""
    rng = np.random.default_rng(n + k)
    x, w = rng.standard_normal(n), rng.standard_normal(k)
    fns = {
        "fast": lambda: conv.convolve1d(x, w),
        "loops": lambda: conv.convolve1d(x, w, method="loops"),
        "np.convolve": lambda: np.convolve(x, w),
        "oaconvolve": lambda: scipy.signal.oaconvolve(x, w),
    }
    if n * k > LOOPS_MAX_MACS:
        del fns["loops"]
    want = fns["np.convolve"]()
    error = float(np.max(np.abs(fns["fast"]() - want)) / np.max(np.abs(want)))
    samples = timing.interleave(fns, rounds, budget)
    best = timing.fastest(samples, list(OTHERS))
    return {
        "n": n, "k": k, "chosen": chosen(n, k),
        "seconds": {name: timing.median(s) for name, s in samples.items()},
        "rounds": len(samples["fast"]), "samples": timing.rounded(samples), "best_other": best,
        "ratios_fast_to": {name: timing.ratio(samples["fast"], samples[name]) for name in OTHERS},
        "ratio_fast_to_best": timing.ratio(samples["fast"], samples[best]),
        "max_relative_difference": error,
    }


def run(quick: bool = False, log=print) -> dict:
    """Every (N, K) pair."""
    lengths, kernels = (QUICK_LENGTHS, QUICK_KERNELS) if quick else (LENGTHS, KERNELS)
    rounds, budget = (3, 0.5) if quick else (25, 10.0)
    cells = []
    for n in lengths:
        for k in kernels:
            c = cell(n, k, rounds, budget)
            cells.append(c)
            log(f"conv1d N={n:8d} K={k:5d}: fast={c['seconds']['fast'] * 1e3:9.3f} ms "
                f"({c['chosen']}), np.convolve x{1 / c['ratios_fast_to']['np.convolve']:.2f}, "
                f"oaconvolve x{1 / c['ratios_fast_to']['oaconvolve']:.2f} (speed-up of fast)")
    worst = max(cells, key=lambda c: c["ratio_fast_to_best"])
    return {"mode": "full", "dtype": "float64", "cells": cells,
            "summary": {"worst_ratio": worst["ratio_fast_to_best"],
                        "worst_cell": [worst["n"], worst["k"]],
                        "worst_best_other": worst["best_other"]}}
