"""Core engine behaviour: the seed example, accumulation, modes, higher order, deep graphs."""

from __future__ import annotations

import threading

import numpy as np
import pytest

from tinygrad_course import (
    Tensor,
    concatenate,
    enable_grad,
    grad,
    is_grad_enabled,
    maximum,
    no_grad,
    stack,
    value_and_grad,
    where,
)
from tinygrad_course.datasets.graphs import seed_graph


def test_seed_example_values_and_gradients() -> None:
    a, b, c, d, e = seed_graph().values()
    assert (c.item(), d.item(), e.item()) == (3.0, 2.0, 6.0)
    e.backward()
    assert (a.grad, b.grad, c.grad, d.grad) == (2.0, 5.0, 2.0, 3.0)
    assert e.grad == 1.0
    assert c.op is not None and c.op.name == "add" and c.parents == (a, b)
    assert a.is_leaf and not c.is_leaf


def test_leaves_accumulate_intermediates_recomputed() -> None:
    a, b, c, d, e = seed_graph().values()
    e.backward()
    e.backward()
    assert (a.grad, b.grad) == (4.0, 10.0)  # PyTorch semantics for leaves
    assert (c.grad, d.grad) == (2.0, 3.0)   # the same as after one backward
    a.zero_grad()
    assert a.grad is None


def test_fan_out_and_diamond() -> None:
    x = Tensor(3.0, requires_grad=True)
    y = x * x + x          # x used three times
    y.backward()
    assert x.grad == 7.0
    w = Tensor([1.0, 2.0], requires_grad=True)
    top = w.exp()
    left, right = top * 2, top * 3
    (left + right).sum().backward()
    np.testing.assert_allclose(w.grad, 5 * np.exp([1.0, 2.0]))


def test_broadcast_gradients_reduce_to_parent_shape() -> None:
    W = Tensor(np.ones((4, 3)), requires_grad=True)
    A = Tensor(np.arange(15.0).reshape(3, 5))
    b = Tensor(np.zeros((4, 1)), requires_grad=True)
    s = Tensor(2.0, requires_grad=True)
    ((W @ A + b) * s).sum().backward()
    assert W.grad.shape == (4, 3) and b.grad.shape == (4, 1) and s.grad.shape == ()
    np.testing.assert_allclose(b.grad, np.full((4, 1), 10.0))
    assert A.grad is None  # the data matrix gets no gradient: none was asked for


def test_no_gradient_work_for_inputs_that_need_none() -> None:
    # A private copy of matmul whose rules report their calls; the registry is not touched.
    from tinygrad_course.engine.ops import Op, linalg
    from tinygrad_course.engine.record import apply
    calls: list[int] = []
    vjp_a, vjp_b = linalg.MATMUL.vjps
    spy = Op("spy_matmul", "@", np.matmul,
             (lambda *a: calls.append(0) or vjp_a(*a), lambda *a: calls.append(1) or vjp_b(*a)),
             linalg.MATMUL.rules)
    W = Tensor(np.ones((2, 3)), requires_grad=True)
    X = Tensor(np.ones((3, 4)))   # the data matrix: no requires_grad
    apply(spy, (W, X)).sum().backward()
    assert calls == [0]  # dW computed, dX never
    assert X.grad is None
    np.testing.assert_array_equal(W.grad, np.full((2, 3), 4.0))
    assert "spy_matmul" not in __import__("tinygrad_course").REGISTRY


def test_backward_errors() -> None:
    t = Tensor([1.0, 2.0])
    with pytest.raises(RuntimeError, match="does not require grad"):
        t.sum().backward()
    w = Tensor([1.0, 2.0], requires_grad=True)
    with pytest.raises(RuntimeError, match="non-scalar"):
        (w * 2).backward()
    with pytest.raises(ValueError, match="shape"):
        (w * 2).backward(gradient=np.ones(3))
    (w * 2).backward(gradient=np.array([1.0, 10.0]))
    np.testing.assert_allclose(w.grad, [2.0, 20.0])


def test_no_grad_context_decorator_and_threads() -> None:
    w = Tensor(1.0, requires_grad=True)
    with no_grad():
        assert not is_grad_enabled()
        assert not (w * 2).requires_grad
        with enable_grad():
            assert (w * 2).requires_grad
    assert is_grad_enabled()

    @no_grad()
    def f(x: Tensor) -> Tensor:
        return x * 3

    assert not f(w).requires_grad and (w * 3).requires_grad
    seen = []
    with no_grad():
        th = threading.Thread(target=lambda: seen.append(is_grad_enabled()))
        th.start()
        th.join()
    assert seen == [True]  # the flag is per thread


