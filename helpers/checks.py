"""The input checks of every public function in :mod:`helpers`, written once.

A public function checks each argument here, at its entry, and everything behind the
entry trusts what it was given. Every check raises an error whose message names the
argument and says what was expected, so a student who passes the wrong thing learns
what to pass instead:

- ``TypeError`` for the wrong kind of thing (a string, complex numbers, a float where a
  count is meant, a masked array);
- ``ValueError`` for the right kind with the wrong value (a shape, an empty array, a
  negative count, an unknown mode, an array too large to allocate).
"""

from __future__ import annotations

import numbers
from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np

from helpers.geometry import output_size, transposed_size

PARAM_KEYS = ("W", "b1", "V", "b2")
CACHE_KEYS = ("X", "Z_h", "H", "Z_y", "Y_hat")
MAX_ELEMENTS = 2**28  # 2 GiB of float64: a larger result is a typo, not an exercise


class MissingKeyError(KeyError, ValueError):
    """A required key is missing: both a ``KeyError`` and a ``ValueError``."""

    def __str__(self) -> str:  # KeyError would wrap the message in quotes
        return str(self.args[0])


# --- arrays -------------------------------------------------------------------------


def as_array(x: Any, name: str, ndim: int | tuple[int, ...] | None = None,
             at_least: bool = False, empty_ok: bool = False) -> np.ndarray:
    """Return ``x`` as an array of real numbers (bool, int or float), dtype kept.

    ``ndim`` is the number of dimensions required (one of several if a tuple; with
    ``at_least``, that many or more). Empty arrays are refused unless ``empty_ok`` (an
    element-wise function has an answer for them). NaN and inf propagate as in NumPy.
    """
    if isinstance(x, np.ma.MaskedArray):
        raise TypeError(f"{name} is a masked array, which helpers would silently unmask; "
                        f"pass {name}.filled(0) (or the value the mask stands for)")
    try:
        arr = np.asarray(x)
    except (TypeError, ValueError) as exc:  # e.g. ragged nested lists
        raise TypeError(f"{name} must be a numeric array; got {type(x).__name__}") from exc
    if arr.dtype.kind == "c":
        raise TypeError(f"{name} must hold real numbers; complex input (dtype {arr.dtype}) "
                        "is not supported: the course is real-valued")
    if arr.dtype.kind not in "biuf":
        raise TypeError(f"{name} must hold real numbers (bool, int or float); "
                        f"got an array of dtype {arr.dtype}")
    allowed = (ndim,) if isinstance(ndim, int) else ndim
    if allowed is not None and arr.ndim not in allowed and not (at_least and arr.ndim > ndim):
        want = " or ".join(f"{d}D" for d in allowed) + (" (or more)" if at_least else "")
        raise ValueError(f"{name} must be a {want} array; got {arr.ndim}D with shape {arr.shape}")
    if arr.size == 0 and not empty_ok:
        raise ValueError(f"{name} must not be empty; got shape {arr.shape}")
    return arr


def as_float_array(x: Any, name: str, ndim: tuple[int, ...] | None = None) -> np.ndarray:
    """Return ``x`` as a finite, non-empty float64 array (the network's numbers)."""
    arr = as_array(x, name, ndim)
    if arr.dtype.kind == "b":
        raise TypeError(f"{name} must hold real numbers; got an array of dtype bool")
    arr = arr.astype(np.float64, copy=False)
    if not np.all(np.isfinite(arr)):
        raise ValueError(f"{name} must contain only finite numbers (no NaN or inf)")
    return arr


def result_dtype(*arrays: np.ndarray) -> np.dtype:
    """``np.result_type`` of the inputs, except that bool-only input computes in int64."""
    dtype = np.result_type(*arrays)
    return np.dtype(np.int64) if dtype == np.bool_ else dtype


def check_size(shape: Sequence[int], name: str) -> tuple[int, ...]:
    """Refuse, before allocating, a result of more than ``MAX_ELEMENTS`` entries."""
    count = 1
    for d in shape:
        count *= int(d)
    if count > MAX_ELEMENTS:
        raise ValueError(f"{name}: the result would have shape {tuple(shape)}, {count:,} "
                         f"entries (over {MAX_ELEMENTS:,}); is {name} what you meant?")
    return tuple(shape)


