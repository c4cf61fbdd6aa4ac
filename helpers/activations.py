"""The sigmoid activation and its derivative.

Introduced in notebook ``01_multiply-through-a-3-4-2-network`` (the sigmoid) and
``02_backpropagate-with-the-hadamard-product`` (its derivative and Jacobian).

Note the sign: sigma(z) = 1 / (1 + exp(-z)). Writing ``exp(+z)`` in the
denominator gives sigma(-z) = 1 - sigma(z), a different (decreasing) function.
"""

from __future__ import annotations

from typing import Any

import numpy as np
from scipy.special import expit

from helpers.checks import as_array, as_float_array


def sigmoid(z: Any) -> np.ndarray:
    """Return the logistic sigmoid 1 / (1 + exp(-z)), elementwise.

    Introduced in notebook ``01_multiply-through-a-3-4-2-network``.

    Uses :func:`scipy.special.expit`, which never overflows: for z = -1000 the
    textbook formula computes exp(1000) = inf (with a RuntimeWarning), while
    ``expit`` returns 0 exactly.

    Parameters
    ----------
    z : array_like of real numbers
        Pre-activations, any shape.

    Returns
    -------
    numpy.ndarray
        Values in [0, 1], same shape as ``z``, float64 (whatever the input dtype).
        A scalar ``z`` (Python float, NumPy scalar, 0-d array) gives a NumPy float64
        scalar, as NumPy ufuncs do.

    Raises
    ------
    TypeError
        If ``z`` is not numeric (strings, complex, bool, ragged lists).

    Examples
    --------
    >>> print(sigmoid(np.array([-1.0, 0.0, 1.0])))
    [0.26894142 0.5        0.73105858]
    >>> print(sigmoid(np.array([-1000.0, 1000.0])))
    [0. 1.]
    """
    return expit(as_array(z, "z", empty_ok=True).astype(np.float64, copy=False))


def sigmoid_prime(z: Any) -> np.ndarray:
    """Return the derivative of the sigmoid, sigma(z) * (1 - sigma(z)), elementwise.

    Introduced in notebook ``01_multiply-through-a-3-4-2-network``.
    It is largest at z = 0, where it equals 1/4.

    Parameters
    ----------
    z : array_like of real numbers
        Pre-activations (not the activations!), any shape.

    Returns
    -------
    numpy.ndarray
        Values in [0, 0.25], same shape as ``z``, float64.

    Examples
    --------
    >>> print(sigmoid_prime(np.array([-1.0, 0.0, 1.0])))
    [0.19661193 0.25       0.19661193]
    """
    s = sigmoid(z)
    return s * (1.0 - s)


def sigmoid_jacobian(z: Any) -> np.ndarray:
    """Return the Jacobian of the elementwise sigmoid at a vector ``z``: diag(sigmoid'(z)).

    Introduced in notebook ``02_backpropagate-with-the-hadamard-product``. Because
    output k depends only on input k, the Jacobian is diagonal, and multiplying a
    row vector by it is the same as a Hadamard product:
    ``g @ sigmoid_jacobian(z) == g * sigmoid_prime(z)``.

    Parameters
    ----------
    z : array_like, shape (n,)
        One pre-activation vector.

    Returns
    -------
    numpy.ndarray, shape (n, n)

    Examples
    --------
    >>> print(sigmoid_jacobian(np.array([0.0, 0.0])))
    [[0.25 0.  ]
     [0.   0.25]]
    """
    z = as_float_array(z, "z", ndim=(1,))
    return np.diag(sigmoid_prime(z))
