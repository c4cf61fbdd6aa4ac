"""A small 1D convolutional network: convolution -> sigmoid -> dense 2 -> sigmoid.

Introduced in notebook ``06_replace-the-matrix-with-a-convolution``.

Convention (the one of :mod:`helpers.network`): samples are **rows**. A batch X of
m signals of length n has shape (m, n). The layer has F kernels of length k, each
giving a feature map of L = n - k + 1 values (``valid`` mode)::

    Z_h[:, f, :] = X ⋆ w[f] + b1[f]    (m, F, L)   the f-th feature map, pre-activation z
    H            = sigmoid(Z_h)        (m, F, L)   flattened to (m, F*L) for the next step
    Z_y          = H @ V + b2          (m, 2)      the output's pre-activation
    Y_hat        = sigmoid(Z_y)        (m, 2)
    C          = 1/(2m) * sum((Y_hat - Y)**2)

⋆ is the *valid cross-correlation*, what every deep-learning library computes in a
"convolutional" layer. As a matrix product, X ⋆ w = X @ M.T with
``M = layer_matrix(w, n)``: each row of M holds w, shifted one step to the right.

Each step's forward sits next to its backward, as in :mod:`helpers.network`.
The backward of the layer is written the matrix way. As a dense layer Z = X @ W with
W = M.T, its weight gradient is notebook 02's X.T @ delta (samples are rows), and since
every weight w[j] appears on one diagonal of W, its gradient is the sum of that
diagonal (:func:`tied_sum`, which reads the diagonals of M = W.T). Notebook
06 shows that this equals a correlation of the input with delta, and that the input
gradient delta @ M is a full convolution of delta with w.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from helpers.activations import sigmoid, sigmoid_prime
from helpers.checks import as_float_array, check_int, check_positive
from helpers.conv import conv_matrix
from helpers.network import _dense, _dense_backward, descend  # the dense layer of 01-02

Params = dict[str, np.ndarray]
KEYS = ("w", "b1", "V", "b2")


# --- the matrix of a correlation layer, and the tied-weight sum ------------------------


def layer_matrix(w: Any, n: int) -> np.ndarray:
    """The matrix M with ``M @ a == correlate1d(a, w, "valid")`` for signals a of length n.

    Introduced in notebook ``06_replace-the-matrix-with-a-convolution``.

    A correlation is a convolution with the flipped kernel, so this is
    ``conv_matrix(w[::-1], n, "valid")``: M[i, i + j] = w[j], zero elsewhere.

    Examples
    --------
    >>> layer_matrix([5, 6, 7], 4)
    array([[5, 6, 7, 0],
           [0, 5, 6, 7]])
    >>> layer_matrix([5, 6, 7], 4) @ np.array([1, 2, 3, 4])  # 1·5 + 2·6 + 3·7 = 38
    array([38, 56])
    """
    w = np.asarray(w)
    if w.ndim != 1:
        raise ValueError(f"w must be a 1D kernel; got shape {w.shape}")
    return conv_matrix(w[::-1], n, "valid")


def tied_sum(G: Any, k: int) -> np.ndarray:
    """Sum a gradient G = dC/dM along the k diagonals that hold the tied weights w[0..k-1].

    Introduced in notebook ``06_replace-the-matrix-with-a-convolution``.

    In ``M = layer_matrix(w, n)`` the weight w[j] sits at every (i, i + j). A dense
    layer would have one gradient per entry of M; tying them means adding the
    gradients of all positions that share w[j]. Entries outside the band are not
    parameters at all (they stay 0), so their gradients are dropped.

    Examples
    --------
    >>> G = np.array([[1, 2, 3, 40], [50, 6, 7, 8]])  # 40 and 50 sit on the zeros of M
    >>> tied_sum(G, 3)  # [1 + 6, 2 + 7, 3 + 8]
    array([ 7,  9, 11])
    """
    G = np.asarray(G)
    k = check_int(k, "k", minimum=1)
    if G.ndim != 2 or G.shape[1] != G.shape[0] + k - 1:
        raise ValueError(f"G must have shape (L, L + k - 1) for k = {k}; got {G.shape}")
    return np.array([np.trace(G, offset=j) for j in range(k)])


# --- the steps, forward next to backward ------------------------------------------


def _conv(A: np.ndarray, M: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Forward: Z_h[:, f, :] = A ⋆ w[f] + b[f] = A @ M[f].T + b[f], shape (m, F, L)."""
    return np.stack([A @ Mf.T + bf for Mf, bf in zip(M, b, strict=True)], axis=1)