def test_detach_cuts_the_graph() -> None:
    w = Tensor([1.0, 2.0], requires_grad=True)
    d = (w * 2).detach()
    assert not d.requires_grad and d.is_leaf
    y = (w * d).sum()
    y.backward()
    np.testing.assert_allclose(w.grad, [2.0, 4.0])


def test_second_derivative_of_tanh_and_hvp() -> None:
    x = Tensor(0.5, requires_grad=True)
    x.tanh().backward(create_graph=True)
    first = x.grad
    assert isinstance(first, Tensor)
    np.testing.assert_allclose(first.item(), 1 - np.tanh(0.5) ** 2)
    x.zero_grad()
    first.backward()
    t = np.tanh(0.5)
    np.testing.assert_allclose(x.grad.item(), -2 * t * (1 - t * t))
    # Hessian-vector product of f(w) = sum(w**3): H = diag(6w), so Hv = 6 w v
    w = Tensor([1.0, 2.0, 3.0], requires_grad=True)
    v = np.array([1.0, 0.5, -1.0])
    (w ** 3).sum().backward(create_graph=True)
    g = w.grad
    w.zero_grad()
    (g * v).sum().backward()
    np.testing.assert_allclose(w.grad, 6 * np.array([1.0, 2.0, 3.0]) * v)


def test_functional_grad() -> None:
    f = lambda w, x: ((w @ x).sigmoid()).sum()  # noqa: E731
    w, x = np.array([[0.1, -0.2]]), np.array([[1.0], [2.0]])
    gw = grad(f)(w, x)
    s = 1 / (1 + np.exp(-(w @ x)))
    np.testing.assert_allclose(gw, (s * (1 - s)) @ x.T)
    value, (_, gx) = value_and_grad(f, argnums=(0, 1))(w, x)
    np.testing.assert_allclose(value, s.sum())
    np.testing.assert_allclose(gx, w.T @ (s * (1 - s)))
    d3 = grad(grad(grad(lambda t: t ** 4)))
    assert float(np.asarray(d3(2.0))) == pytest.approx(24 * 2.0)


def test_deep_chain_is_iterative() -> None:
    x = Tensor(np.ones((2, 2)), requires_grad=True)
    y = x
    for _ in range(200_000):
        y = y * 1.0
    y.sum().backward()
    np.testing.assert_allclose(x.grad, np.ones((2, 2)))


@pytest.mark.slow
def test_million_op_chain() -> None:
    x = Tensor(np.ones((4, 4)), requires_grad=True)
    y = x
    for _ in range(1_000_000):
        y = y + 1.0
    y.sum().backward()
    np.testing.assert_allclose(x.grad, np.ones((4, 4)))


def test_indexing_accumulates_repeated_indices() -> None:
    x = Tensor(np.arange(5.0), requires_grad=True)
    x[[0, 0, 3]].sum().backward()
    np.testing.assert_allclose(x.grad, [2.0, 0, 0, 1.0, 0])
    m = Tensor(np.ones((3, 4)), requires_grad=True)
    m[1:, ::2].sum().backward()
    assert m.grad.sum() == 4.0
    assert x[Tensor([4, 1])].data.tolist() == [4.0, 1.0]  # a Tensor of whole numbers indexes
    with pytest.raises(TypeError, match="integers"):
        x[Tensor([0.5])]


def test_module_level_functions() -> None:
    a = Tensor([1.0, 5.0], requires_grad=True)
    b = Tensor([3.0, 2.0], requires_grad=True)
    maximum(a, b).sum().backward()
    np.testing.assert_allclose(a.grad, [0.0, 1.0])
    np.testing.assert_allclose(b.grad, [1.0, 0.0])
    c = concatenate([a, b])
    assert c.shape == (4,)
    s = stack([a, b], axis=1)
    assert s.shape == (2, 2)
    w = where(np.array([True, False]), a, b)
    np.testing.assert_allclose(w.data, [1.0, 2.0])


def test_one_no_grad_object_reused_and_nested_restores_recording() -> None:
    # Issue 11 item 8: keeping one no_grad() and entering it twice (nested or in turn) left
    # recording off after the outer block.
    w = Tensor(1.0, requires_grad=True)
    quiet = no_grad()
    with quiet:
        with quiet:
            assert not is_grad_enabled()
        assert not is_grad_enabled()
    assert is_grad_enabled() and (w * 2).requires_grad
    for _ in range(2):
        with quiet:
            assert not (w * 2).requires_grad
        assert is_grad_enabled()

    @quiet
    def frozen() -> bool:
        with quiet:
            return (w * 2).requires_grad
    assert frozen() is False and is_grad_enabled()
