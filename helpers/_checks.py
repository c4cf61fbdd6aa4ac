"""Private input checks shared by activations, network, gradcheck and data.

Every check raises an error whose message names the argument and says what was
expected, so a student who passes the wrong thing learns what to pass instead.
"""

from __future__ import annotations

import numbers
from collections.abc import Mapping
from typing import Any

import numpy as np

PARAM_KEYS = ("W", "b1", "V", "b2")
CACHE_KEYS = ("X", "Z_h", "H", "Z_y", "Y_hat")


class MissingKeyError(KeyError, ValueError):
    """A required key is missing: both a ``KeyError`` and a ``ValueError``."""

    def __str__(self) -> str:  # KeyError would wrap the message in quotes
        return str(self.args[0])


def as_float_array(x: Any, name: str, ndim: tuple[int, ...] | None = None) -> np.ndarray:
    """Return ``x`` as a finite, non-empty float64 array, or raise naming ``name``."""
    try:
        arr = np.asarray(x)
    except (TypeError, ValueError) as exc:  # e.g. ragged nested lists
        raise TypeError(f"{name} must be a numeric array; got {type(x).__name__}") from exc
    if arr.dtype.kind not in "iuf":
        raise TypeError(f"{name} must hold real numbers; got an array of dtype {arr.dtype}")
    if ndim is not None and arr.ndim not in ndim:
        want = " or ".join(f"{d}D" for d in ndim)
        raise ValueError(f"{name} must be a {want} array; got shape {arr.shape}")
    if arr.size == 0:
        raise ValueError(f"{name} must not be empty; got shape {arr.shape}")
    arr = arr.astype(np.float64, copy=False)
    if not np.all(np.isfinite(arr)):
        raise ValueError(f"{name} must contain only finite numbers (no NaN or inf)")
    return arr


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
    b1 = as_float_array(params["b1"], "params['b1']", ndim=(1,))
    b2 = as_float_array(params["b2"], "params['b2']", ndim=(1,))
    n_h, n_out = W.shape[1], V.shape[1]
    if V.shape[0] != n_h:
        raise ValueError(f"params['V'] must have {n_h} rows to match W of shape {W.shape}; "
                         f"got V with shape {V.shape}")
    if b1.shape != (n_h,):
        raise ValueError(f"params['b1'] must have shape ({n_h},) to match W of shape "
                         f"{W.shape}; got {b1.shape}")
    if b2.shape != (n_out,):
        raise ValueError(f"params['b2'] must have shape ({n_out},) to match V of shape "
                         f"{V.shape}; got {b2.shape}")
    return {"W": W, "b1": b1, "V": V, "b2": b2}


def check_X(X: Any, W: np.ndarray) -> np.ndarray:
    """Return X as (m, n_in) float64; a 1D single sample of shape (n_in,) becomes (1, n_in)."""
    X = as_float_array(X, "X", ndim=(1, 2))
    X2 = X.reshape(1, -1) if X.ndim == 1 else X
    if X2.shape[1] != W.shape[0]:
        raise ValueError(f"X must have {W.shape[0]} features (columns) to match W of shape "
                         f"{W.shape}; got X with shape {X.shape}")
    return X2


def check_same_shape(a: np.ndarray, b: Any, name_a: str, name_b: str) -> np.ndarray:
    """Return ``b`` as float64 with exactly the shape of ``a`` (no broadcasting)."""
    b = as_float_array(b, name_b)
    if b.shape != a.shape:
        raise ValueError(f"{name_b} must have the same shape as {name_a}, {a.shape}; "
                         f"got {name_b} with shape {b.shape}")
    return b


def check_positive(x: Any, name: str) -> float:
    """Return ``x`` as a positive finite float, or raise naming ``name``."""
    if isinstance(x, bool) or not isinstance(x, numbers.Real):
        raise TypeError(f"{name} must be a positive number; got {type(x).__name__}")
    if not (np.isfinite(x) and x > 0):
        raise ValueError(f"{name} must be a positive finite number; got {x}")
    return float(x)


def check_count(n: Any, name: str, minimum: int = 0) -> int:
    """Return ``n`` as an int >= ``minimum``, or raise naming ``name``."""
    if isinstance(n, bool) or not isinstance(n, numbers.Integral):
        raise TypeError(f"{name} must be an integer >= {minimum}; got {type(n).__name__}")
    if n < minimum:
        raise ValueError(f"{name} must be an integer >= {minimum}; got {n}")
    return int(n)


def check_shape(b: Any, shape: tuple[int, ...], name: str, why: str) -> np.ndarray:
    """Return ``b`` as float64 with exactly ``shape`` (no broadcasting); ``why`` explains it."""
    b = as_float_array(b, name)
    if b.shape != shape:
        raise ValueError(f"{name} must have shape {shape} {why}; got {name} with shape {b.shape}")
    return b


def check_cache(cache: Any, params: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
    """Check a cache from ``forward`` against ``params``; return float64 arrays."""
    check_keys(cache, CACHE_KEYS, "cache")
    X = check_X(cache["X"], params["W"])
    m, (n_h, n_out) = X.shape[0], params["V"].shape
    out = {"X": X}
    for key, n in (("H_pre", n_h), ("H", n_h), ("Y_pre", n_out), ("Y_hat", n_out)):
        out[key] = check_shape(cache[key], (m, n), f"cache['{key}']",
                               f"to match {m} samples and params")
    return out