def _conv_backward(delta: np.ndarray, A: np.ndarray, M: np.ndarray):
    """Backward of :func:`_conv` given delta = dC/dZ_h (m, F, L): return dC/dw, dC/db, dC/dA.

    dC/dW = A.T @ delta[:, f] is the gradient of the dense layer Z = A @ W with W = M[f].T
    (notebook 02's rule); tying sums the diagonals of its transpose, dC/dM[f].
    """
    k = M.shape[2] - M.shape[1] + 1
    dw = np.stack([tied_sum((A.T @ delta[:, f]).T, k) for f in range(len(M))])
    dA = sum(delta[:, f] @ M[f] for f in range(len(M)))
    return dw, delta.sum(axis=(0, 2)), dA


def _forward(X: np.ndarray, p: Params) -> dict[str, np.ndarray]:
    M = np.stack([layer_matrix(wf, X.shape[1]) for wf in p["w"]])   # (F, L, n), tied weights
    Z_h = _conv(X, M, p["b1"])
    H = sigmoid(Z_h).reshape(len(X), -1)
    Z_y = _dense(H, p["V"], p["b2"])
    return {"X": X, "M": M, "Z_h": Z_h, "H": H, "Z_y": Z_y, "Y_hat": sigmoid(Z_y)}


def _backward(Y: np.ndarray, c: dict[str, np.ndarray], p: Params) -> Params:
    m = len(Y)
    delta_out = (c["Y_hat"] - Y) / m * sigmoid_prime(c["Z_y"])      # ⊙, as in notebook 02
    dV, db2, dH = _dense_backward(delta_out, c["H"], p["V"])
    delta_conv = dH.reshape(c["Z_h"].shape) * sigmoid_prime(c["Z_h"])    # ⊙ again
    dw, db1, _ = _conv_backward(delta_conv, c["X"], c["M"])
    return {"w": dw, "b1": db1, "V": dV, "b2": db2}


# --- public API ----------------------------------------------------------------------


def _check(X: Any, params: Params) -> tuple[np.ndarray, Params]:
    missing = [key for key in KEYS if key not in params]
    if missing:
        raise ValueError(f"params is missing {missing}; expected keys {list(KEYS)}")
    p = {key: as_float_array(params[key], f"params[{key!r}]") for key in KEYS}
    X = as_float_array(X, "X", ndim=(2,))
    f, k = p["w"].shape
    width = f * (X.shape[1] - k + 1)
    if p["b1"].shape != (f,) or p["V"].shape[0] != width or p["b2"].shape != p["V"].shape[1:]:
        raise ValueError(f"params do not fit signals of length {X.shape[1]}: w {p['w'].shape}, "
                         f"b1 {p['b1'].shape}, V {p['V'].shape} (needs {width} rows), "
                         f"b2 {p['b2'].shape}")
    return X, p


