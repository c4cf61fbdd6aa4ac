"""Central differences and the relative error, on functions whose gradients we know."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from hypothesis.extra.numpy import array_shapes, arrays

from helpers.gradcheck import check_gradients, numerical_gradient, relative_error
from helpers.network import init_params

moderate = st.floats(-10, 10, allow_nan=False)


@given(arrays(np.float64, array_shapes(min_dims=0, max_dims=3, max_side=4), elements=moderate))
def test_gradient_of_sum_of_squares_is_two_x(x):
    original = x.copy()
    grad = numerical_gradient(lambda v: np.sum(v**2), x)
    assert grad.shape == x.shape
    np.testing.assert_allclose(grad, 2 * x, atol=1e-6)
    np.testing.assert_array_equal(x, original)  # restored exactly


def test_gradient_of_known_functions():
    rng = np.random.default_rng(1)
    x, a = rng.normal(size=(3, 2)), rng.normal(size=(3, 2))
    assert relative_error(numerical_gradient(lambda v: np.sum(a * v), x), a) < 1e-9
    assert relative_error(numerical_gradient(lambda v: np.sum(np.sin(v)), x), np.cos(x)) < 1e-9
    M = rng.normal(size=(3, 3))  # f(x) = x^T M x  ->  (M + M^T) x
    v = rng.normal(size=3)
    assert relative_error(numerical_gradient(lambda u: u @ M @ u, v), (M + M.T) @ v) < 1e-9


def test_x_is_restored_even_when_f_raises():
    x = np.array([1.0, 2.0])

    def f(v):
        if v[0] != 1.0:
            raise RuntimeError("boom")
        return float(v.sum())

    with pytest.raises(RuntimeError, match="boom"):
        numerical_gradient(f, x)
    np.testing.assert_array_equal(x, [1.0, 2.0])


def test_f_may_read_x_through_a_closure():
    W = np.array([[1.0, 2.0], [3.0, 4.0]])
    grad = numerical_gradient(lambda _: float(np.sum(W**3)), W)
    np.testing.assert_allclose(grad, 3 * W**2, rtol=1e-9)


@pytest.mark.parametrize("x", [np.array([1, 2]), [1.0, 2.0], np.array([1.0], np.float32)])
def test_x_must_be_a_float64_array(x):
    with pytest.raises(TypeError, match="x must be a float64 numpy array"):
        numerical_gradient(lambda v: 0.0, x)


def test_f_must_return_a_scalar_and_h_must_be_positive():
    with pytest.raises(ValueError, match="f must return a real scalar"):
        numerical_gradient(lambda v: v * 2, np.ones(2))
    with pytest.raises(ValueError, match="h must be a positive"):
        numerical_gradient(lambda v: 0.0, np.ones(2), h=0.0)


def test_relative_error_examples():
    assert relative_error(np.array([1.0, 2.0]), np.array([1.0, 2.0])) == 0.0
    # max|a-b| = 0.1, max(|a|+|b|) = 4.1
    assert relative_error(np.array([1.0, 2.0]), np.array([1.0, 2.1])) == pytest.approx(0.1 / 4.1)
    assert relative_error(np.array([1.0]), np.array([-1.0])) == 1.0  # opposite signs: maximal
    assert relative_error(0.0, 1e-12) == pytest.approx(1e-4)  # the 1e-8 floor
    assert relative_error(3.0, 3.0 + 3e-9) == pytest.approx(3e-9 / 6, rel=1e-6)


@given(arrays(np.float64, 5, elements=moderate), arrays(np.float64, 5, elements=moderate))
def test_relative_error_is_symmetric_and_between_0_and_1(a, b):
    err = relative_error(a, b)
    assert err == relative_error(b, a)
    assert 0.0 <= err <= 1.0


def test_relative_error_refuses_to_broadcast():
    with pytest.raises(ValueError, match="same shape"):
        relative_error(np.ones(3), np.ones((3, 1)))


@pytest.mark.parametrize("seed", range(3))
def test_check_gradients_reports_tiny_errors_for_backward(seed):
    rng = np.random.default_rng(seed)
    X, Y = rng.normal(size=(7, 3)), np.eye(2)[rng.integers(0, 2, 7)]
    errors = check_gradients(X, Y, init_params(seed=seed))
    assert set(errors) == {"W", "b1", "V", "b2"}
    assert max(errors.values()) < 1e-7