def check_same_shape(a: np.ndarray, b: Any, name_a: str, name_b: str) -> np.ndarray:
    """Return ``b`` as float64 with exactly the shape of ``a`` (no broadcasting)."""
    b = as_float_array(b, name_b)
    if b.shape != a.shape:
        raise ValueError(f"{name_b} must have the same shape as {name_a}, {a.shape}; "
                         f"got {name_b} with shape {b.shape}")
    return b


def check_shape(b: Any, shape: tuple[int, ...], name: str, why: str) -> np.ndarray:
    """Return ``b`` as float64 with exactly ``shape`` (no broadcasting); ``why`` explains it."""
    b = as_float_array(b, name)
    if b.shape != shape:
        raise ValueError(f"{name} must have shape {shape} {why}; got {name} with shape {b.shape}")
    return b


# --- numbers and choices -------------------------------------------------------------


def check_int(value: Any, name: str, minimum: int = 0, maximum: int | None = None) -> int:
    """Return ``value`` as an int in [minimum, maximum], or raise naming ``name``."""
    if isinstance(value, bool | np.bool_) or not isinstance(value, numbers.Integral):
        raise TypeError(f"{name} must be an integer >= {minimum}; got {value!r} "
                        f"of type {type(value).__name__}")
    if value < minimum or (maximum is not None and value > maximum):
        upper = f" and <= {maximum}" if maximum is not None else ""
        raise ValueError(f"{name} must be an integer >= {minimum}{upper}; got {value}")
    return int(value)


def check_positive(x: Any, name: str) -> float:
    """Return ``x`` as a positive finite float, or raise naming ``name``."""
    if isinstance(x, bool | np.bool_) or not isinstance(x, numbers.Real):
        raise TypeError(f"{name} must be a positive number; got {type(x).__name__}")
    if not (np.isfinite(x) and x > 0):
        raise ValueError(f"{name} must be a positive finite number; got {x}")
    return float(x)


def check_choice(value: Any, name: str, choices: Sequence[str]) -> str:
    """Return ``value`` if it is one of ``choices``; else raise naming ``name``."""
    if not isinstance(value, str) or value not in choices:
        listed = ", ".join(repr(c) for c in choices)
        raise ValueError(f"{name} must be one of {listed}; got {value!r}")
    return value

# --- convolutions (helpers.conv) ---------------------------------------------------------


def check_pair(x: Any, w: Any, names: tuple[str, str], ndim: int) -> tuple[np.ndarray, np.ndarray]:
    """Check both inputs; cast to their result dtype (bool only if both are bool)."""
    x, w = as_array(x, names[0], ndim), as_array(w, names[1], ndim)
    dtype = np.result_type(x, w)
    return x.astype(dtype, copy=False), w.astype(dtype, copy=False)


def check_ints(*triples: tuple[Any, str, int]) -> list[int]:
    """Check (value, name, minimum) integers."""
    return [check_int(value, name, minimum) for value, name, minimum in triples]


def check_images(a: Any, k: Any, valid: bool) -> tuple[np.ndarray, np.ndarray, bool]:
    """Image and kernel of a 2D function, and whether SciPy swaps them (in 'valid' mode)."""
    a, k = as_array(a, "a", 2), as_array(k, "k", 2)
    if a.dtype == np.bool_ and k.dtype == np.bool_:
        raise TypeError("a and k are both bool arrays, which scipy.signal does not support "
                        "either; convert one with .astype(int)")
    if np.result_type(a, k) == np.float16:
        raise TypeError("a and k: float16 is not supported (nor by scipy.signal); "
                        "convert with .astype(np.float32)")
    a, k = check_pair(a, k, ("a", "k"), 2)
    a_ge = all(m >= n for m, n in zip(a.shape, k.shape, strict=True))
    k_ge = all(n >= m for m, n in zip(a.shape, k.shape, strict=True))
    if valid and not (a_ge or k_ge):
        raise ValueError(f"mode 'valid': one of a (shape {a.shape}) and k (shape {k.shape}) "
                         "must be at least as large as the other in every dimension")
    return a, k, valid and not a_ge


def check_window(x_shape: Any, kh: Any, kw: Any, stride: Any, padding: Any, dilation: Any,
                  names: tuple[str, str] = ("kh", "kw")) -> tuple:
    """Check an (N, C, H, W) shape and a window; return them with the output size."""
    if not isinstance(x_shape, tuple | list) or len(x_shape) != 4:
        raise TypeError(f"x_shape must be a tuple (N, C, H, W); got {x_shape!r}")
    shape = tuple(check_int(d, "x_shape", 1) for d in x_shape)
    kh, kw, stride, padding, dilation = check_ints((kh, "kh", 1), (kw, "kw", 1), (stride, "stride", 1),
                                               (padding, "padding", 0), (dilation, "dilation", 1))
    out = []
    for n, k, name, axis in ((shape[2], kh, names[0], "H"), (shape[3], kw, names[1], "W")):
        out.append(output_size(n, k, padding, stride, dilation, (name, axis)))
    check_size((shape[1] * kh * kw, shape[0] * out[0] * out[1]), "x")
    return shape, kh, kw, stride, padding, dilation, tuple(out)


