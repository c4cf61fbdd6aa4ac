"""Check gradients against central differences.

Introduced in notebook ``02_backpropagate-with-the-hadamard-product``.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

from helpers.checks import PARAM_KEYS, as_array, check_params, check_positive


def numerical_gradient(f: Callable[[np.ndarray], float], x: np.ndarray,
                       h: float = 1e-5) -> np.ndarray:
    """Estimate the gradient of a scalar function by central differences.

    Introduced in notebook ``02_backpropagate-with-the-hadamard-product``.

    For each entry x_i: df/dx_i ~ (f(x + h e_i) - f(x - h e_i)) / (2h), with error
    O(h**2). ``x`` is perturbed in place, one entry at a time, and restored exactly
    afterwards (even if ``f`` raises), so ``f`` may read ``x`` from a closure.

    Parameters
    ----------
    f : callable
        ``f(x)`` returns a real scalar.
    x : numpy.ndarray of float64, any shape (0-d too), writeable
        The point; modified temporarily, restored on return. Other dtypes raise
        ``TypeError`` rather than being converted: an integer array would silently
        truncate the perturbations x +- h, and a converted copy would no longer be the
        array that ``f`` reads through its closure.
    h : float, default 1e-5
        Step. 1e-5 balances truncation error (~h**2) and rounding error (~eps/h).

    Returns
    -------
    numpy.ndarray
        Same shape as ``x``.

    Examples
    --------
    The gradient of sum(x**2) is 2x:

    >>> x = np.array([[1.0, -2.0], [0.5, 3.0]])
    >>> print(np.round(numerical_gradient(lambda v: np.sum(v**2), x), 6))
    [[ 2. -4.]
     [ 1.  6.]]
    """
    if not callable(f):
        raise TypeError(f"f must be a callable returning a real scalar; got {type(f).__name__}")
    if not isinstance(x, np.ndarray) or x.dtype != np.float64:
        raise TypeError("x must be a float64 numpy array (it is perturbed in place); got "
                        f"{type(x).__name__}" + (f" of dtype {x.dtype}" if hasattr(x, "dtype")
                                                 else ""))
    if not x.flags.writeable:
        raise ValueError("x must be writeable (it is perturbed in place); got a read-only "
                         "array, pass x.copy()")
    h = check_positive(h, "h")
    grad = np.zeros_like(x)
    for idx in np.ndindex(x.shape):
        old = x[idx]
        try:
            x[idx] = old + h
            f_plus = _scalar(f(x))
            x[idx] = old - h
            f_minus = _scalar(f(x))
        finally:
            x[idx] = old
        grad[idx] = (f_plus - f_minus) / (2 * h)
    return grad


def _scalar(value: Any) -> float:
    arr = np.asarray(value)
    if arr.size != 1 or arr.dtype.kind not in "iuf":
        raise ValueError(f"f must return a real scalar; got {value!r}")
    return float(arr.reshape(()))


def relative_error(a: Any, b: Any) -> float:
    """Return max|a - b| / max(1e-8, max(|a| + |b|)), a scale-free distance.

    Introduced in notebook ``02_backpropagate-with-the-hadamard-product``, which reads
    it the same way, for float64 and central differences with h = 1e-5:

    - below 1e-9: a correct gradient (rounding and the h**2 of the central difference);
    - up to 1e-7: what the course's tests accept;
    - between 1e-7 and 1e-4: look again (a smooth cost does not land there);
    - above 1e-4: a bug, such as a missing factor, a wrong sign or a wrong index.

    One number per array: the largest difference over the largest magnitude. CS231n's
    notes instead take |a_i - b_i| / max(|a_i|, |b_i|) for every entry and judge the
    worst. This value is never larger than that worst entry: it does not blow up on
    tiny entries, where rounding is large compared with the entry, but it rates a
    mistake in a small entry against the largest one.

    ``a`` and ``b`` must be real arrays (or scalars) of the same shape: no broadcasting.
    A NaN (or inf - inf) anywhere gives NaN, so ``err < tol`` is False for a broken
    gradient instead of looking fine.

    Examples
    --------
    >>> relative_error(np.array([1.0, 2.0]), np.array([1.0, 2.0]))
    0.0
    >>> print(round(relative_error(np.array([1.0, 2.0]), np.array([1.0, 2.1])), 6))
    0.02439
    >>> relative_error(0.0, 1e-12)   # tiny numbers: compared against the 1e-8 floor
    0.0001
    """
    a, b = (as_array(v, n, empty_ok=True).astype(np.float64) for v, n in ((a, "a"), (b, "b")))
    if a.shape != b.shape:
        raise ValueError(f"a and b must have the same shape; got {a.shape} and {b.shape}")
    if a.size == 0:
        raise ValueError("a and b must not be empty")
    with np.errstate(invalid="ignore"):  # inf - inf is NaN, quietly
        scale = max(1e-8, float(np.max(np.abs(a) + np.abs(b))))
        return float(np.max(np.abs(a - b))) / scale



def check_gradients(X: Any, Y: Any, params: dict[str, np.ndarray],
                    h: float = 1e-5) -> dict[str, float]:
    """Compare :func:`helpers.network.backward` with central differences, per parameter.

    Introduced in notebook ``02_backpropagate-with-the-hadamard-product``.

    Returns
    -------
    dict
        ``{"W": err, "b1": err, "V": err, "b2": err}``, each a :func:`relative_error`.

    Examples
    --------
    >>> from helpers.network import init_params
    >>> errors = check_gradients(np.array([[1.0, 2.0, 3.0]]), np.array([[1.0, 0.0]]),
    ...                          init_params())
    >>> all(err < 1e-7 for err in errors.values())
    True
    """
    from helpers.network import backward, forward, loss

    p = {k: v.copy() for k, v in check_params(params).items()}
    analytic = backward(Y, forward(X, p), p)

    def cost(_: np.ndarray) -> float:
        return loss(forward(X, p)["Y_hat"], Y)

    return {k: relative_error(analytic[k], numerical_gradient(cost, p[k], h)) for k in PARAM_KEYS}
