"""Named kernels: the filters notebooks 03 and 05 slide over a photo and a signal.

Introduced in notebook 03_slide-a-kernel-over-an-image (2D) and
05_choose-valid-same-or-full (1D). Notebook 03 also learns a kernel from examples
(:func:`fit_kernel`), with the gradient of :func:`kernel_loss_and_gradient`.
"""

from __future__ import annotations

from typing import Any

import numpy as np


def _check_size(size: int, name: str = "size") -> int:
    if isinstance(size, bool) or not isinstance(size, int | np.integer):
        raise TypeError(f"{name} must be a positive integer; got {type(size).__name__}")
    if size < 1:
        raise ValueError(f"{name} must be a positive integer; got {size}")
    return int(size)


def moving_average(size: int) -> np.ndarray:
    """A 1D box kernel of ``size`` equal weights that sum to 1.

    Introduced in notebook ``05_choose-valid-same-or-full``.

    Examples
    --------
    >>> moving_average(4)
    array([0.25, 0.25, 0.25, 0.25])
    """
    size = _check_size(size)
    return np.full(size, 1.0 / size)


def gaussian_1d(size: int, sigma: float) -> np.ndarray:
    """A 1D Gaussian kernel of odd ``size``, centred, normalised to sum 1.

    Introduced in notebook ``05_choose-valid-same-or-full``.

    Examples
    --------
    >>> gaussian_1d(5, 1.0).round(4)
    array([0.0545, 0.2442, 0.4026, 0.2442, 0.0545])
    """
    size = _check_size(size)
    if size % 2 == 0:
        raise ValueError(f"size must be odd so the kernel has a centre; got {size}")
    if not np.isfinite(sigma) or sigma <= 0:
        raise ValueError(f"sigma must be a positive number; got {sigma}")
    t = np.arange(size) - size // 2
    g = np.exp(-0.5 * (t / sigma) ** 2)
    return g / g.sum()


def box_blur(size: int = 3) -> np.ndarray:
    """A ``size``×``size`` box blur: the mean of the window.

    Examples
    --------
    >>> box_blur(3).sum()
    np.float64(1.0)
    """
    size = _check_size(size)
    return np.full((size, size), 1.0 / size**2)


def gaussian_blur(size: int = 5, sigma: float = 1.0) -> np.ndarray:
    """A ``size``×``size`` Gaussian blur: the outer product of two 1D Gaussians.

    Examples
    --------
    >>> gaussian_blur(3, 1.0).round(3)
    array([[0.075, 0.124, 0.075],
           [0.124, 0.204, 0.124],
           [0.075, 0.124, 0.075]])
    """
    g = gaussian_1d(size, sigma)
    return np.outer(g, g)


def sharpen() -> np.ndarray:
    """The 3×3 sharpen kernel: the pixel, plus its difference from its 4 neighbours.

    Examples
    --------
    >>> sharpen()
    array([[ 0., -1.,  0.],
           [-1.,  5., -1.],
           [ 0., -1.,  0.]])
    """
    return np.array([[0.0, -1.0, 0.0], [-1.0, 5.0, -1.0], [0.0, -1.0, 0.0]])


def sobel_x() -> np.ndarray:
    """The Sobel kernel for horizontal change, written for cross-correlation.

    Correlating with it gives (right − left), so it responds to vertical edges.

    Examples
    --------
    >>> sobel_x()
    array([[-1.,  0.,  1.],
           [-2.,  0.,  2.],
           [-1.,  0.,  1.]])
    """
    return np.array([[-1.0, 0.0, 1.0], [-2.0, 0.0, 2.0], [-1.0, 0.0, 1.0]])


def sobel_y() -> np.ndarray:
    """The Sobel kernel for vertical change (bottom − top): the transpose of :func:`sobel_x`.

    Examples
    --------
    >>> sobel_y()
    array([[-1., -2., -1.],
           [ 0.,  0.,  0.],
           [ 1.,  2.,  1.]])
    """
    return sobel_x().T


def image_filters() -> dict[str, np.ndarray]:
    """The five filters of notebook 03, by name, in the order the notebook shows them.

    Examples
    --------
    >>> list(image_filters())
    ['box blur', 'Gaussian blur', 'sharpen', 'Sobel x', 'Sobel y']
    """
    return {
        "box blur": box_blur(3),
        "Gaussian blur": gaussian_blur(5, 1.0),
        "sharpen": sharpen(),
        "Sobel x": sobel_x(),
        "Sobel y": sobel_y(),
    }


# --------------------------------------------------------------- learning a kernel


def _check_pairs(images: Any, targets: Any, kernel: np.ndarray) -> list[tuple[np.ndarray, ...]]:
    """The (image, target) pairs as float64 arrays; each target has the valid output shape."""
    if kernel.ndim != 2 or 0 in kernel.shape:
        raise ValueError(f"kernel must be a non-empty 2D array; got shape {kernel.shape}")
    images, targets = list(images), list(targets)
    if not images or len(images) != len(targets):
        raise ValueError(f"images and targets must be non-empty and of equal length; got "
                         f"{len(images)} and {len(targets)}")
    pairs = [(np.asarray(x, dtype=np.float64), np.asarray(y, dtype=np.float64))
             for x, y in zip(images, targets, strict=True)]
    for x, y in pairs:
        if x.ndim != 2:
            raise ValueError(f"images must be a sequence of 2D arrays; got one of shape {x.shape}")
        want = tuple(n - k + 1 for n, k in zip(x.shape, kernel.shape, strict=True))
        if y.shape != want or min(want) < 1:
            raise ValueError(f"targets must have the valid output shape {want} of an image of "
                             f"shape {x.shape} and a {kernel.shape} kernel; got {y.shape}")
    return pairs


