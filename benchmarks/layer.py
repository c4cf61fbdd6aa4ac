"""The convolutional layer: forward and backward throughput as a fraction of GEMM.

A 3x3 layer with stride 1 and padding 1 (output as large as the input) does
``2 * F * C*k*k * N*oh*ow`` floating-point operations forward: the one matrix product
(GEMM) of im2col. The backward pass does two such products (dW and dcols). So

- GEMM GFLOP/s = that count / the time of ``np.matmul`` of (F, C*k*k) @ (C*k*k, N*oh*ow),
  measured in the same rounds on the same shapes (what this machine's BLAS can do);
- forward GFLOP/s = the count / the time of ``conv2d_forward``;
- backward GFLOP/s = twice the count / the time of ``conv2d_backward``;

and the headline is each pass's GFLOP/s divided by GEMM's. Where PyTorch imports, its
``conv2d`` (and its two gradient functions) get a column too; it is not a dependency.

The layer is im2col plus one GEMM per block of images (helpers/conv/fast.py), so only
the GEMM uses BLAS's threads. Each sample is taken after ``SETTLE`` seconds of quiet, because after every
multi-threaded call OpenBLAS's idle worker threads spin for about 0.1 s (its
THREAD_TIMEOUT), and on a 2-core machine they would take a core from whatever is timed
next; the *back to back* fractions are the same measurement without the pause. Where
threadpoolctl is installed (it comes with scikit-learn), the fractions are measured
again with BLAS, and so the layer, on one thread: the algorithm's share, free of any
threading effect.
"""

from __future__ import annotations

import numpy as np

from benchmarks import timing
from helpers import conv

SETTLE = 0.2  # seconds of quiet before each sample (see timing.interleave)
SAMPLE = 0.05  # seconds of repeated calls in one sample: a throughput
# (N, C, H=W, F, k): batch, input channels, image side, filters, kernel side
SHAPES = ((16, 16, 32, 16, 3), (32, 32, 32, 32, 3), (16, 64, 16, 64, 3))
QUICK_SHAPES = ((2, 3, 8, 4, 3),)


def torch_fns(x: np.ndarray, w: np.ndarray, b: np.ndarray, dout: np.ndarray) -> dict:
    """PyTorch forward and backward for the same layer, or {} without PyTorch."""
    try:
        import torch
        import torch.nn.functional as F  # noqa: N812 - PyTorch's own convention
    except ImportError:
        return {}
    xt, wt, bt, dt = (torch.from_numpy(np.ascontiguousarray(v)) for v in (x, w, b, dout))

    def backward():
        dx = torch.nn.grad.conv2d_input(xt.shape, wt, dt, padding=1)
        dw = torch.nn.grad.conv2d_weight(xt, wt.shape, dt, padding=1)
        return dx, dw, dt.sum(dim=(0, 2, 3))

    with torch.no_grad():
        return {"torch forward": lambda: F.conv2d(xt, wt, bt, padding=1),
                "torch backward": backward}


def one_thread():
    """A context limiting BLAS to one thread, or None without threadpoolctl."""
    try:
        from threadpoolctl import threadpool_limits
    except ImportError:
        return None
    return threadpool_limits(limits=1, user_api="blas")


def fractions(samples: dict, work: dict, flops: float) -> dict:
    """Each pass's GFLOP/s over GEMM's, as a same-round ratio of times."""
    return {name: (work[name] / flops) / timing.ratio(samples[name], samples["gemm"])
            for name in samples if name not in ("gemm", "im2col")}


def shape_row(shape: tuple[int, ...], rounds: int, budget: float) -> dict:
    """Time GEMM, forward, backward (and PyTorch) on one layer shape."""
    n, c, side, f, k = shape
    rng = np.random.default_rng(0)
    x, w = rng.standard_normal((n, c, side, side)), rng.standard_normal((f, c, k, k))
    b = rng.standard_normal(f)
    out, cache = conv.conv2d_forward(x, w, b, 1, 1)
    dout = rng.standard_normal(out.shape)
    cols = conv.im2col(x, k, k, 1, 1)
    wmat = np.ascontiguousarray(w.reshape(f, -1))
    fns = {
        "gemm": lambda: wmat @ cols,
        "forward": lambda: conv.conv2d_forward(x, w, b, 1, 1),
        "backward": lambda: conv.conv2d_backward(dout, cache),
        "im2col": lambda: conv.im2col(x, k, k, 1, 1),
    } | torch_fns(x, w, b, dout)
    samples = timing.interleave(fns, rounds, budget, settle=SETTLE, min_sample=SAMPLE)
    flops = 2.0 * f * cols.shape[0] * cols.shape[1]
    work = {"gemm": flops, "forward": flops, "backward": 2 * flops,
            "torch forward": flops, "torch backward": 2 * flops}
    gflops = {name: work[name] / timing.median(s) / 1e9 for name, s in samples.items()
              if name != "im2col"}
    ours = {name: fns[name] for name in ("gemm", "forward", "backward")}
    back_to_back = fractions(timing.interleave(ours, rounds, budget), work, flops)
    single = None
    limit = one_thread()
    if limit is not None:
        with limit:
            single = fractions(timing.interleave(ours, rounds, budget), work, flops)
    return {
        "N": n, "C": c, "H": side, "W": side, "F": f, "k": k, "stride": 1, "padding": 1,
        "gemm_shape": [[f, cols.shape[0]], list(cols.shape)], "gflop_forward": flops / 1e9,
        "seconds": {name: timing.median(s) for name, s in samples.items()},
        "gflops": gflops, "fraction_of_gemm": fractions(samples, work, flops),
        "fraction_of_gemm_back_to_back": back_to_back,
        "fraction_of_gemm_one_blas_thread": single,
        "im2col_share_of_forward": timing.ratio(samples["im2col"], samples["forward"]),
        "rounds": len(samples["gemm"]), "samples": timing.rounded(samples),
    }


def run(quick: bool = False, log=print) -> dict:
    """Every layer shape."""
    rows = []
    for shape in QUICK_SHAPES if quick else SHAPES:
        row = shape_row(shape, *((3, 0.5) if quick else (15, 10.0)))
        rows.append(row)
        fr = row["fraction_of_gemm"]
        one = row["fraction_of_gemm_one_blas_thread"]
        log(f"layer N,C,H,F,k={shape}: GEMM {row['gflops']['gemm']:.1f} GFLOP/s; forward "
            f"{fr['forward']:.2f} of GEMM, backward {fr['backward']:.2f}"
            + (f", torch forward {fr['torch forward']:.2f}" if "torch forward" in fr else "")
            + (f"; one BLAS thread: forward {one['forward']:.2f}, backward "
               f"{one['backward']:.2f}" if one else ""))
    return {"dtype": "float64", "rows": rows,
            "summary": {"min_forward_fraction": min(r["fraction_of_gemm"]["forward"] for r in rows),
                        "min_backward_fraction": min(r["fraction_of_gemm"]["backward"]
                                                     for r in rows),
                        "torch": any("torch forward" in r["seconds"] for r in rows)}}
