"""Named kernels: the filters notebooks 03 and 05 slide over a photo and a signal.

Introduced in notebook 03_slide-a-kernel-over-an-image (2D) and
05_choose-valid-same-or-full (1D).
"""

from __future__ import annotations

import numpy as np


def _check_size(size: int, name: str = "size") -> int:
    if isinstance(size, bool) or not isinstance(size, int | np.integer):
        raise TypeError(f"{name} must be a positive integer; got {type(size).__name__}")
    if size < 1:
        raise ValueError(f"{name} must be a positive integer; got {size}")
    return int(size)


def moving_average(size: int) -> np.ndarray:
    """A 1D box kernel of ``size`` equal weights that sum to 1.

    Examples
    --------
    >>> moving_average(4)
    array([0.25, 0.25, 0.25, 0.25])
    """
    size = _check_size(size)
    return np.full(size, 1.0 / size)


def gaussian_1d(size: int, sigma: float) -> np.ndarray:
    """A 1D Gaussian kernel of odd ``size``, centred, normalised to sum 1.

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