def init_params(n: int = 32, k: int = 4, filters: int = 1, n_out: int = 2,
                seed: int = 0) -> Params:
    """Small random kernels and dense weights, zero biases.

    Introduced in notebook ``06_replace-the-matrix-with-a-convolution``.

    Kernels are drawn from ``default_rng(seed).normal`` and scaled by 1/sqrt(k), the
    dense weights (drawn next) by 1/sqrt(F*L), as :func:`helpers.network.init_params`
    scales by 1/sqrt(fan_in).

    Examples
    --------
    >>> {key: v.shape for key, v in init_params().items()}
    {'w': (1, 4), 'b1': (1,), 'V': (29, 2), 'b2': (2,)}
    """
    n, k = check_int(n, "n", minimum=1), check_int(k, "k", minimum=1)
    filters, n_out = check_int(filters, "filters", minimum=1), check_int(n_out, "n_out", 1)
    if k > n:
        raise ValueError(f"the kernel (k = {k}) must not be longer than the signal (n = {n})")
    width = filters * (n - k + 1)
    rng = np.random.default_rng(seed)
    w = rng.normal(size=(filters, k)) / np.sqrt(k)
    V = rng.normal(size=(width, n_out)) / np.sqrt(width)
    return {"w": w, "b1": np.zeros(filters), "V": V, "b2": np.zeros(n_out)}


def param_count(params: Params) -> int:
    """The number of learnable numbers: the sizes of all arrays added up.

    Examples
    --------
    >>> param_count(init_params())  # 4 + 1 + 29*2 + 2
    65
    """
    return int(sum(np.size(v) for v in params.values()))


def forward(X: Any, params: Params) -> dict[str, np.ndarray]:
    """Run the forward pass; return the cache ``X, M, Z_h (m, F, L), H (m, F*L), Z_y, Y_hat``.

    ``M`` (F, L, n) holds the matrix of each kernel, :func:`layer_matrix`.

    Introduced in notebook ``06_replace-the-matrix-with-a-convolution``.

    Examples
    --------
    >>> p = {"w": np.array([[5.0, 6, 7]]), "b1": np.zeros(1), "V": np.zeros((2, 2)),
    ...      "b2": np.zeros(2)}
    >>> forward([[1.0, 2, 3, 4]], p)["Z_h"]  # the seed's 38 is a correlation
    array([[[38., 56.]]])
    """
    X, p = _check(X, params)
    return _forward(X, p)


def backward(Y: Any, cache: dict[str, np.ndarray], params: Params) -> Params:
    """Gradients of C with respect to w, b1, V, b2, in Hadamard form.

    Introduced in notebook ``06_replace-the-matrix-with-a-convolution``::

        delta_out  = (Y_hat - Y)/m ⊙ sigmoid'(Z_y)           (m, 2)
        dV, db2    = H.T @ delta_out, sum of delta_out
        delta_conv = (delta_out @ V.T) ⊙ sigmoid'(Z_h)         (m, F, L)
        dw[f]      = tied_sum(delta_conv[:, f].T @ X, k)       = sum over samples of
                     correlate1d(x, delta_conv[sample, f], "valid")
        db1[f]     = sum of delta_conv[:, f]

    Examples
    --------
    >>> p = init_params(n=6, k=3)
    >>> X, Y = np.array([[1.0, 2, 3, 4, 5, 6]]), np.array([[1.0, 0.0]])
    >>> {key: g.shape for key, g in backward(Y, forward(X, p), p).items()}
    {'w': (1, 3), 'b1': (1,), 'V': (4, 2), 'b2': (2,)}
    """
    missing = [key for key in ("X", "Z_h", "H", "Z_y", "Y_hat") if key not in cache]
    if missing:
        raise ValueError(f"cache is missing {missing}: pass the dict that forward returned")
    X, p = _check(cache["X"], params)
    Y = as_float_array(Y, "Y", ndim=(2,))
    if Y.shape != cache["Y_hat"].shape:
        raise ValueError(f"Y must have the shape of Y_hat, {cache['Y_hat'].shape}; got {Y.shape}")
    M = np.stack([layer_matrix(wf, X.shape[1]) for wf in p["w"]])  # rebuilt from params
    return _backward(Y, {**cache, "M": M}, p)


