"""Fit the constants of ``helpers._conv2d``'s cost model on this machine.

``python -m benchmarks.calibrate`` times the banded direct method and the FFT method
(single-threaded: CPU time of one thread, minimum over rounds, which is what a busy
shared machine disturbs least) on a grid of shapes, and prints the least-squares
constants (relative error, non-negative) next to the ones in the package, plus the
speed-up of ``workers=-1`` on a large transform (wall time, interleaved rounds). Copy
the constants into ``helpers/_conv2d.py`` by hand if they moved.
"""

from __future__ import annotations

import os

os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")  # before NumPy loads BLAS
os.environ.setdefault("OMP_NUM_THREADS", "1")

import math  # noqa: E402
import time  # noqa: E402

import numpy as np  # noqa: E402
from scipy import fft as sp_fft  # noqa: E402
from scipy.optimize import nnls  # noqa: E402

from benchmarks import timing  # noqa: E402
from helpers import _conv2d as c2  # noqa: E402

IMAGES = (32, 64, 128, 256, 512, 1024, 2048)
KERNELS = (3, 5, 7, 11, 15, 21, 31)


def cpu_seconds(fn, rounds: int = 5) -> float:
    """Minimum over rounds of the calling thread's CPU time per call."""
    fn()
    number = max(1, math.ceil(2e-3 / max(_cpu(fn, 1), 1e-7)))
    return min(_cpu(fn, number) for _ in range(rounds))


def _cpu(fn, number: int) -> float:
    start = time.thread_time()
    for _ in range(number):
        fn()
    return (time.thread_time() - start) / number


def features(n: int, ksize: int, mode: str = "same") -> tuple[list[float], list[float], tuple]:
    """The model's terms for (direct, fft), matching predicted_seconds."""
    pads = c2.pads_for((ksize, ksize), mode, "correlate")
    oh, ow = c2.out_shape((n, n), (ksize, ksize), pads)
    tile = min(c2.TILE, ow)
    width = -(-ow // tile) * tile
    products = math.ceil(oh / c2.block_rows(oh, width)) * ksize
    direct = [oh * width * ksize * (tile + ksize - 1), oh * width * ksize, products]
    points = math.prod(c2.fft_lengths((n, n), (ksize, ksize), pads))
    return direct, [points * math.log2(points), 1.0], pads


def fit(rows: list[list[float]], seconds: list[float]) -> np.ndarray:
    """Non-negative least squares on relative errors."""
    a = np.array(rows) / np.array(seconds)[:, None]
    return nnls(a, np.ones(len(seconds)))[0]


def parallel_speedup(n: int = 2048, rounds: int = 7) -> float:
    """Wall-time speed-up of workers=-1 over one worker on an n x n rfft2 round trip."""
    x = np.random.default_rng(0).standard_normal((n, n))

    def trip(workers):
        return lambda: sp_fft.irfft2(sp_fft.rfft2(x, workers=workers), x.shape, workers=workers)

    samples = timing.interleave({"one": trip(None), "all": trip(-1)}, rounds, budget=30)
    return timing.ratio(samples["one"], samples["all"])


def main() -> None:
    rng = np.random.default_rng(0)
    d_rows, d_secs, f_rows, f_secs = [], [], [], []
    saved = c2.FFT_PARALLEL_POINTS
    c2.FFT_PARALLEL_POINTS = 2**62  # one worker while fitting
    for n in IMAGES:
        a = rng.standard_normal((n, n))
        for ksize in KERNELS:
            k = rng.standard_normal((ksize, ksize))
            d, f, pads = features(n, ksize)
            banded = float("nan")
            if d[0] * 8e-12 + d[1] * 1.6e-9 < 0.5:  # skip what would take over ~0.5 s
                banded = cpu_seconds(lambda a=a, k=k, p=pads: c2.correlate_banded(a, k, p))
                d_rows.append(d)
                d_secs.append(banded)
            f_rows.append(f)
            f_secs.append(cpu_seconds(lambda a=a, k=k, p=pads: c2.correlate_fft(a, k, p)))
            print(f"{n:5d}² k={ksize:2d}: banded {banded * 1e3:9.3f} ms, "
                  f"fft {f_secs[-1] * 1e3:9.3f} ms", flush=True)
    c2.FFT_PARALLEL_POINTS = saved
    mac, row_pass, call = fit(d_rows, d_secs)
    per_point, overhead = fit(f_rows, f_secs)
    print(f"BANDED_SECONDS_PER_MULTIPLY_ADD = {mac:.3g}  (package: "
          f"{c2.BANDED_SECONDS_PER_MULTIPLY_ADD:.3g})")
    print(f"BANDED_SECONDS_PER_ROW_PASS = {row_pass:.3g}  (package: "
          f"{c2.BANDED_SECONDS_PER_ROW_PASS:.3g})")
    print(f"BANDED_SECONDS_PER_CALL = {call:.3g}  (package: {c2.BANDED_SECONDS_PER_CALL:.3g})")
    print(f"FFT_SECONDS_PER_POINT_LOG2 = {per_point:.3g}  (package: "
          f"{c2.FFT_SECONDS_PER_POINT_LOG2:.3g})")
    print(f"FFT_SECONDS_OVERHEAD = {overhead:.3g}  (package: {c2.FFT_SECONDS_OVERHEAD:.3g})")
    print(f"FFT_PARALLEL_SPEEDUP = {parallel_speedup():.2f}  (package: "
          f"{c2.FFT_PARALLEL_SPEEDUP:.2f}; wall time, so it depends on the load)")


if __name__ == "__main__":
    main()
