"""Losses against the course's formulas and numpy, and the optimizers' update rules."""

from __future__ import annotations

import warnings

import numpy as np
import pytest

from tinygrad_course import ShapeError, Tensor, gradcheck
from tinygrad_course.losses import (
    binary_cross_entropy,
    binary_cross_entropy_with_logits,
    mse,
    softmax_cross_entropy,
)
from tinygrad_course.optim import SGD, Adam, Momentum, make_optimizer

rng = np.random.default_rng(0)
A_NP = rng.uniform(0.05, 0.95, size=(1, 7))
Y_NP = (rng.uniform(size=(1, 7)) > 0.5).astype(np.float64)


def course_cost(A: np.ndarray, Y: np.ndarray) -> float:
    m = Y.shape[1]
    return float(-1 / m * np.sum(Y * np.log(A) + (1 - Y) * np.log(1 - A)))


def test_bce_is_the_course_cost_and_its_gradient() -> None:
    A = Tensor(A_NP, requires_grad=True)
    J = binary_cross_entropy(A, Y_NP)
    assert J.item() == pytest.approx(course_cost(A_NP, Y_NP), rel=1e-15)
    J.backward()
    # The course's dAL = -(Y/AL - (1-Y)/(1-AL)), divided by m because J averages.
    np.testing.assert_allclose(A.grad, -(Y_NP / A_NP - (1 - Y_NP) / (1 - A_NP)) / 7)


def test_bce_through_sigmoid_gives_dz_equal_a_minus_y() -> None:
    Z = Tensor(rng.normal(size=(1, 5)), requires_grad=True)
    Y = np.array([[1.0, 0.0, 1.0, 1.0, 0.0]])
    binary_cross_entropy(Z.sigmoid(), Y).backward()
    np.testing.assert_allclose(Z.grad, (Z.sigmoid().data - Y) / 5, rtol=1e-12)


def test_bce_safe_at_zero_and_one() -> None:
    A = Tensor([[0.0, 1.0, 1.0, 0.0]], requires_grad=True)
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # no divide-by-zero RuntimeWarning either
        J = binary_cross_entropy(A, [[1, 0, 1, 0]])
        J.backward()
    assert np.isfinite(J.item()) and J.item() > 10
    assert np.all(np.isfinite(A.grad))
    perfect = binary_cross_entropy(Tensor([[0.0, 1.0]]), [[0, 1]])
    assert 0 <= perfect.item() < 1e-12


def test_bce_float32_stays_float32() -> None:
    J = binary_cross_entropy(Tensor(A_NP.astype(np.float32)), Y_NP)
    assert J.dtype == np.float32


def test_bce_shape_errors_name_the_convention() -> None:
    with pytest.raises(ShapeError, match=r"\(n_y, m\).*reshape Y"):
        binary_cross_entropy(Tensor(A_NP), Y_NP.ravel())
    with pytest.raises(ShapeError, match="labels Y have shape"):
        binary_cross_entropy(Tensor(A_NP), Y_NP.T)


def test_bce_with_logits_matches_and_is_stable() -> None:
    Z = rng.normal(size=(1, 7)) * 3
    expected = course_cost(1 / (1 + np.exp(-Z)), Y_NP)
    assert binary_cross_entropy_with_logits(Tensor(Z), Y_NP).item() == pytest.approx(expected)
    big = Tensor([[800.0, -800.0]], requires_grad=True)
    J = binary_cross_entropy_with_logits(big, [[0.0, 1.0]])
    assert J.item() == pytest.approx(800.0)
    J.backward()
    np.testing.assert_allclose(big.grad, [[0.5, -0.5]])
    result = gradcheck(lambda z: binary_cross_entropy_with_logits(z, Y_NP),
                       Tensor(Z, requires_grad=True))
    assert result.passed, result


def test_mse_is_half_squared_error() -> None:
    A = Tensor(A_NP, requires_grad=True)
    J = mse(A, Y_NP)
    assert J.item() == pytest.approx(np.mean(0.5 * (A_NP - Y_NP) ** 2))
    J.backward()
    np.testing.assert_allclose(A.grad, (A_NP - Y_NP) / 7)


def test_softmax_cross_entropy_labels_and_one_hot() -> None:
    Z = rng.normal(size=(3, 6))
    labels = np.array([0, 2, 1, 1, 0, 2])
    onehot = np.eye(3)[:, labels]
    logp = Z - np.log(np.exp(Z).sum(axis=0, keepdims=True))
    expected = -np.mean(logp[labels, np.arange(6)])
    for Y in (labels, labels.reshape(1, 6), onehot):
        assert softmax_cross_entropy(Tensor(Z), Y).item() == pytest.approx(expected)
    Zt = Tensor(Z, requires_grad=True)
    softmax_cross_entropy(Zt, labels).backward()
    p = np.exp(logp)
    np.testing.assert_allclose(Zt.grad, (p - onehot) / 6, atol=1e-12)


def test_softmax_cross_entropy_errors() -> None:
    Z = Tensor(np.zeros((3, 4)))
    with pytest.raises(ValueError, match=r"labels must lie in 0..2"):
        softmax_cross_entropy(Z, [0, 1, 2, 3])
    with pytest.raises(ShapeError, match="expected one-hot"):
        softmax_cross_entropy(Z, np.zeros((4, 3)))
    with pytest.raises(ShapeError, match=r"\(C, m\)"):
        softmax_cross_entropy(Tensor(np.zeros(3)), [0])
    with pytest.raises(ValueError, match="whole numbers"):
        softmax_cross_entropy(Z, [0.5, 1, 2, 0])