def train(X: Any, Y: Any, params: Params, lr: float, epochs: int):
    """Full-batch gradient descent, as :func:`helpers.network.train`: (params, history).

    Introduced in notebook ``06_replace-the-matrix-with-a-convolution``. ``params`` is
    copied, never modified; ``history[k]`` is the cost after update k.

    Examples
    --------
    >>> X, Y = np.array([[0.0, 1, 2, -2, -1, 0]]), np.array([[0.0, 1.0]])
    >>> p, history = train(X, Y, init_params(n=6), lr=2.0, epochs=50)
    >>> bool(history[-1] < history[0])
    True
    """
    X, p = _check(X, params)
    p = {key: v.copy() for key, v in p.items()}
    Y = as_float_array(Y, "Y", ndim=(2,))
    if Y.shape != (len(X), p["V"].shape[1]):
        raise ValueError(f"Y must have shape {(len(X), p['V'].shape[1])}; got {Y.shape}")
    lr, epochs = check_positive(lr, "lr"), check_int(epochs, "epochs")
    return descend(X, Y, p, lr, epochs, _forward, _backward)


def shared_head(params: Params, positions: Any) -> Params:
    """Copy ``params`` with one dense weight per filter, the same at every position.

    Introduced in notebook ``06_replace-the-matrix-with-a-convolution``.

    The dense layer has a separate weight for every position of every feature map, so
    positions the pattern never took during training keep their random start. This
    replaces the weights of filter f at *every* position by their mean over
    ``positions`` (the ones seen in training). The head then adds up each feature map
    with one weight, which is global average pooling followed by a dense layer (up to
    the factor L): the same response wherever the pattern is.

    Parameters
    ----------
    params : dict
        Trained parameters ``w`` (F, k), ``b1``, ``V`` (F*L, n_out), ``b2``.
    positions : iterable of int
        Feature-map positions whose weights are averaged, each in 0 .. L - 1.

    Examples
    --------
    >>> p = {"w": np.ones((1, 2)), "b1": np.zeros(1), "V": np.array([[1.0], [3.0], [8.0]]),
    ...      "b2": np.zeros(1)}
    >>> shared_head(p, positions=[0, 1])["V"].ravel()
    array([2., 2., 2.])
    """
    f = len(params["w"])
    V = np.asarray(params["V"], dtype=np.float64).reshape(f, -1, params["V"].shape[1])
    idx = np.asarray(list(positions), dtype=int)
    if idx.size == 0 or idx.min() < 0 or idx.max() >= V.shape[1]:
        raise ValueError(f"positions must be non-empty and lie in 0..{V.shape[1] - 1}")
    shared = np.broadcast_to(V[:, idx].mean(axis=1, keepdims=True), V.shape)
    return {**{k: np.array(v, dtype=np.float64) for k, v in params.items()},
            "V": shared.reshape(-1, V.shape[2]).copy()}


def predict(X: Any, params: Params) -> np.ndarray:
    """The predicted class of each row: the index of the larger output.

    Examples
    --------
    >>> p = {"w": np.ones((1, 2)), "b1": np.zeros(1), "V": np.array([[2.0, -2.0]]),
    ...      "b2": np.array([-1.0, 1.0])}
    >>> predict([[1.0, 1.0], [-1.0, -1.0]], p)
    array([0, 1])
    """
    return np.argmax(forward(X, params)["Y_hat"], axis=1)


def accuracy(X: Any, y: Any, params: Params) -> float:
    """The fraction of rows whose predicted class equals the label y (integers 0/1).

    Examples
    --------
    >>> p = {"w": np.ones((1, 2)), "b1": np.zeros(1), "V": np.array([[2.0, -2.0]]),
    ...      "b2": np.array([-1.0, 1.0])}
    >>> accuracy([[1.0, 1.0], [-1.0, -1.0]], [0, 0], p)
    0.5
    """
    return float(np.mean(predict(X, params) == np.asarray(y)))