def check_layer(x: Any, w: Any, b: Any, stride: Any, padding: Any, dilation: Any) -> tuple:
    """The layer's inputs as arrays of one dtype, with the output size."""
    x, w, b = as_array(x, "x", 4), as_array(w, "w", 4), as_array(b, "b", 1)
    if w.shape[1] != x.shape[1]:
        raise ValueError(f"channel mismatch: x has C={x.shape[1]} channels (shape {x.shape}, "
                         f"N, C, H, W) but w expects C={w.shape[1]} (shape {w.shape}, F, C, kh, kw)")
    if b.shape != (w.shape[0],):
        raise ValueError(f"b must have shape (F,) = ({w.shape[0]},) to match w of shape "
                         f"{w.shape}; got {b.shape}")
    *_, stride, padding, dilation, out = check_window(x.shape, w.shape[2], w.shape[3], stride,
                                                       padding, dilation, ("w", "w"))
    dtype = result_dtype(x, w, b)
    x, w, b = (v.astype(dtype, copy=False) for v in (x, w, b))
    return x, w, b, stride, padding, dilation, out


def check_shapes(a_shape: Any, k_shape: Any) -> tuple[list[int], list[int], bool]:
    """Two lengths (1D) or two pairs of positive ints (2D), and whether they are 1D."""
    one_d = all(isinstance(s, numbers.Integral) for s in (a_shape, k_shape))
    shapes = []
    for shape, name in ((a_shape, "a_shape"), (k_shape, "k_shape")):
        if not one_d and (not isinstance(shape, tuple | list) or len(shape) != 2):
            raise ValueError(f"{name}: a_shape and k_shape must be pairs of ints (or two "
                             f"ints, in 1D); got {shape!r}")
        shapes.append([check_int(d, name, 1) for d in ((shape,) if one_d else shape)])
    return shapes[0], shapes[1], one_d


def check_dtype(dtype: Any) -> np.dtype:
    """A real numeric dtype (bool, int or float), named ``dtype`` in the error."""
    dtype = np.dtype(dtype)
    if dtype.kind not in "biuf":
        raise TypeError(f"dtype must be a real numeric dtype (bool, int or float); got {dtype}")
    return dtype


def check_padding(padding: Any) -> tuple[tuple[int, int], tuple[int, int]]:
    """An int, (rows, cols) or ((top, bottom), (left, right)), as ((top, bottom), (left, right))."""
    shape = np.shape(np.asarray(padding, dtype=object))
    pairs = {(): [[padding] * 2] * 2, (2,): [[p, p] for p in np.ravel(padding, "K")[:2]],
             (2, 2): padding}.get(shape)
    if pairs is None:
        raise ValueError("padding must be an int, (rows, cols) or ((top, bottom), "
                         f"(left, right)); got {padding!r}")
    return tuple(tuple(check_int(p, "padding", 0) for p in pair) for pair in pairs)


def check_transposed(x: Any, w: Any, b: Any) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """x (N, C_in, H, W), w (C_in, C_out, kh, kw) and b (C_out,) or None, of one dtype."""
    x, w = as_array(x, "x", 4), as_array(w, "w", 4)
    b = np.zeros(w.shape[1], dtype=result_dtype(x, w)) if b is None else as_array(b, "b", 1)
    if w.shape[0] != x.shape[1]:
        raise ValueError(f"channel mismatch: x has C_in={x.shape[1]} channels but w (shape "
                         f"{w.shape}, C_in, C_out, kh, kw) expects C_in={w.shape[0]}")
    if b.shape != (w.shape[1],):
        raise ValueError(f"b must have shape (C_out,) = ({w.shape[1]},); got {b.shape}")
    dtype = result_dtype(x, w, b)
    return tuple(v.astype(dtype, copy=False) for v in (x, w, b))


