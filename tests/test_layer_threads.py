"""The fast layer's own threads (helpers/_layer.py): same numbers, BLAS left as found."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor

import numpy as np
import pytest
from threadpoolctl import ThreadpoolController

from helpers import _layer
from helpers.conv import conv2d_backward, conv2d_forward


def blas_threads() -> list[int]:
    return [lib.num_threads for lib in ThreadpoolController().select(user_api="blas").lib_controllers]


@pytest.fixture
def layer():
    rng = np.random.default_rng(11)
    x, w, b = rng.standard_normal((9, 3, 7, 6)), rng.standard_normal((4, 3, 3, 3)), rng.random(4)
    return x, w, b, rng.standard_normal((9, 4, 7, 6))


@pytest.fixture
def small_blocks(monkeypatch):
    monkeypatch.setattr(_layer, "BLOCK_ENTRIES", 3 * 3 * 3 * 7 * 6)  # one image per block


def run(x, w, b, dout):
    out, cache = conv2d_forward(x, w, b, stride=1, padding=1)
    return (out, *conv2d_backward(dout, cache))


def test_threads_give_the_same_numbers_as_one(layer, small_blocks, monkeypatch):
    monkeypatch.setattr(_layer, "worker_count", lambda: 1)
    serial = run(*layer)
    monkeypatch.setattr(_layer, "worker_count", lambda: 3)
    threaded = run(*layer)
    for got, want in zip(threaded, serial, strict=True):
        np.testing.assert_array_equal(got, want)  # dW summed block by block, in order


def test_blas_setting_is_restored(layer, small_blocks, monkeypatch):
    monkeypatch.setattr(_layer, "worker_count", lambda: 2)
    before = blas_threads()
    run(*layer)
    assert blas_threads() == before
    assert _layer.BLAS_THREADS._holders == 0


def test_layers_on_several_user_threads(layer, small_blocks, monkeypatch):
    monkeypatch.setattr(_layer, "worker_count", lambda: 2)
    want = run(*layer)
    before = blas_threads()
    start = threading.Barrier(4)

    def one(_):
        start.wait()
        return run(*layer)

    with ThreadPoolExecutor(4) as pool:
        for got in pool.map(one, range(4)):
            for a, b in zip(got, want, strict=True):
                np.testing.assert_array_equal(a, b)
    assert blas_threads() == before and _layer.BLAS_THREADS._holders == 0


def test_a_failing_block_raises_and_releases_blas(monkeypatch):
    monkeypatch.setattr(_layer, "worker_count", lambda: 2)
    before = blas_threads()

    def job(part):
        if part.start == 3:
            raise ValueError("block 3 failed")
        return part.start

    with pytest.raises(ValueError, match="block 3"):
        _layer.in_parallel(_layer.split(6, 6), job)
    assert blas_threads() == before and _layer.BLAS_THREADS._holders == 0
    assert _layer.in_parallel(_layer.split(6, 3), lambda part: part.start) == [0, 2, 4]


def test_results_do_not_share_scratch_memory(layer):
    x, w, b, _ = layer
    first, _ = conv2d_forward(x, w, b, padding=1)
    kept = first.copy()
    conv2d_forward(-x, w, b, padding=1)
    np.testing.assert_array_equal(first, kept)


@pytest.mark.parametrize("n, parts", [(1, 1), (7, 3), (9, 9), (5, 2)])
def test_split_covers_every_image_once(n, parts):
    runs = _layer.split(n, parts)
    assert [i for r in runs for i in range(r.start, r.stop)] == list(range(n))
    assert max(r.stop - r.start for r in runs) - min(r.stop - r.start for r in runs) <= 1


def _forward_in_child(queue, x, w, b):
    out, _ = conv2d_forward(x, w, b, padding=1)
    queue.put(out)


@pytest.mark.skipif(not hasattr(__import__("os"), "fork"), reason="needs fork")
def test_a_forked_child_gets_threads_of_its_own(layer, small_blocks, monkeypatch):
    # A pool made before fork() has no threads in the child; work given to it would
    # wait forever. After fork the layer starts afresh.
    import multiprocessing

    monkeypatch.setattr(_layer, "worker_count", lambda: 2)
    x, w, b, _ = layer
    want, _ = conv2d_forward(x, w, b, padding=1)  # the parent's pool now exists
    ctx = multiprocessing.get_context("fork")
    queue = ctx.Queue()
    child = ctx.Process(target=_forward_in_child, args=(queue, x, w, b))
    child.start()
    try:
        got = queue.get(timeout=60)
    finally:
        child.join(timeout=60)
        if child.is_alive():
            child.kill()
    np.testing.assert_array_equal(got, want)