# --- trivial baselines: what a model must beat ------------------------------------------


def fit_threshold(scores: Any, y: Any):
    """Fit the one-number classifier "label 1 when s·score > s·t" with the best t and s = ±1.

    Introduced in notebook ``06_replace-the-matrix-with-a-convolution`` (a trivial
    baseline). Every midpoint between sorted training scores is tried in both
    directions; the rule that labels the most training rows right wins.

    Parameters
    ----------
    scores : array_like, shape (m,)
        One number per training signal, e.g. its energy ``(X**2).sum(axis=1)``.
    y : array_like of 0/1, shape (m,)

    Returns
    -------
    callable
        ``predict(scores) -> labels`` (0/1 integers) for new scores.

    Examples
    --------
    >>> predict = fit_threshold([1.0, 2.0, 5.0, 6.0], [0, 0, 1, 1])
    >>> predict(np.array([0.0, 3.0, 4.0, 9.0]))
    array([0, 0, 1, 1])
    """
    s = as_float_array(scores, "scores", ndim=(1,))
    y = np.asarray(y)
    if y.shape != s.shape:
        raise ValueError(f"y must have the shape of scores, {s.shape}; got {y.shape}")
    cuts = np.unique(s)
    cuts = np.r_[cuts[0] - 1, (cuts[:-1] + cuts[1:]) / 2, cuts[-1] + 1]
    right = np.mean((s[:, None] > cuts) == (y[:, None] == 1), axis=0)  # one column per cut
    i = int(np.argmax(np.maximum(right, 1 - right)))
    sign = 1.0 if right[i] >= 1 - right[i] else -1.0
    return lambda new: (sign * np.asarray(new) > sign * cuts[i]).astype(int)


def fit_linear(F: Any, y: Any):
    """Fit a linear classifier by least squares: label 1 when [F, 1] @ c > 0.

    Introduced in notebook ``06_replace-the-matrix-with-a-convolution`` (a trivial
    baseline). c minimises the squared distance of [F, 1] @ c to the targets ±1
    (``np.linalg.lstsq``): one weight per feature and a bias, no iterations.

    Examples
    --------
    >>> predict = fit_linear([[0.0, 1.0], [1.0, 0.0], [0.0, 2.0], [2.0, 0.0]], [1, 0, 1, 0])
    >>> predict(np.array([[0.0, 3.0], [3.0, 0.0]]))
    array([1, 0])
    """
    F = as_float_array(F, "F", ndim=(2,))
    y = np.asarray(y)
    if y.shape != (len(F),):
        raise ValueError(f"y must have one label per row of F, shape {(len(F),)}; got {y.shape}")
    coef = np.linalg.lstsq(np.c_[F, np.ones(len(F))], 2.0 * (y == 1) - 1, rcond=None)[0]
    return lambda new: (np.c_[np.asarray(new, dtype=float), np.ones(len(new))] @ coef > 0
                        ).astype(int)


def fit_nearest(F: Any, y: Any):
    """Fit the nearest-neighbour classifier: copy the label of the closest training row.

    Introduced in notebook ``06_replace-the-matrix-with-a-convolution`` (a baseline that
    memorises instead of learning). Distances are Euclidean; ties go to the first row.

    Examples
    --------
    >>> predict = fit_nearest([[0.0, 0.0], [5.0, 5.0]], [0, 1])
    >>> predict(np.array([[1.0, 0.0], [4.0, 6.0]]))
    array([0, 1])
    """
    F = as_float_array(F, "F", ndim=(2,))
    y = np.asarray(y)
    if y.shape != (len(F),):
        raise ValueError(f"y must have one label per row of F, shape {(len(F),)}; got {y.shape}")
    return lambda new: y[np.argmin(((np.asarray(new, dtype=float)[:, None] - F[None]) ** 2
                                    ).sum(axis=2), axis=1)]
