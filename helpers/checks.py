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