def check_gradient(dout: Any, cache: Any, is_cache: bool) -> np.ndarray:
    """dL/dout of the layer whose forward pass made ``cache`` (a ConvCache if ``is_cache``)."""
    x, w = cache[:2] if is_cache else (None, None)
    if not (isinstance(x, np.ndarray) and isinstance(w, np.ndarray) and x.ndim == w.ndim == 4
            and x.dtype == w.dtype and x.shape[1] == w.shape[1]):
        raise TypeError(f"cache must be the ConvCache returned by conv2d_forward; got a "
                        f"{type(cache).__name__} that it did not make")
    *_, size = check_window(x.shape, *w.shape[2:], cache.stride, cache.padding, cache.dilation,
                            ("w", "w"))
    dout = as_array(dout, "dout", 4)
    if dout.shape != (len(x), len(w), *size):
        raise ValueError(f"dout must have the shape of out, (N, F, out_h, out_w) = "
                         f"{(len(x), len(w), *size)}; got {dout.shape}")
    return dout


def check_transposed_size(n: Any, k: Any, stride: Any, padding: Any, output_padding: Any,
                          dilation: Any) -> int:
    """A transposed convolution's length, after checking its arguments: output_padding <
    max(stride, dilation) as in PyTorch, and a padding that leaves something."""
    n, k, stride, padding, output_padding, dilation = check_ints(
        (n, "n", 1), (k, "k", 1), (stride, "stride", 1), (padding, "padding", 0),
        (output_padding, "output_padding", 0), (dilation, "dilation", 1))
    if output_padding >= max(stride, dilation):
        raise ValueError(f"output_padding must be smaller than stride or dilation (as in "
                         f"PyTorch); got {output_padding} with stride {stride}, dilation {dilation}")
    size = transposed_size(n, k, stride, padding, output_padding, dilation)
    if size < 1:
        raise ValueError(f"padding: {padding} on each side leaves no output (size {size})")
    return size


# --- the 3-4-2 network's parameters and cache ----------------------------------------


def check_keys(d: Any, keys: tuple[str, ...], name: str) -> None:
    """Raise unless ``d`` is a mapping holding every key in ``keys``."""
    if not isinstance(d, Mapping):
        raise TypeError(f"{name} must be a dict with keys {', '.join(keys)}; "
                        f"got {type(d).__name__}")
    missing = [k for k in keys if k not in d]
    if missing:
        raise MissingKeyError(f"{name} is missing key(s) {', '.join(missing)}; "
                              f"expected keys {', '.join(keys)}")


def check_params(params: Any) -> dict[str, np.ndarray]:
    """Check W (n_in, n_h), b1 (n_h,), V (n_h, n_out), b2 (n_out,); return float64 copies."""
    check_keys(params, PARAM_KEYS, "params")
    W = as_float_array(params["W"], "params['W']", ndim=(2,))
    V = as_float_array(params["V"], "params['V']", ndim=(2,))
    n_h, n_out = W.shape[1], V.shape[1]
    if V.shape[0] != n_h:
        raise ValueError(f"params['V'] must have {n_h} rows to match W of shape {W.shape}; "
                         f"got V with shape {V.shape}")
    b1, b2 = (as_float_array(params[k], f"params['{k}']", ndim=(1,)) for k in ("b1", "b2"))
    b1 = check_shape(b1, (n_h,), "params['b1']", f"to match W of shape {W.shape}")
    b2 = check_shape(b2, (n_out,), "params['b2']", f"to match V of shape {V.shape}")
    return {"W": W, "b1": b1, "V": V, "b2": b2}


def check_X(X: Any, W: np.ndarray) -> np.ndarray:
    """Return X as (m, n_in) float64; a 1D single sample of shape (n_in,) becomes (1, n_in)."""
    X = as_float_array(X, "X", ndim=(1, 2))
    X2 = X.reshape(1, -1) if X.ndim == 1 else X
    if X2.shape[1] != W.shape[0]:
        raise ValueError(f"X must have {W.shape[0]} features (columns) to match W of shape "
                         f"{W.shape}; got X with shape {X.shape}")
    return X2


def check_cache(cache: Any, params: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
    """Check a cache from ``forward`` against ``params``; return float64 arrays."""
    check_keys(cache, CACHE_KEYS, "cache")
    X = check_X(cache["X"], params["W"])
    m, (n_h, n_out) = X.shape[0], params["V"].shape
    out = {"X": X}
    for key, n in zip(CACHE_KEYS[1:], (n_h, n_h, n_out, n_out), strict=True):
        out[key] = check_shape(cache[key], (m, n), f"cache['{key}']",
                               f"to match {m} samples and params")
    return out
