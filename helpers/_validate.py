"""Private input checks for :mod:`helpers.conv`.

Every check raises an error whose message names the argument and says what was
expected. The rules, shared by all public functions of ``helpers.conv``:

- arrays are passed through :func:`numpy.asarray`, so lists work;
- dtypes: bool, signed/unsigned integers and floats are accepted; complex numbers
  raise ``TypeError`` (the course is real-valued); strings, objects, dates raise
  ``TypeError``;
- empty arrays and arrays of the wrong number of dimensions raise ``ValueError``;
- NaN and inf are allowed and propagate as in NumPy.
"""

from __future__ import annotations

import math
import numbers
from collections.abc import Sequence
from typing import Any

import numpy as np


def as_array(x: Any, name: str, ndim: int, at_least: bool = False) -> np.ndarray:
    """Return ``x`` as a non-empty real numeric array with ``ndim`` (or more) dimensions."""
    try:
        arr = np.asarray(x)
    except (TypeError, ValueError) as exc:  # e.g. ragged nested lists
        raise TypeError(f"{name} must be a numeric array; got {type(x).__name__}") from exc
    if arr.dtype.kind == "c":
        raise TypeError(f"{name} must hold real numbers; complex input (dtype {arr.dtype}) "
                        "is not supported by helpers.conv")
    if arr.dtype.kind not in "biuf":
        raise TypeError(f"{name} must hold numbers (bool, int or float); "
                        f"got an array of dtype {arr.dtype}")
    if arr.ndim != ndim and not (at_least and arr.ndim > ndim):
        want = f"{ndim}D (or more)" if at_least else f"{ndim}D"
        raise ValueError(f"{name} must be a {want} array; got {arr.ndim}D with shape {arr.shape}")
    if arr.size == 0:
        raise ValueError(f"{name} must not be empty; got shape {arr.shape}")
    return arr


def all_finite(*arrays: np.ndarray) -> bool:
    """No NaN or inf in these float arrays (the FFT would spread one over the output).

    A finite sum proves it in one fast pass; only when the sum is not finite (a NaN, an
    inf, or an overflow) is every entry checked.
    """
    with np.errstate(over="ignore", invalid="ignore"):
        return all(math.isfinite(x.sum()) or bool(np.isfinite(x).all()) for x in arrays)


def result_dtype(*arrays: np.ndarray) -> np.dtype:
    """``np.result_type`` of the inputs, except that bool-only input computes in int64."""
    dtype = np.result_type(*arrays)
    return np.dtype(np.int64) if dtype == np.bool_ else dtype


def check_choice(value: Any, name: str, choices: Sequence[str]) -> str:
    """Return ``value`` if it is one of ``choices``; else raise naming ``name``."""
    if not isinstance(value, str) or value not in choices:
        listed = ", ".join(repr(c) for c in choices)
        raise ValueError(f"{name} must be one of {listed}; got {value!r}")
    return value


def check_int(value: Any, name: str, minimum: int) -> int:
    """Return ``value`` as an int >= ``minimum``, or raise naming ``name``."""
    if isinstance(value, bool | np.bool_) or not isinstance(value, numbers.Integral):
        raise TypeError(f"{name} must be an integer >= {minimum}; got {value!r} "
                        f"of type {type(value).__name__}")
    if value < minimum:
        raise ValueError(f"{name} must be an integer >= {minimum}; got {value}")
    return int(value)
