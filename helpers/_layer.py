"""Private: the fast convolutional layer behind :func:`helpers.conv.conv2d_forward`.

The layer is im2col and one matrix product (GEMM), as notebook 04 teaches. Four
things make it fast, each found by measuring (``make bench``, benchmarks/layer.py):

1. **Blocks.** A few images at a time (about ``BLOCK_ENTRIES`` im2col entries), so
   the columns are still in the CPU cache when the GEMM reads them.
2. **Scratch memory.** The im2col block and the products are kept per thread from
   call to call. Fresh megabyte arrays cost one page fault per 4 KiB on every call,
   which took longer than the GEMM.
3. **Framed columns, no padded copy.** The zeros that padding puts into the columns,
   and a row of ones that carries the bias through the GEMM (the "bias trick"), stay in
   the scratch columns between calls of the same shape (:func:`framed_columns`). Each
   call copies only the entries that come from the input, straight from x, one strided
   copy per kernel offset (:func:`copy_windows`). Copying x into a padded array first, and
   adding the bias in a pass of its own, had cost a fifth as much as the GEMM.
4. **Its own threads.** A multi-threaded BLAS parallelises only the GEMM; the copies
   around it ran on one core, and ran several times slower while BLAS's idle threads
   spun. So, when BLAS may use T > 1 threads, T threads take blocks from a shared
   list and do each block whole (copies and GEMM), with BLAS held at one thread
   meanwhile (threadpoolctl). Under ``threadpool_limits(1)`` the layer runs on one
   thread too. A layer of one block (every example in the notebooks) never starts a
   thread. A block is a handful of NumPy calls and little Python between them: the
   Python runs under the GIL, one thread at a time. (Building the window view with
   sliding_window_view in every block, 10 us of Python, had let two threads' copies
   run only 1.2 times as fast as one thread's; plain slices ran 1.8 times as fast.)

Every function assumes checked input (:func:`helpers.conv._check_layer`).
"""

from __future__ import annotations

import functools
import os
import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor, wait
from typing import NamedTuple

import numpy as np

BLOCK_ENTRIES = 2**18  # im2col entries per block: 2 MiB of float64, in cache for the GEMM
SCRATCH_KEEP = 64 * 2**20  # bytes a thread keeps, per scratch array, between calls

_local = threading.local()
# the cores this process may run on, read once: os.cpu_count() took 10 us a call here
CORES = (len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity")
         else os.cpu_count() or 1)


def _buffer(name: str, nbytes: int) -> tuple[np.ndarray, bool]:
    """This thread's bytes called ``name``, at least ``nbytes`` of them, and whether they
    are kept for the next call (at most ``SCRATCH_KEEP`` are)."""
    buf = getattr(_local, name, None)
    if buf is None or buf.nbytes < nbytes:
        buf = np.empty(max(nbytes, 1), dtype=np.uint8)
        if nbytes <= SCRATCH_KEEP:
            setattr(_local, name, buf)
    return buf, getattr(_local, name, None) is buf


def scratch(name: str, shape: tuple[int, ...], dtype: np.dtype) -> np.ndarray:
    """A work array this thread reuses from call to call; its contents are undefined.

    Never hand one to the caller: the next call overwrites it.
    """
    dtype = np.dtype(dtype)
    nbytes = int(np.prod(shape, dtype=np.int64)) * dtype.itemsize
    return _buffer(name, nbytes)[0][:nbytes].view(dtype).reshape(shape)


def framed_columns(images: int, rows: int, positions: int, dtype: np.dtype,
                   layout: tuple) -> np.ndarray:
    """Scratch columns (images, rows, positions) for the forward pass, framed: zero
    wherever a window overhangs the input, and one in the last row (the bias's).

    The forward pass writes only the entries that come from the input, the same ones
    for every call of the same ``layout``, so the frame is set once per layout and
    thread and then kept. That saves copying the input into a padded array first.
    """
    dtype = np.dtype(dtype)
    nbytes = images * rows * positions * dtype.itemsize
    buf, kept = _buffer("framed", nbytes)
    cols = buf[:nbytes].view(dtype).reshape(images, rows, positions)
    ready = getattr(_local, "framed_ready", None)  # (buffer, layout, images framed)
    if not (kept and ready and ready[0] is buf and ready[1] == (dtype, layout)
            and ready[2] >= images):
        _local.framed_ready = None  # not framed while being framed
        cols[...] = 0
        cols[:, -1] = 1
        if kept:
            _local.framed_ready = (buf, (dtype, layout), images)
    return cols


class Geometry(NamedTuple):
    """Where a layer's windows meet its input: what im2col and col2im need to know."""

    layout: tuple  # (C, H, W), (kh, kw), stride, padding: the key of a framed buffer
    cols6: tuple[int, ...]  # (C, kh, kw, out_h, out_w): one image's columns, unflattened
    copies: tuple[tuple, ...]  # (u, v, out_rows, out_cols, in_rows, in_cols) per offset


