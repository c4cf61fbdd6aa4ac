"""The reference (``method="loops"``): every convolution as loops that read like its formula;
the tests hold :mod:`~helpers.conv.fast` to them. ``left``/``right``/``pads`` come from
:mod:`~helpers.conv.geometry`: output index ``i`` starts ``left`` entries before x."""

from __future__ import annotations

import numpy as np

from helpers.geometry import output_size, transposed_size


def correlate1d(x: np.ndarray, w: np.ndarray, left: int, right: int) -> np.ndarray:
    """y[i] = sum_j x[i + j - left] * w[j], with x zero outside its range (notebook 05)."""
    n, k = len(x), len(w)
    y = np.zeros(n + left + right - k + 1, dtype=x.dtype)
    for i in range(len(y)):
        for j in range(k):
            if 0 <= i + j - left < n:
                y[i] += x[i + j - left] * w[j]
    return y


def convolve1d(x: np.ndarray, w: np.ndarray, left: int, right: int) -> np.ndarray:
    """y[i] = sum_j x[t - j] * w[j], t = i + k - 1 - left: correlation with w reversed (05)."""
    return correlate1d(x, w[::-1], left, right)


def correlate2d(a: np.ndarray, k: np.ndarray, pads: tuple) -> np.ndarray:
    """out[i, j] = sum_{u,v} a[i + u - top, j + v - left] * k[u, v] (notebook 03)."""
    (top, bottom), (left, right) = pads
    kh, kw = k.shape
    out = np.zeros((a.shape[0] + top + bottom - kh + 1, a.shape[1] + left + right - kw + 1),
                   dtype=a.dtype)
    for i in range(out.shape[0]):
        for j in range(out.shape[1]):
            for u in range(kh):
                for v in range(kw):
                    r, c = i + u - top, j + v - left
                    if 0 <= r < a.shape[0] and 0 <= c < a.shape[1]:
                        out[i, j] += a[r, c] * k[u, v]
    return out


def convolve2d(a: np.ndarray, k: np.ndarray, pads: tuple) -> np.ndarray:
    """Convolution is correlation with the kernel turned by 180 degrees (notebook 04)."""
    return correlate2d(a, k[::-1, ::-1], pads)


def layer_forward(x: np.ndarray, w: np.ndarray, b: np.ndarray, stride: int, padding: int,
                  dilation: int) -> np.ndarray:
    """out[n, f, i, j] = b[f] + sum_{c,u,v} xp[n, c, i*s + u*d, j*s + v*d] * w[f, c, u, v]."""
    f, _, kh, kw = w.shape
    oh = output_size(x.shape[2], kh, padding, stride, dilation)
    ow = output_size(x.shape[3], kw, padding, stride, dilation)
    xp = np.pad(x, ((0, 0), (0, 0), (padding, padding), (padding, padding)))
    span_h, span_w = dilation * (kh - 1) + 1, dilation * (kw - 1) + 1
    out = np.zeros((x.shape[0], f, oh, ow), dtype=x.dtype)
    for n in range(x.shape[0]):
        for g in range(f):
            for i in range(oh):
                for j in range(ow):
                    r, c = i * stride, j * stride
                    window = xp[n, :, r:r + span_h:dilation, c:c + span_w:dilation]
                    out[n, g, i, j] = np.sum(window * w[g]) + b[g]
    return out


def layer_backward(dout: np.ndarray, x: np.ndarray, w: np.ndarray, stride: int, padding: int,
                   dilation: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Each output entry sends dout back to the window and the filter that made it."""
    f, _, kh, kw = w.shape
    xp = np.pad(x, ((0, 0), (0, 0), (padding, padding), (padding, padding)))
    dxp, dw = np.zeros_like(xp, dtype=dout.dtype), np.zeros_like(w, dtype=dout.dtype)
    span_h, span_w = dilation * (kh - 1) + 1, dilation * (kw - 1) + 1
    for n in range(x.shape[0]):
        for g in range(f):
            for i in range(dout.shape[2]):
                for j in range(dout.shape[3]):
                    rows = slice(i * stride, i * stride + span_h, dilation)
                    cols = slice(j * stride, j * stride + span_w, dilation)
                    dw[g] += xp[n, :, rows, cols] * dout[n, g, i, j]
                    dxp[n, :, rows, cols] += w[g] * dout[n, g, i, j]
    dx = dxp[:, :, padding:padding + x.shape[2], padding:padding + x.shape[3]]
    return dx, dw, dout.sum(axis=(0, 2, 3), dtype=dout.dtype)


def conv_transpose1d(y: np.ndarray, w: np.ndarray, stride: int, padding: int) -> np.ndarray:
    """Each y[i] stamps y[i] * w onto x, starting at i * stride; overlapping stamps add."""
    k = len(w)
    full = np.zeros(transposed_size(len(y), k, stride), dtype=y.dtype)
    for i in range(len(y)):
        full[i * stride:i * stride + k] += y[i] * w
    return full[padding:len(full) - padding]


def conv_transpose2d(x: np.ndarray, w: np.ndarray, stride: int, padding: int,
                     output_padding: int, dilation: int) -> np.ndarray:
    """Each input pixel stamps its value times the kernel onto the output (notebook 07)."""
    n, _, h, wd = x.shape
    _, c_out, kh, kw = w.shape
    oh, ow = (transposed_size(s, k, stride, 0, output_padding, dilation)
              for s, k in ((h, kh), (wd, kw)))
    full = np.zeros((n, c_out, oh, ow), dtype=x.dtype)
    span_h, span_w = dilation * (kh - 1) + 1, dilation * (kw - 1) + 1
    for i in range(h):
        for j in range(wd):
            stamp = np.einsum("nc,cfuv->nfuv", x[:, :, i, j], w)
            rows = slice(i * stride, i * stride + span_h, dilation)
            cols = slice(j * stride, j * stride + span_w, dilation)
            full[:, :, rows, cols] += stamp
    return full[:, :, padding:oh - padding, padding:ow - padding]
