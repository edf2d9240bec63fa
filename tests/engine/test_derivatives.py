"""jacobian, hessian, hvp and has_aux, checked against closed forms from the course and
against central differences."""

from __future__ import annotations

import numpy as np
import pytest

import tinygrad_course as tc
from tinygrad_course import Tensor, hessian, hvp, jacobian

RNG = np.random.default_rng(3)
X = RNG.standard_normal((3, 5))          # n_x = 3 features, m = 5 examples (columns)
Y = (RNG.random((1, 5)) > 0.5).astype(float)


def logistic_cost(w: Tensor) -> Tensor:
    """The course's J(w) with b = 0, written with numpy functions on a Tensor."""
    A = 1 / (1 + np.exp(-np.dot(np.reshape(w, (1, 3)), X)))
    return -np.sum(Y * np.log(A) + (1 - Y) * np.log(1 - A)) / X.shape[1]


def test_hessian_of_the_logistic_cost_is_x_diag_a_one_minus_a_xt_over_m() -> None:
    w = RNG.standard_normal(3)
    a = 1 / (1 + np.exp(-(w @ X)))
    expected = X @ np.diag(a * (1 - a)) @ X.T / X.shape[1]
    H = hessian(logistic_cost)(w)
    np.testing.assert_allclose(H, expected, rtol=1e-10, atol=1e-12)
    np.testing.assert_allclose(H, H.T, atol=1e-14)


def test_hvp_is_the_hessian_times_v_without_forming_it() -> None:
    w, v = RNG.standard_normal(3), RNG.standard_normal(3)
    np.testing.assert_allclose(hvp(logistic_cost, w, v), hessian(logistic_cost)(w) @ v,
                               rtol=1e-10, atol=1e-12)
    with pytest.raises(ValueError, match="shape"):
        hvp(logistic_cost, w, np.ones(4))


def test_jacobian_layout_and_values() -> None:
    W = RNG.standard_normal((4, 3))
    x = RNG.standard_normal((3, 2))
    J = jacobian(lambda x: np.dot(W, x))(x)          # d (W x)[i, k] / d x[j, l] = W[i, j] δkl
    assert J.shape == (4, 2, 3, 2)
    np.testing.assert_allclose(J, np.einsum("ij,kl->ikjl", W, np.eye(2)))
    Jw, Jx = jacobian(lambda W, x: np.tanh(W @ x), argnums=(0, 1))(W, x)
    assert Jw.shape == (4, 2, 4, 3) and Jx.shape == (4, 2, 3, 2)
    eps = 1e-6
    for idx in np.ndindex(x.shape):  # central differences, one input entry at a time
        d = np.zeros_like(x)
        d[idx] = eps
        col = (np.tanh(W @ (x + d)) - np.tanh(W @ (x - d))) / (2 * eps)
        np.testing.assert_allclose(Jx[(...,) + idx], col, rtol=1e-6, atol=1e-9)


def test_jacobian_nests_inside_grad() -> None:
    x = np.array([0.5, -1.0, 2.0])
    # sum of the Jacobian's diagonal of x³ is Σ 3x²; its gradient is 6x
    g = tc.grad(lambda x: jacobian(lambda y: y ** 3)(x).sum())(x)
    np.testing.assert_allclose(np.asarray(g), 6 * x)


def test_float32_stays_float32() -> None:
    w = np.float32([0.1, -0.2, 0.3])
    f = lambda w: (np.tanh(w) ** 2).sum()  # noqa: E731
    assert hessian(f)(w).dtype == np.float32
    assert jacobian(np.tanh)(w).dtype == np.float32
    assert hvp(f, w, np.ones(3)).dtype == np.float32


def test_has_aux_returns_the_aux_alongside() -> None:
    def cost_and_predictions(w: Tensor) -> tuple[Tensor, np.ndarray]:
        A = 1 / (1 + np.exp(-np.dot(np.reshape(w, (1, 3)), X)))
        J = -np.sum(Y * np.log(A) + (1 - Y) * np.log(1 - A)) / X.shape[1]
        return J, A.data > 0.5
    w = RNG.standard_normal(3)
    g, preds = tc.grad(cost_and_predictions, has_aux=True)(w)
    np.testing.assert_allclose(g, tc.grad(logistic_cost)(w))
    assert preds.shape == (1, 5) and preds.dtype == bool
    (v, preds2), g2 = tc.value_and_grad(cost_and_predictions, has_aux=True)(w)
    assert float(v) == pytest.approx(float(logistic_cost(Tensor(w)).item()))
    np.testing.assert_array_equal(preds, preds2)
    np.testing.assert_allclose(g2, g)
    with pytest.raises(TypeError, match="pair"):
        tc.grad(logistic_cost, has_aux=True)(w)


def test_argnums_tuple_gives_one_gradient_per_argument() -> None:
    gx, gy = tc.grad(lambda x, y: (x * y * y).sum(), argnums=(0, 1))(2.0, 3.0)
    assert (float(gx), float(gy)) == (9.0, 12.0)
