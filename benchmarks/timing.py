"""Interleaved timing: medians over rounds, and ratios taken within the same round.

On a shared machine the speed of every call drifts with the load. So we never time
method A for a while and then method B: each *round* calls every method once (in a
fresh random order, so that no method always follows the same neighbour, whose
leftovers in the caches or the allocator could help or hurt it), and a comparison is
the median over rounds of the per-round ratio. A fast call is repeated inside one sample until the sample
takes at least :data:`MIN_SAMPLE_SECONDS`, so the clock's resolution does not matter.
"""

from __future__ import annotations

import gc
import math
import random
import statistics
import time
from collections.abc import Callable, Mapping

MIN_SAMPLE_SECONDS = 5e-4  # short samples are cut less often by a busy scheduler


def _run(fn: Callable[[], object], number: int) -> float:
    """Seconds per call of ``number`` calls, with the garbage collector off (as timeit)."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        start = time.perf_counter()
        for _ in range(number):
            fn()
        return (time.perf_counter() - start) / number
    finally:
        if enabled:
            gc.enable()


def calibrate(fn: Callable[[], object],
              min_sample: float = MIN_SAMPLE_SECONDS) -> tuple[int, float]:
    """Warm ``fn`` up and return (calls per sample, estimated seconds per call)."""
    first = _run(fn, 1)  # the warm-up: caches, FFT plans, lazy imports
    if first >= min_sample:
        return 1, first
    again = _run(fn, 1)
    return max(1, math.ceil(min_sample / max(again, 1e-7))), again


def interleave(fns: Mapping[str, Callable[[], object]], rounds: int = 7,
               budget: float = 15.0, min_rounds: int = 3,
               settle: float = 0.0,
               min_sample: float = MIN_SAMPLE_SECONDS) -> dict[str, list[float]]:
    """Seconds per call of each function, one sample per round, rounds interleaved.

    ``rounds`` is lowered (not below ``min_rounds``) so that the whole comparison
    takes about ``budget`` seconds at most (pauses not counted).

    ``settle`` > 0 measures each method in a steady state of its own: sleep ``settle``
    seconds, so that the previous method's idle threads stop (after every
    multi-threaded call, OpenBLAS's worker threads spin for about 0.1 s waiting for
    more work, and on a 2-core machine that takes a core from whatever runs next);
    then one untimed sample, which wakes this method's own threads (on a virtual
    machine a core left idle can take tens of milliseconds to come back to full
    speed); then the timed sample. Each sample repeats the call for at least
    ``min_sample`` seconds: a throughput, as in a training loop.
    """
    names = list(fns)
    plan = {name: calibrate(fns[name], min_sample) for name in names}
    per_round = sum(number * seconds for number, seconds in plan.values())
    rounds = max(min_rounds, min(rounds, int(budget / max(per_round, 1e-9))))
    samples: dict[str, list[float]] = {name: [] for name in names}
    order = random.Random(len(names) * 1000 + rounds)  # reproducible shuffles
    for _ in range(rounds):
        for name in order.sample(names, len(names)):
            if settle:
                time.sleep(settle)
                _run(fns[name], plan[name][0])  # untimed: wakes this method's threads
            samples[name].append(_run(fns[name], plan[name][0]))
    return samples


def median(samples: list[float]) -> float:
    """The median of a list of samples."""
    return statistics.median(samples)


def ratio(numerator: list[float], denominator: list[float]) -> float:
    """Median over rounds of numerator/denominator, both measured in the same round."""
    return statistics.median(a / b for a, b in zip(numerator, denominator, strict=True))


def fastest(samples: Mapping[str, list[float]], among: list[str]) -> str | None:
    """Which of ``among`` has the smallest median (None if none was measured)."""
    measured = [name for name in among if name in samples]
    return min(measured, key=lambda name: median(samples[name])) if measured else None


def rounded(samples: Mapping[str, list[float]]) -> dict[str, list[float]]:
    """Samples in seconds to 4 significant digits, for results.json."""
    return {name: [float(f"{x:.4g}") for x in xs] for name, xs in samples.items()}