@functools.lru_cache(maxsize=256)
def geometry(image: tuple[int, int, int], kernel: tuple[int, int], out: tuple[int, int],
             stride: int, padding: int) -> Geometry:
    """For each kernel offset (u, v): the output positions whose input lies inside the
    (unpadded) image, and that input, as slices. Offsets whose every input is padding
    are left out: their columns stay zero.
    """
    def span(n: int, u: int, n_out: int) -> tuple[slice, slice] | None:
        first = max(0, -(-(padding - u) // stride))  # ceil: first output inside the image
        stop = min(n_out, (n - 1 + padding - u) // stride + 1)
        if stop <= first:
            return None
        start = first * stride + u - padding
        return slice(first, stop), slice(start, start + (stop - first - 1) * stride + 1, stride)

    copies = []
    for u in range(kernel[0]):
        for v in range(kernel[1]):
            rows, cols = span(image[1], u, out[0]), span(image[2], v, out[1])
            if rows and cols:
                copies.append((u, v, rows[0], cols[0], rows[1], cols[1]))
    return Geometry((image, kernel, stride, padding), (image[0], *kernel, *out), tuple(copies))


def copy_windows(cols6: np.ndarray, x: np.ndarray, geo: Geometry) -> None:
    """im2col: every window entry that comes from x into cols6 (N, C, kh, kw, oh, ow),
    one strided copy per kernel offset. Entries over the padding are left as they are
    (zeros, already there)."""
    for u, v, out_rows, out_cols, in_rows, in_cols in geo.copies:
        cols6[:, :, u, v, out_rows, out_cols] = x[:, :, in_rows, in_cols]


def add_windows(grad: np.ndarray, cols6: np.ndarray, geo: Geometry) -> None:
    """col2im: add each column of cols6 (N, C, kh, kw, oh, ow) onto the entries of the
    unpadded grad (N, C, H, W) that its window covers; padding entries are dropped."""
    for u, v, out_rows, out_cols, in_rows, in_cols in geo.copies:
        grad[:, :, in_rows, in_cols] += cols6[:, :, u, v, out_rows, out_cols]


def blocks(n: int, per_image: int) -> list[slice]:
    """n images in runs of nearly equal length, each with about ``BLOCK_ENTRIES``
    im2col entries (at least one image)."""
    return split(n, max(1, round(n * per_image / BLOCK_ENTRIES)))


def forward(x: np.ndarray, w: np.ndarray, b: np.ndarray, stride: int, padding: int,
            out: np.ndarray) -> np.ndarray:
    """out = [W | b] @ [im2col(x); 1], image by image, into ``out`` (N, F, out_h, out_w).

    The bias rides in the product as one more column of W against a row of ones (the
    "bias trick"), so no second pass over ``out`` adds it.
    """
    f, c, kh, kw = w.shape
    n, oh, ow = len(x), *out.shape[2:]
    rows = c * kh * kw
    wb = np.empty((f, rows + 1), dtype=out.dtype)
    wb[:, :rows] = w.reshape(f, rows)
    wb[:, rows] = b
    geo = geometry(x.shape[1:], (kh, kw), (oh, ow), stride, padding)

    def run(block: slice) -> None:
        m = block.stop - block.start
        cols = framed_columns(m, rows + 1, oh * ow, x.dtype, geo.layout)
        copy_windows(cols[:, :rows].reshape(m, *geo.cols6), x[block], geo)
        np.matmul(wb, cols, out=out[block].reshape(m, f, oh * ow))  # straight into out

    in_parallel(blocks(n, (rows + 1) * oh * ow), run)
    return out


def backward(dout: np.ndarray, x: np.ndarray, w: np.ndarray, stride: int,
             padding: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """dx, dw and db, image by image: [dW | db] = sum of D_n @ [cols_n; 1].T, and
    dcols_n = W.T @ D_n, which goes back onto the windows (col2im)."""
    f, c, kh, kw = w.shape
    n, _, oh, ow = dout.shape
    rows, positions = c * kh * kw, oh * ow
    wmat_t = w.reshape(f, rows).T
    dx = np.empty(x.shape, dtype=np.result_type(x, dout))
    geo = geometry(x.shape[1:], (kh, kw), (oh, ow), stride, padding)

    def run(block: slice) -> np.ndarray:
        m = block.stop - block.start
        cols = framed_columns(m, rows + 1, positions, x.dtype, geo.layout)
        copy_windows(cols[:, :rows].reshape(m, *geo.cols6), x[block], geo)
        d = dout[block].reshape(m, f, positions)
        dwb = np.matmul(cols, d.transpose(0, 2, 1), out=scratch("dw", (m, rows + 1, f), dx.dtype))
        dcols = np.matmul(wmat_t, d, out=scratch("dcols", (m, rows, positions), dx.dtype))
        dx[block] = 0
        add_windows(dx[block], dcols.reshape(m, *geo.cols6), geo)
        return dwb.sum(axis=0, dtype=dx.dtype)  # int8 stays int8, wrapping like forward

    parts = in_parallel(blocks(n, (rows + 1) * positions), run)
    dwb = parts[0]
    for part in parts[1:]:  # block by block, in order: the same sums however threads ran
        dwb += part
    return dx, dwb[:rows].T.reshape(w.shape), dwb[rows].copy()


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
    return min(BLAS_THREADS.count(), CORES)


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
