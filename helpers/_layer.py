"""Private: the fast convolutional layer behind :func:`helpers.conv.conv2d_forward`.

The layer is im2col and one matrix product (GEMM), as notebook 04 teaches. Three
things make it fast, each found by measuring (``make bench``, benchmarks/layer.py):

1. **Blocks.** A few images at a time (about ``BLOCK_ENTRIES`` im2col entries), so
   the columns are still in the CPU cache when the GEMM reads them.
2. **Scratch memory.** The padded input, the im2col block and the product are kept
   per thread from call to call. Fresh megabyte arrays cost one page fault per 4 KiB
   on every call, which took longer than the GEMM.
3. **Its own threads.** A multi-threaded BLAS parallelises only the GEMM; the copies
   around it ran on one core, and ran several times slower while BLAS's idle threads
   spun. So, when BLAS may use T > 1 threads, T threads take blocks from a shared
   list and do each block whole (copies and GEMM), with BLAS held at one thread
   meanwhile (threadpoolctl). Under ``threadpool_limits(1)`` the layer runs on one
   thread too. A layer of one block (every example in the notebooks) never starts a
   thread.

Every function assumes checked input (:func:`helpers.conv._check_layer`).
"""

from __future__ import annotations

import os
import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor, wait

import numpy as np
from numpy.lib.stride_tricks import sliding_window_view

BLOCK_ENTRIES = 2**18  # im2col entries per block: 2 MiB of float64, in cache for the GEMM
SCRATCH_KEEP = 64 * 2**20  # bytes a thread keeps, per scratch array, between calls

_local = threading.local()


def scratch(name: str, shape: tuple[int, ...], dtype: np.dtype) -> np.ndarray:
    """A work array this thread reuses from call to call; its contents are undefined.

    Never hand one to the caller: the next call overwrites it.
    """
    dtype = np.dtype(dtype)
    nbytes = int(np.prod(shape, dtype=np.int64)) * dtype.itemsize
    buf = getattr(_local, name, None)
    if buf is None or buf.nbytes < nbytes:
        buf = np.empty(max(nbytes, 1), dtype=np.uint8)
        if nbytes <= SCRATCH_KEEP:
            setattr(_local, name, buf)
    return buf[:nbytes].view(dtype).reshape(shape)


def padded(x: np.ndarray, padding: int) -> np.ndarray:
    """x with ``padding`` zeros around H and W, in scratch memory (x itself if 0)."""
    if not padding:
        return x
    n, c, h, w = x.shape
    xp = scratch("padded", (n, c, h + 2 * padding, w + 2 * padding), x.dtype)
    xp[:, :, :padding] = 0
    xp[:, :, -padding:] = 0
    xp[:, :, padding:-padding, :padding] = 0
    xp[:, :, padding:-padding, -padding:] = 0
    xp[:, :, padding:-padding, padding:-padding] = x
    return xp


def windows(xp: np.ndarray, kh: int, kw: int, stride: int) -> np.ndarray:
    """Every window of the padded xp as a view: shape (N, C, kh, kw, out_h, out_w)."""
    view = sliding_window_view(xp, (kh, kw), axis=(2, 3))[:, :, ::stride, ::stride]
    return view.transpose(0, 1, 4, 5, 2, 3)


def add_columns(cols6: np.ndarray, xp: np.ndarray, stride: int) -> None:
    """col2im: add each column of cols6 (N, C, kh, kw, oh, ow) onto its window of xp."""
    *_, kh, kw, oh, ow = cols6.shape
    for u in range(kh):  # one strided add per kernel offset
        for v in range(kw):
            xp[:, :, u:u + stride * oh:stride, v:v + stride * ow:stride] += cols6[:, :, u, v]


def blocks(n: int, per_image: int) -> list[slice]:
    """n images in runs of nearly equal length, each with about ``BLOCK_ENTRIES``
    im2col entries (at least one image)."""
    return split(n, max(1, round(n * per_image / BLOCK_ENTRIES)))


def forward(x: np.ndarray, w: np.ndarray, b: np.ndarray, stride: int, padding: int,
            out: np.ndarray) -> np.ndarray:
    """out = W @ im2col(x) + b, image by image, into ``out`` of shape (N, F, out_h, out_w)."""
    f, c, kh, kw = w.shape
    oh, ow = out.shape[2:]
    wmat = w.reshape(f, -1)

    def run(block: slice) -> None:
        m = block.stop - block.start
        cols = scratch("cols", (m, c, kh, kw, oh, ow), x.dtype)
        cols[...] = windows(padded(x[block], padding), kh, kw, stride)  # im2col of the block
        product = out[block]  # each image's product goes straight to its place in out
        np.matmul(wmat, cols.reshape(m, c * kh * kw, oh * ow), out=product.reshape(m, f, oh * ow))
        product += b.reshape(-1, 1, 1)

    in_parallel(blocks(x.shape[0], c * kh * kw * oh * ow), run)
    return out


