"""helpers.kernels: the named kernels, and learning a kernel by gradient descent (notebook 03)."""

from __future__ import annotations

import numpy as np
import pytest
from scipy import signal

from helpers.data import load_grace_hopper_gray
from helpers.gradcheck import numerical_gradient, relative_error
from helpers.kernels import fit_kernel, kernel_loss_and_gradient, sobel_x


def _pairs(seed: int = 1):
    rng = np.random.default_rng(seed)
    images = [rng.normal(size=(6, 7)), rng.normal(size=(5, 5))]
    kernel = rng.normal(size=(2, 3))
    targets = [rng.normal(size=(5, 5)), rng.normal(size=(4, 3))]
    return images, targets, kernel


def test_the_gradient_matches_central_differences():
    images, targets, kernel = _pairs()
    _, grad = kernel_loss_and_gradient(kernel, images, targets)
    numeric = numerical_gradient(lambda k: kernel_loss_and_gradient(k, images, targets)[0],
                                 kernel)
    assert relative_error(grad, numeric) < 1e-7


def test_the_loss_is_half_the_mean_squared_error_of_scipys_correlation():
    images, targets, kernel = _pairs()
    loss, _ = kernel_loss_and_gradient(kernel, images, targets)
    errors = [signal.correlate2d(x, kernel, "valid") - y for x, y in zip(images, targets,
                                                                          strict=True)]
    m = sum(e.size for e in errors)
    assert np.isclose(loss, sum(np.sum(e**2) for e in errors) / (2 * m))


def test_the_gradient_is_the_input_correlated_with_the_error():
    # tied weights: each weight's gradient adds δ ∘ (the input under it) over all positions
    images, targets, kernel = _pairs()
    _, grad = kernel_loss_and_gradient(kernel, images, targets)
    m = sum(y.size for y in targets)
    by_hand = np.zeros_like(kernel)
    for x, y in zip(images, targets, strict=True):
        delta = (signal.correlate2d(x, kernel, "valid") - y) / m
        for u, v in np.ndindex(kernel.shape):
            by_hand[u, v] += np.sum(delta * x[u:u + delta.shape[0], v:v + delta.shape[1]])
    assert np.allclose(grad, by_hand)


def test_fit_kernel_recovers_sobel_x_as_notebook_03_prints():
    img = load_grace_hopper_gray()
    images = [img[::8, ::8], img[4::8, 4::8]]
    targets = [signal.correlate2d(x, sobel_x(), "valid") for x in images]
    start = np.random.default_rng(0).normal(size=(3, 3))
    learned, losses = fit_kernel(images, targets, start, lr=1.4, steps=400)
    assert losses.shape == (401,) and np.all(np.diff(losses) < 0)
    assert f"{losses[0]:.3f}" == "0.772" and f"{losses[-1]:.1e}" == "6.0e-08"
    assert np.abs(learned - sobel_x()).max() < 0.003
    assert np.array_equal(start, np.random.default_rng(0).normal(size=(3, 3)))  # not modified


def test_zero_steps_returns_the_start_and_its_loss():
    images, targets, kernel = _pairs()
    learned, losses = fit_kernel(images, targets, kernel, steps=0)
    assert np.array_equal(learned, kernel) and losses.shape == (1,)


@pytest.mark.parametrize(("kwargs", "word"), [
    ({"steps": -1}, "steps"), ({"steps": 2.5}, "steps"), ({"lr": 0.0}, "lr"),
    ({"lr": float("nan")}, "lr")])
def test_bad_settings_raise_naming_the_argument(kwargs, word):
    images, targets, kernel = _pairs()
    with pytest.raises(ValueError, match=word):
        fit_kernel(images, targets, kernel, **kwargs)


def test_bad_pairs_raise_naming_the_argument():
    images, targets, kernel = _pairs()
    with pytest.raises(ValueError, match="targets"):
        kernel_loss_and_gradient(kernel, images, targets[::-1])
    with pytest.raises(ValueError, match="equal length"):
        kernel_loss_and_gradient(kernel, images, targets[:1])
    with pytest.raises(ValueError, match="kernel"):
        kernel_loss_and_gradient(np.ones(3), images, targets)
    with pytest.raises(ValueError, match="images must be a sequence of 2D arrays"):
        kernel_loss_and_gradient(kernel, np.ones((4, 7)), np.ones((4, 5)))   # not a list
