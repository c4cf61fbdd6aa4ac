"""The 3-4-2 sigmoid network: forward pass, cost, Hadamard-form backward pass, training.

Introduced in notebooks ``01_multiply-through-a-3-4-2-network`` (forward, cost) and
``02_backpropagate-with-the-hadamard-product`` (backward, training).

Convention (the seed's): samples are **rows**. A batch X has shape (m, 3), and

    Z_h = X @ W + b1        (m, 4)      H     = sigmoid(Z_h)
    Z_y = H @ V + b2        (m, 2)      Y_hat = sigmoid(Z_y)
    C   = 1/(2m) * sum((Y_hat - Y)**2)

Z is a pre-activation (z_h, z_y in the notebooks), so that sigma'(z) is never read as
a second derivative. The 1/2 is there so that dC/dY_hat = (Y_hat - Y)/m has no stray
factor 2; the 1/m makes C an average over samples, so the learning rate does not
depend on m. Weight gradients come out in the form A.T @ delta (the layer's input,
transposed, times the delta of its output), with the weight's own shape.

With ``hidden="identity"`` the hidden sigmoid is left out (H = Z_h): notebook 01 uses
that linear network to show why the sigmoid is needed.

Each step's forward sits next to its backward (``_dense``/``_dense_backward``,
``sigmoid``/``_sigmoid_backward``, ``_loss``/``_loss_backward``). The public
functions check their inputs; the private steps do not, so ``train`` stays fast.
"""

from __future__ import annotations

from functools import partial
from typing import Any

import numpy as np

from helpers.activations import sigmoid, sigmoid_jacobian, sigmoid_prime
from helpers.checks import (
    PARAM_KEYS,
    as_float_array,
    check_cache,
    check_int,
    check_params,
    check_positive,
    check_same_shape,
    check_shape,
    check_X,
)

Params = dict[str, np.ndarray]


# --- the steps, forward next to backward ------------------------------------------