def backward(dout: np.ndarray, x: np.ndarray, w: np.ndarray, stride: int,
             padding: int) -> tuple[np.ndarray, np.ndarray]:
    """dx and dw, image by image: dW = sum of D_n @ cols_n.T and dcols_n = W.T @ D_n,
    which goes back onto the windows (col2im)."""
    f, c, kh, kw = w.shape
    n, _, oh, ow = dout.shape
    rows, positions = c * kh * kw, oh * ow
    wmat_t = w.reshape(f, -1).T
    dx = np.empty(x.shape, dtype=np.result_type(x, dout))

    def run(block: slice) -> np.ndarray:
        m = block.stop - block.start
        cols = scratch("cols", (m, rows, positions), x.dtype)
        cols.reshape(m, c, kh, kw, oh, ow)[...] = windows(padded(x[block], padding), kh, kw,
                                                          stride)
        d = dout[block].reshape(m, f, positions)
        dw = np.matmul(cols, d.transpose(0, 2, 1), out=scratch("dw", (m, rows, f), dx.dtype))
        dcols = np.matmul(wmat_t, d, out=scratch("dcols", (m, rows, positions), dx.dtype))
        grad = scratch("grad", (m, c, x.shape[2] + 2 * padding, x.shape[3] + 2 * padding),
                       dx.dtype)
        grad[...] = 0
        add_columns(dcols.reshape(m, c, kh, kw, oh, ow), grad, stride)
        dx[block] = grad[:, :, padding:padding + x.shape[2], padding:padding + x.shape[3]]
        return dw.sum(axis=0, dtype=dx.dtype)  # int8 stays int8, wrapping like forward

    parts = in_parallel(blocks(n, rows * positions), run)
    dw = parts[0]
    for part in parts[1:]:  # block by block, in order: the same sums however threads ran
        dw += part
    return dx, dw.T.reshape(w.shape)


class _BlasThreads:
    """How many threads BLAS may use, and a way to hold it at one for a while.

    The hold is counted, so layers running at the same time on several user threads
    restore BLAS's setting only when the last one finishes.
    """

    def __init__(self) -> None:
        self._controller = None
        self._reset()
        if hasattr(os, "register_at_fork"):  # a forked child has none of our threads
            os.register_at_fork(after_in_child=self._reset)

    def _reset(self) -> None:
        self._lock = threading.Lock()
        self._holders = 0
        self._limit = None
        self._pool: ThreadPoolExecutor | None = None

    def _blas(self):
        if self._controller is None:
            try:
                from threadpoolctl import ThreadpoolController
            except ImportError:  # pragma: no cover - threadpoolctl is a dependency
                self._controller = False
            else:
                self._controller = ThreadpoolController().select(user_api="blas")
        return self._controller

    def count(self) -> int:
        """Threads BLAS would use now (1 while held, or where it cannot be told)."""
        with self._lock:
            if self._holders:
                return 1
        blas = self._blas()
        if not blas or not blas.lib_controllers:
            return 1
        return max(1, min(lib.num_threads for lib in blas.lib_controllers))

    def pool(self, workers: int) -> ThreadPoolExecutor:
        """Worker threads, kept for later calls (their scratch memory with them)."""
        with self._lock:
            if self._pool is None or self._pool._max_workers < workers:
                self._pool = ThreadPoolExecutor(workers, thread_name_prefix="helpers-layer")
            return self._pool

    def __enter__(self) -> None:
        with self._lock:
            if not self._holders:
                self._limit = self._blas().limit(limits=1)
            self._holders += 1

    def __exit__(self, *exc) -> None:
        with self._lock:
            self._holders -= 1
            if not self._holders:
                self._limit.restore_original_limits()
                self._limit = None


BLAS_THREADS = _BlasThreads()


def split(n: int, parts: int) -> list[slice]:
    """n images in ``parts`` contiguous runs of nearly equal length."""
    edges = [round(i * n / parts) for i in range(parts + 1)]
    return [slice(a, b) for a, b in zip(edges, edges[1:], strict=False) if b > a]


def worker_count() -> int:
    """Threads a layer may use: as many as BLAS would, at most one per core."""
    return min(BLAS_THREADS.count(), os.cpu_count() or 1)


def in_parallel(parts: list[slice], job: Callable[[slice], object]) -> list:
    """``job(part)`` for every part, on as many threads as BLAS would use; results in order.

    The threads take the next part as they come free, so a thread that the operating
    system runs late (on a virtual machine an idle core can take milliseconds to come
    back) does less of the work instead of holding everyone up.
    """
    workers = min(len(parts), worker_count())
    if workers <= 1:  # one block (a small layer) or one thread: no hand-over costs
        return [job(part) for part in parts]
    results: list = [None] * len(parts)
    todo, lock = iter(range(len(parts))), threading.Lock()

    def worker() -> None:
        while True:
            with lock:
                i = next(todo, None)
            if i is None:
                return
            results[i] = job(parts[i])

    pool = BLAS_THREADS.pool(workers - 1)
    with BLAS_THREADS:
        futures = [pool.submit(worker) for _ in range(workers - 1)]
        try:
            worker()  # this thread works too
        finally:
            wait(futures)
    for future in futures:
        future.result()  # a worker's exception, if any
    return results