def kernel_loss_and_gradient(kernel: Any, images: Any, targets: Any) -> tuple[float, np.ndarray]:
    """The squared error of ``correlate2d(x, kernel, 'valid')`` against the targets, and its gradient.

    Introduced in notebook ``03_slide-a-kernel-over-an-image``.

    With ŷ = x ⋆ k (valid cross-correlation, as a CNN layer computes) and m output pixels
    in all, the loss is C = Σ (ŷ − y)² / (2m). The error at the output is δ = (ŷ − y) / m.
    Every kernel weight is used at every position (the weights are *tied*), so its
    gradient adds δ ∘ (the input under that weight) over all positions:
    ∂C/∂k[u, v] = Σ_ij δ[i, j] · x[i + u, j + v], the valid correlation x ⋆ δ.

    Parameters
    ----------
    kernel : array_like, 2D
    images, targets : sequences of 2D arrays
        The pairs (x, y); each y has the valid output shape of x and the kernel.

    Returns
    -------
    (float, numpy.ndarray)
        The loss C and ∂C/∂kernel, an array of the kernel's shape.

    Examples
    --------
    >>> x = np.array([[1.0, 2.0, 0.0]])
    >>> loss, grad = kernel_loss_and_gradient([[1.0, 0.0]], [x], [[[0.0, 0.0]]])
    >>> float(loss), grad          # ŷ = [[1, 2]], δ = [[0.5, 1]]; x ⋆ δ = [[2.5, 1]]
    (1.25, array([[2.5, 1. ]]))
    """
    from helpers.conv import correlate2d

    kernel = np.asarray(kernel, dtype=np.float64)
    pairs = _check_pairs(images, targets, kernel)
    m = sum(y.size for _, y in pairs)
    loss, grad = 0.0, np.zeros_like(kernel)
    for x, y in pairs:
        delta = (correlate2d(x, kernel, "valid") - y) / m   # ∂C/∂ŷ
        loss += float(np.sum(delta * delta)) * m / 2
        grad += correlate2d(x, delta, "valid")               # input ⋆ δ
    return loss, grad


def fit_kernel(images: Any, targets: Any, kernel: Any, lr: float = 1.4,
               steps: int = 400) -> tuple[np.ndarray, np.ndarray]:
    """Learn a kernel from (image, target) pairs by plain gradient descent.

    Introduced in notebook ``03_slide-a-kernel-over-an-image``, where it recovers Sobel x
    from a random start. Each step is ``kernel -= lr * gradient``, with the gradient of
    :func:`kernel_loss_and_gradient`.

    Parameters
    ----------
    images, targets : sequences of 2D arrays
        The pairs (x, y); each y has the valid output shape of x and the kernel.
    kernel : array_like, 2D
        The starting kernel (not modified).
    lr : float, default 1.4
        The learning rate η.
    steps : int, default 400

    Returns
    -------
    (numpy.ndarray, numpy.ndarray)
        The learned kernel, and the loss before each step and after the last
        (``steps + 1`` values).

    Examples
    --------
    Two small copies of the photo (every 8th pixel) and their Sobel x responses:

    >>> from helpers.conv import correlate2d
    >>> from helpers.data import load_grace_hopper_gray
    >>> img = load_grace_hopper_gray()
    >>> images = [img[::8, ::8], img[4::8, 4::8]]
    >>> targets = [correlate2d(x, sobel_x(), "valid") for x in images]
    >>> start = np.random.default_rng(0).normal(size=(3, 3))
    >>> learned, losses = fit_kernel(images, targets, start)
    >>> learned.round(2) + 0.0      # + 0.0 turns a rounded -0.0 into 0.0
    array([[-1.,  0.,  1.],
           [-2.,  0.,  2.],
           [-1.,  0.,  1.]])
    >>> print(f"loss {losses[0]:.3f} -> {losses[-1]:.1e}, "
    ...       f"largest error {np.abs(learned - sobel_x()).max():.4f}")
    loss 0.772 -> 6.0e-08, largest error 0.0021
    """
    if isinstance(steps, bool) or not isinstance(steps, int | np.integer) or steps < 0:
        raise ValueError(f"steps must be a non-negative integer; got {steps!r}")
    if not np.isfinite(lr) or lr <= 0:
        raise ValueError(f"lr must be a positive number; got {lr!r}")
    kernel = np.array(kernel, dtype=np.float64)
    losses = np.empty(steps + 1)
    for step in range(steps + 1):
        losses[step], grad = kernel_loss_and_gradient(kernel, images, targets)
        if step < steps:
            kernel -= lr * grad
    return kernel, losses