def _dense(A: np.ndarray, W: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Forward: Z = A @ W + b (b is broadcast down the rows)."""
    return A @ W + b


def _dense_backward(delta: np.ndarray, A: np.ndarray, W: np.ndarray):
    """Backward of Z = A @ W + b, given delta = dC/dZ: return dC/dW, dC/db, dC/dA."""
    return A.T @ delta, delta.sum(axis=0), delta @ W.T


def _sigmoid_backward(dA: np.ndarray, Z: np.ndarray) -> np.ndarray:
    """Backward of A = sigmoid(Z): dC/dZ = dC/dA ⊙ sigmoid'(Z) (a Hadamard product)."""
    return dA * sigmoid_prime(Z)


def _loss(Y_hat: np.ndarray, Y: np.ndarray) -> float:
    """Forward: C = 1/(2m) * sum((Y_hat - Y)**2); a 1D Y_hat is one sample (m = 1)."""
    m = Y_hat.shape[0] if Y_hat.ndim == 2 else 1
    return float(np.sum((Y_hat - Y) ** 2) / (2 * m))


def _loss_backward(Y_hat: np.ndarray, Y: np.ndarray) -> np.ndarray:
    """Backward: dC/dY_hat = (Y_hat - Y)/m."""
    return (Y_hat - Y) / Y_hat.shape[0]


def _forward(X: np.ndarray, p: Params, hidden: str = "sigmoid") -> dict[str, np.ndarray]:
    Z_h = _dense(X, p["W"], p["b1"])
    H = sigmoid(Z_h) if hidden == "sigmoid" else Z_h
    Z_y = _dense(H, p["V"], p["b2"])
    return {"X": X, "Z_h": Z_h, "H": H, "Z_y": Z_y, "Y_hat": sigmoid(Z_y)}


def _backward(Y: np.ndarray, c: dict[str, np.ndarray], p: Params,
              hidden: str = "sigmoid") -> Params:
    delta_out = _sigmoid_backward(_loss_backward(c["Y_hat"], Y), c["Z_y"])
    dV, db2, dH = _dense_backward(delta_out, c["H"], p["V"])
    delta_hidden = _sigmoid_backward(dH, c["Z_h"]) if hidden == "sigmoid" else dH
    dW, db1, _ = _dense_backward(delta_hidden, c["X"], p["W"])
    return {"W": dW, "b1": db1, "V": dV, "b2": db2}


HIDDEN = ("sigmoid", "identity")


def _check_hidden(hidden: Any) -> str:
    if hidden not in HIDDEN:
        raise ValueError(f"hidden must be one of {HIDDEN}; got {hidden!r}")
    return hidden


# --- public API ----------------------------------------------------------------------


def init_params(sizes: tuple[int, int, int] = (3, 4, 2), seed: int = 0) -> Params:
    """Return small random weights and zero biases for an n_in-n_h-n_out network.

    Introduced in notebook ``01_multiply-through-a-3-4-2-network``.

    Weights are drawn from ``np.random.default_rng(seed).normal`` and scaled by
    1/sqrt(fan_in) (W first, then V), so every pre-activation starts with a variance
    near 1 for standardized inputs: the sigmoids start in their steep middle part,
    not saturated. Biases start at zero; the random weights already break the symmetry.

    Parameters
    ----------
    sizes : (n_in, n_h, n_out), default (3, 4, 2)
        Inputs, hidden units and outputs.
    seed : int, default 0
        Seed for :func:`numpy.random.default_rng`.

    Returns
    -------
    dict
        ``{"W": (n_in, n_h), "b1": (n_h,), "V": (n_h, n_out), "b2": (n_out,)}``.

    Examples
    --------
    >>> p = init_params()
    >>> {k: v.shape for k, v in p.items()}
    {'W': (3, 4), 'b1': (4,), 'V': (4, 2), 'b2': (2,)}
    >>> print(np.round(p["W"], 3))
    [[ 0.073 -0.076  0.37   0.061]
     [-0.309  0.209  0.753  0.547]
     [-0.406 -0.731 -0.36   0.024]]
    """
    if len(sizes) != 3:
        raise ValueError(f"sizes must be (n_in, n_hidden, n_out); got {sizes!r}")
    n_in, n_h, n_out = (check_int(n, "sizes entries", minimum=1) for n in sizes)
    rng = np.random.default_rng(seed)
    W = rng.normal(size=(n_in, n_h)) / np.sqrt(n_in)
    V = rng.normal(size=(n_h, n_out)) / np.sqrt(n_h)
    return {"W": W, "b1": np.zeros(n_h), "V": V, "b2": np.zeros(n_out)}


def forward(X: Any, params: Params, hidden: str = "sigmoid") -> dict[str, np.ndarray]:
    """Run the forward pass and return every intermediate result (the cache).

    Introduced in notebook ``01_multiply-through-a-3-4-2-network``.

    Parameters
    ----------
    X : array_like, shape (m, n_in) or (n_in,)
        One sample per row. A 1D array is one sample, treated as shape (1, n_in)
        (the seed's row vector [x1 x2 x3]); the cache then holds 2D arrays.
    params : dict
        ``W`` (n_in, n_h), ``b1`` (n_h,), ``V`` (n_h, n_out), ``b2`` (n_out,).
    hidden : {"sigmoid", "identity"}, default "sigmoid"
        The hidden activation; "identity" gives the linear network H = Z_h.

    Returns
    -------
    dict
        ``X`` (m, n_in), ``Z_h`` = X @ W + b1 and ``H`` = sigmoid(Z_h), both
        (m, n_h), ``Z_y`` = H @ V + b2 and ``Y_hat`` = sigmoid(Z_y), both (m, n_out).
        The keys are the pre-activations z_h, z_y of the notebooks.

    Raises
    ------
    ValueError
        If X does not have n_in columns, is empty, or params are inconsistent.
    TypeError
        If X is not numeric.

    Examples
    --------
    >>> p = {"W": np.ones((3, 4)), "b1": np.zeros(4), "V": np.ones((4, 2)), "b2": np.zeros(2)}
    >>> cache = forward(np.array([[1.0, 0.0, -1.0]]), p)
    >>> print(cache["Z_h"], cache["Z_y"])
    [[0. 0. 0. 0.]] [[2. 2.]]
    >>> print(np.round(cache["Y_hat"], 4))
    [[0.8808 0.8808]]

    Without the hidden sigmoid the two layers collapse into one, X @ (W @ V):

    >>> X = np.array([[1.0, 2.0, 3.0]])
    >>> lin = forward(X, init_params(), hidden="identity")
    >>> bool(np.allclose(lin["Z_y"], X @ (init_params()["W"] @ init_params()["V"])))
    True
    """
    p = check_params(params)
    return _forward(check_X(X, p["W"]), p, _check_hidden(hidden))


def loss(Y_hat: Any, Y: Any) -> float:
    """Return the mean squared error with a half: C = 1/(2m) * sum((Y_hat - Y)**2).

    Introduced in notebook ``01_multiply-through-a-3-4-2-network``.

    Parameters
    ----------
    Y_hat : array_like, shape (m, n_out) or (n_out,)
        Predictions, one row per sample; a 1D array is one sample (m = 1).
    Y : array_like, same shape as Y_hat
        Targets (one-hot rows). Shapes must match exactly: no broadcasting.

    Returns
    -------
    float

    Examples
    --------
    One sample: 1/2 * ((0.8 - 1)**2 + (0.4 - 0)**2) = 1/2 * (0.04 + 0.16) = 0.1

    >>> print(round(loss(np.array([[0.8, 0.4]]), np.array([[1.0, 0.0]])), 12))
    0.1
    """
    Y_hat = as_float_array(Y_hat, "Y_hat", ndim=(1, 2))
    return _loss(Y_hat, check_same_shape(Y_hat, Y, "Y_hat", "Y"))


def backward(Y: Any, cache: dict[str, np.ndarray], params: Params) -> Params:
    """Return the gradients of the cost with respect to every parameter (Hadamard form).

    Introduced in notebook ``02_backpropagate-with-the-hadamard-product``::

        delta_out    = (Y_hat - Y)/m ⊙ sigmoid'(Z_y)        (m, n_out)
        dV           = H.T @ delta_out                         (n_h, n_out)
        db2          = delta_out summed over samples           (n_out,)
        delta_hidden = (delta_out @ V.T) ⊙ sigmoid'(Z_h)     (m, n_h)
        dW           = X.T @ delta_hidden                      (n_in, n_h)
        db1          = delta_hidden summed over samples        (n_h,)

    The Hadamard product ⊙ appears only where a gradient passes through the
    elementwise sigmoid. A weight gradient is a matrix product (for one sample, the
    outer product h^T delta_out), so it has the weight's shape: (ŷ - y) ⊙ sigmoid'
    alone is only delta_out, with n_out entries, not the n_h x n_out entries of dV.

    Parameters
    ----------
    Y : array_like, shape (m, n_out)
        Targets; must have exactly the shape of ``cache["Y_hat"]`` (no broadcasting).
        The cache of a 1D sample x holds (1, n) arrays, so its target is
        ``y.reshape(1, -1)``; a 1D y raises ``ValueError``.
    cache : dict
        The output of :func:`forward`.
    params : dict
        The parameters used for ``cache``.

    Returns
    -------
    dict
        ``{"W": dW, "b1": db1, "V": dV, "b2": db2}``, each the shape of its parameter.

    Examples
    --------
    >>> p = init_params()
    >>> X, Y = np.array([[1.0, 2.0, 3.0]]), np.array([[1.0, 0.0]])
    >>> grads = backward(Y, forward(X, p), p)
    >>> {k: g.shape for k, g in grads.items()}
    {'W': (3, 4), 'b1': (4,), 'V': (4, 2), 'b2': (2,)}
    >>> print(np.round(grads["b2"], 4))
    [-0.1398  0.1374]
    """
    p = check_params(params)
    c = check_cache(cache, p)
    return _backward(check_same_shape(c["Y_hat"], Y, "Y_hat", "Y"), c, p)


def train(X: Any, Y: Any, params: Params, lr: float, epochs: int,
          hidden: str = "sigmoid"):
    """Fit the network by full-batch gradient descent: theta <- theta - lr * dC/dtheta.

    Introduced in notebook ``01_multiply-through-a-3-4-2-network``. (trained further in notebook 02)

    Parameters
    ----------
    X : array_like, shape (m, n_in) or (n_in,)
        A 1D X is one sample, as in :func:`forward`.
    Y : array_like, shape (m, n_out)
        One-hot targets, exactly this shape (for a 1D X, shape (1, n_out)).
    params : dict
        Starting parameters; they are copied, never modified.
    lr : float > 0
        Learning rate (eta).
    epochs : int >= 0
        Number of gradient steps, each on the whole batch.
    hidden : {"sigmoid", "identity"}, default "sigmoid"
        As in :func:`forward`; "identity" trains the linear network.

    Returns
    -------
    params : dict
        The trained parameters (new arrays).
    history : numpy.ndarray, shape (epochs,)
        ``history[k]`` is the cost **after** update k, so ``history[-1]`` is the cost
        of the returned parameters. The starting cost is
        ``loss(forward(X, params)["Y_hat"], Y)``.

    Examples
    --------
    >>> X, Y = np.array([[1.0, 2.0, 3.0]]), np.array([[1.0, 0.0]])
    >>> p0 = init_params()
    >>> p1, history = train(X, Y, p0, lr=1.0, epochs=100)
    >>> print(round(loss(forward(X, p0)["Y_hat"], Y), 4), np.round(history[[0, -1]], 4))
    0.3176 [0.2366 0.0021]
    """
    p = {k: v.copy() for k, v in check_params(params).items()}
    X = check_X(X, p["W"])
    Y = check_shape(Y, (X.shape[0], p["V"].shape[1]), "Y", "(one row per row of X, one "
                    "column per output of V)")
    lr, epochs = check_positive(lr, "lr"), check_int(epochs, "epochs")
    hidden = _check_hidden(hidden)
    return descend(X, Y, p, lr, epochs, partial(_forward, hidden=hidden),
                   partial(_backward, hidden=hidden))


def descend(X: np.ndarray, Y: np.ndarray, p: Params, lr: float, epochs: int,
            forward_fn: Any, backward_fn: Any) -> tuple[Params, np.ndarray]:
    """Full-batch gradient descent on the cost C, for any forward/backward pair.

    The loop behind :func:`train`; notebook ``06_replace-the-matrix-with-a-convolution``
    runs its convolutional network through the same loop. ``p`` (already checked and
    copied) is updated in place: v <- v - lr * dC/dv for every parameter the backward
    pass returns. ``history[k]`` is the cost after update k.
    """
    costs = np.empty(epochs + 1)
    for epoch in range(epochs):
        cache = forward_fn(X, p)
        costs[epoch] = _loss(cache["Y_hat"], Y)
        grads = backward_fn(Y, cache, p)
        for key, grad in grads.items():
            p[key] -= lr * grad
    costs[epochs] = _loss(forward_fn(X, p)["Y_hat"], Y)
    return p, costs[1:]


def predict(X: Any, params: Params, hidden: str = "sigmoid") -> np.ndarray:
    """Return the predicted class of each row: the index of the larger output.

    Introduced in notebook ``01_multiply-through-a-3-4-2-network``.

    Examples
    --------
    >>> p = {"W": np.eye(3, 4), "b1": np.zeros(4), "V": np.eye(4, 2), "b2": np.zeros(2)}
    >>> predict(np.array([[1.0, 0.0, 0.0], [0.0, 1.0, 0.0]]), p)
    array([0, 1])
    """
    return np.argmax(forward(X, params, hidden)["Y_hat"], axis=1)


def accuracy(X: Any, Y: Any, params: Params, hidden: str = "sigmoid") -> float:
    """Return the fraction of rows of X whose predicted class is the true class.

    Introduced in notebook ``01_multiply-through-a-3-4-2-network``.

    Parameters
    ----------
    X : array_like, shape (m, n_in)
    Y : array_like, shape (m, n_out) one-hot, or shape (m,) integer class labels
    params : dict
    hidden : {"sigmoid", "identity"}, default "sigmoid"
        As in :func:`forward`.

    Examples
    --------
    >>> p = {"W": np.eye(3, 4), "b1": np.zeros(4), "V": np.eye(4, 2), "b2": np.zeros(2)}
    >>> X = np.array([[1.0, 0.0, 0.0], [0.0, 1.0, 0.0]])
    >>> accuracy(X, np.array([0, 0]), p), accuracy(X, np.array([[1, 0], [0, 1]]), p)
    (0.5, 1.0)
    """
    pred = predict(X, params, hidden)
    Y = as_float_array(Y, "Y", ndim=(1, 2))
    labels = np.argmax(Y, axis=1) if Y.ndim == 2 else Y
    if labels.shape != pred.shape:
        raise ValueError(f"Y must have one label or one-hot row per row of X ({pred.shape[0]});"
                         f" got Y with shape {Y.shape}")
    return float(np.mean(pred == labels))


def param_count(params: Params) -> int:
    """Return the number of trainable numbers: 3*4 + 4 + 4*2 + 2 = 26 for the 3-4-2 net.

    Introduced in notebook ``01_multiply-through-a-3-4-2-network``.

    Examples
    --------
    >>> param_count(init_params())
    26
    """
    return sum(v.size for v in check_params(params).values())


def flatten_params(params: Params) -> np.ndarray:
    """Concatenate W, b1, V, b2 (each in row-major order) into one vector.

    Introduced in notebook ``02_backpropagate-with-the-hadamard-product``, for gradient checks.

    Examples
    --------
    >>> flatten_params(init_params()).shape
    (26,)
    """
    p = check_params(params)
    return np.concatenate([p[k].ravel() for k in PARAM_KEYS])


def unflatten_params(theta: Any, sizes: tuple[int, int, int] = (3, 4, 2)) -> Params:
    """Inverse of :func:`flatten_params` for an n_in-n_h-n_out network (returns copies).

    Introduced in notebook ``02_backpropagate-with-the-hadamard-product``.

    Examples
    --------
    >>> p = init_params()
    >>> q = unflatten_params(flatten_params(p))
    >>> all(np.array_equal(p[k], q[k]) for k in p)
    True
    """
    n_in, n_h, n_out = sizes
    shapes = {"W": (n_in, n_h), "b1": (n_h,), "V": (n_h, n_out), "b2": (n_out,)}
    n = sum(int(np.prod(s)) for s in shapes.values())
    theta = check_shape(theta, (n,), "theta", f"(the {n} parameters of a {n_in}-{n_h}-{n_out} "
                        "network)")
    ends = np.cumsum([int(np.prod(s)) for s in shapes.values()])[:-1]
    return {k: part.reshape(shapes[k]).copy()
            for k, part in zip(PARAM_KEYS, np.split(theta, ends), strict=True)}


# --- the same computations, written three other ways -------------------------------------


def forward_loops(x: Any, params: Params) -> dict[str, np.ndarray]:
    """Forward pass for one sample with explicit sums, reading like the math.

    Introduced in notebook ``01_multiply-through-a-3-4-2-network``:
    z_hj = b1_j + sum_i x_i w_ij, h_j = sigmoid(z_hj), z_yk = b2_k + sum_j h_j v_jk.
    Returns the cache of :func:`forward` for one sample, with 1D arrays.

    Examples
    --------
    >>> p = {"W": np.ones((3, 4)), "b1": np.zeros(4), "V": np.ones((4, 2)), "b2": np.zeros(2)}
    >>> print(forward_loops(np.array([1.0, 0.0, -1.0]), p)["Z_y"])
    [2. 2.]
    """
    p = check_params(params)
    x = check_X(as_float_array(x, "x", ndim=(1,)), p["W"])[0]
    (n_in, n_h), n_out = p["W"].shape, p["V"].shape[1]
    z_h = np.array([p["b1"][j] + sum(x[i] * p["W"][i, j] for i in range(n_in))
                      for j in range(n_h)])
    h = sigmoid(z_h)
    z_y = np.array([p["b2"][k] + sum(h[j] * p["V"][j, k] for j in range(n_h))
                      for k in range(n_out)])
    return {"X": x, "Z_h": z_h, "H": h, "Z_y": z_y, "Y_hat": sigmoid(z_y)}


def dense_jacobians(a: Any, W: Any) -> dict[str, np.ndarray]:
    """Jacobians of one sample's z = a @ W + b with respect to W, b and a.

    Introduced in notebook ``02_backpropagate-with-the-hadamard-product``.

    With W flattened row by row, dz_k/dW_jl = a_j [k = l], so the Jacobian with respect
    to W is the Kronecker product kron(a, I) of shape (n_out, n_in * n_out). The
    Jacobian with respect to b is the identity, and with respect to a it is W.T.

    Examples
    --------
    >>> J = dense_jacobians(np.array([2.0, 3.0]), np.ones((2, 2)))
    >>> print(J["W"])
    [[2. 0. 3. 0.]
     [0. 2. 0. 3.]]
    """
    a = as_float_array(a, "a", ndim=(1,))
    W = as_float_array(W, "W", ndim=(2,))
    if W.shape[0] != a.shape[0]:
        raise ValueError(f"W must have {a.shape[0]} rows to match a of shape {a.shape}; "
                         f"got W with shape {W.shape}")
    eye = np.eye(W.shape[1])
    return {"W": np.kron(a[None, :], eye), "b": eye, "a": W.T}


def backward_jacobian(Y: Any, cache: dict[str, np.ndarray], params: Params) -> Params:
    """Same gradients as :func:`backward`, by chaining full Jacobian matrices per sample.

    Introduced in notebook ``02_backpropagate-with-the-hadamard-product``. For each
    sample, a row vector g = dC/d(something) is carried backwards and multiplied by
    each step's Jacobian: diag(sigmoid'(z)) for a sigmoid (see
    :func:`helpers.activations.sigmoid_jacobian`) and those of :func:`dense_jacobians`.
    Multiplying by a diagonal matrix is exactly the Hadamard product of ``backward``.

    Examples
    --------
    >>> p = init_params()
    >>> X, Y = np.array([[1.0, 2.0, 3.0], [0.0, 1.0, 0.0]]), np.eye(2)
    >>> cache = forward(X, p)
    >>> g1, g2 = backward(Y, cache, p), backward_jacobian(Y, cache, p)
    >>> all(np.allclose(g1[k], g2[k]) for k in g1)
    True
    """
    p = check_params(params)
    c = check_cache(cache, p)
    Y = check_same_shape(c["Y_hat"], Y, "Y_hat", "Y")
    grads = {k: np.zeros_like(v) for k, v in p.items()}
    m = Y.shape[0]
    for r in range(m):
        g = (c["Y_hat"][r] - Y[r]) / m @ sigmoid_jacobian(c["Z_y"][r])   # dC/dz_y
        J = dense_jacobians(c["H"][r], p["V"])
        grads["V"] += (g @ J["W"]).reshape(p["V"].shape)
        grads["b2"] += g @ J["b"]
        g = g @ J["a"] @ sigmoid_jacobian(c["Z_h"][r])                   # dC/dz_h
        J = dense_jacobians(c["X"][r], p["W"])
        grads["W"] += (g @ J["W"]).reshape(p["W"].shape)
        grads["b1"] += g @ J["b"]
    return grads


def backward_einsum(Y: Any, cache: dict[str, np.ndarray], params: Params) -> Params:
    """Same gradients as :func:`backward`, in index notation with :func:`numpy.einsum`.

    Introduced in notebook ``02_backpropagate-with-the-hadamard-product``. Indices:
    n = sample, i = input, j = hidden unit, k = output. A Hadamard product is an index
    that appears in both factors *and* in the result ('nk,nk->nk'); a matrix product
    is an index that is summed away ('nj,nk->jk').

    Examples
    --------
    >>> p = init_params()
    >>> X, Y = np.array([[1.0, 2.0, 3.0], [0.0, 1.0, 0.0]]), np.eye(2)
    >>> cache = forward(X, p)
    >>> g1, g2 = backward(Y, cache, p), backward_einsum(Y, cache, p)
    >>> all(np.allclose(g1[k], g2[k]) for k in g1)
    True
    """
    p = check_params(params)
    c = check_cache(cache, p)
    Y = check_same_shape(c["Y_hat"], Y, "Y_hat", "Y")
    m = Y.shape[0]
    delta_out = np.einsum("nk,nk->nk", (c["Y_hat"] - Y) / m, sigmoid_prime(c["Z_y"]))
    delta_hidden = np.einsum("nk,jk,nj->nj", delta_out, p["V"], sigmoid_prime(c["Z_h"]))
    return {
        "W": np.einsum("ni,nj->ij", c["X"], delta_hidden),
        "b1": np.einsum("nj->j", delta_hidden),
        "V": np.einsum("nj,nk->jk", c["H"], delta_out),
        "b2": np.einsum("nk->k", delta_out),
    }