# --- optimizers ------------------------------------------------------------------------------
def quadratic_grad(p: Tensor, target: np.ndarray) -> np.ndarray:
    p.grad = None
    d = p - target
    (d * d).sum().backward()
    return np.asarray(p.grad).copy()


TARGET = np.array([[1.0, -2.0, 3.0]])


def test_sgd_is_the_course_update() -> None:
    p = Tensor(np.zeros((1, 3)), requires_grad=True)
    opt = SGD([p], lr=0.1)
    w = np.zeros((1, 3))
    for _ in range(5):
        quadratic_grad(p, TARGET)
        opt.step()
        w = w - 0.1 * 2 * (w - TARGET)
    np.testing.assert_allclose(p.data, w)
    opt.zero_grad()
    assert p.grad is None


def test_momentum_matches_course_two() -> None:
    p = Tensor(np.zeros((1, 3)), requires_grad=True)
    opt = Momentum([p], lr=0.1, beta=0.9)
    w, v = np.zeros((1, 3)), np.zeros((1, 3))
    for _ in range(5):
        quadratic_grad(p, TARGET)
        opt.step()
        v = 0.9 * v + 0.1 * 2 * (w - TARGET)
        w = w - 0.1 * v
    np.testing.assert_allclose(p.data, w)


def test_adam_matches_course_two_and_converges() -> None:
    p = Tensor(np.zeros((1, 3)), requires_grad=True)
    opt = Adam([p], lr=0.1)
    w, v, s = np.zeros((1, 3)), np.zeros((1, 3)), np.zeros((1, 3))
    for t in range(1, 6):
        quadratic_grad(p, TARGET)
        opt.step()
        g = 2 * (w - TARGET)
        v = 0.9 * v + 0.1 * g
        s = 0.999 * s + 0.001 * g ** 2
        w = w - 0.1 * (v / (1 - 0.9 ** t)) / (np.sqrt(s / (1 - 0.999 ** t)) + 1e-8)
    np.testing.assert_allclose(p.data, w)
    for _ in range(500):
        quadratic_grad(p, TARGET)
        opt.step()
    np.testing.assert_allclose(p.data, TARGET, atol=1e-3)


def test_optimizer_skips_parameters_without_gradient() -> None:
    p, q = (Tensor([1.0], requires_grad=True) for _ in range(2))
    (p * 3).backward()
    for opt in (SGD([p, q], 0.1), Momentum([p, q], 0.1), Adam([p, q], 0.1)):
        opt.step()
    assert q.data.tolist() == [1.0] and p.data[0] < 1.0


@pytest.mark.parametrize("make", [lambda ps: SGD(ps, lr=0.1), lambda ps: Momentum(ps, lr=0.1),
                                  lambda ps: Adam(ps, lr=0.1)], ids=["sgd", "momentum", "adam"])
def test_a_graph_recorded_before_an_optimizer_step_refuses_backward(make: object) -> None:
    # The step changes w in place: a cost recorded before it would differentiate the old
    # values against the new ones (a quiet wrong gradient); it is refused instead.
    w = Tensor(np.array([1.0, 2.0]), requires_grad=True)
    J_old = (w * w).sum()
    J = (w * w).sum()
    J.backward()
    make([w]).step()  # type: ignore[operator]
    with pytest.raises(RuntimeError, match="changed in place"):
        J_old.backward()
    w.grad = None
    (w * w).sum().backward()  # a graph recorded after the step is fine
    assert w.grad.tolist() == (2 * w.data).tolist()


def test_optimizer_validation() -> None:
    p = Tensor([1.0], requires_grad=True)
    with pytest.raises(ValueError, match="positive number"):
        SGD([p], lr=0)
    with pytest.raises(ValueError, match="no parameters"):
        SGD([], lr=0.1)
    with pytest.raises(TypeError, match="leaf Tensors"):
        SGD([p * 2], lr=0.1)
    with pytest.raises(ValueError, match="beta must be in"):
        Momentum([p], 0.1, beta=1.0)
    with pytest.raises(ValueError, match="beta2"):
        Adam([p], 0.1, beta2=1.5)
    assert isinstance(make_optimizer("adam", [p], 0.1), Adam)
    opt = SGD([p], 0.1)
    assert make_optimizer(opt, [p], 0.5) is opt
    with pytest.raises(ValueError, match="unknown optimizer 'rmsprop'"):
        make_optimizer("rmsprop", [p], 0.1)
    assert "SGD(lr=0.1" in repr(opt)


def test_prepared_bce_equals_bce_and_checks_shape() -> None:
    from tinygrad_course.losses import binary_cross_entropy_for
    J = binary_cross_entropy_for(Tensor(Y_NP), like=Tensor(A_NP))
    assert J(Tensor(A_NP)).item() == binary_cross_entropy(Tensor(A_NP), Y_NP).item()
    with pytest.raises(ShapeError, match=r"output has shape \(1, 3\)"):
        J(Tensor(np.full((1, 3), 0.5)))
