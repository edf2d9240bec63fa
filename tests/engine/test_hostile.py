"""Issue 11: no silent wrong gradient on paths a user can take - each case as reported."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tinygrad_course import (
    AnomalyError,
    Tensor,
    concatenate,
    detect_anomaly,
    grad,
    stack,
    where,
)

# --- 1. nested grad with closures -----------------------------------------------------------


def test_closed_over_variable_stays_in_the_outer_graph() -> None:
    f = lambda x: x * grad(lambda y: x * y)(2.0)  # noqa: E731  f(x) = x², f'(1) = 2
    assert float(grad(f)(1.0)) == 2.0


def test_gradient_penalty_is_120_as_in_jax() -> None:
    x0 = np.array([1.0, 2.0])
    penalty = grad(lambda w: (grad(lambda x: (w * x * x).sum())(x0) ** 2).sum())
    assert float(penalty(3.0)) == 120.0  # d/dw Σ (2 w x)² = 8 w Σ x² = 8·3·5


def test_no_perturbation_confusion() -> None:
    # d/dx [d/dy (x·y) at y = x] = d/dx x = 1 (not 2: the inner y is not the outer x)
    assert float(grad(lambda x: grad(lambda y: x * y)(x))(3.0)) == 1.0


def _closure_level(f: object, pattern: int) -> object:
    """One nesting level. Pattern 0: F' (grad of grad); 1: x·F'(x) through a closure over x;
    2: F'(x) + x computed by an inner grad whose function ignores its own argument but
    closes over x."""
    if pattern == 0:
        return grad(f)  # type: ignore[arg-type]
    if pattern == 1:
        return lambda x: grad(lambda y: x * f(y))(x)  # type: ignore[operator]
    return lambda x: grad(f)(x) + grad(lambda y: y * x)(1.0)  # type: ignore[arg-type]


def _closure_level_poly(p: np.poly1d, pattern: int) -> np.poly1d:
    if pattern == 0:
        return p.deriv()
    if pattern == 1:
        return np.poly1d([1.0, 0.0]) * p.deriv()
    return p.deriv() + np.poly1d([1.0, 0.0])


@settings(max_examples=30, deadline=None)
@given(coeffs=st.lists(st.integers(-3, 3), min_size=1, max_size=5),
       patterns=st.lists(st.integers(0, 2), min_size=1, max_size=3),
       x0=st.sampled_from([-1.5, -0.5, 0.5, 2.0]))
def test_nested_grad_matches_calculus_at_any_depth(coeffs: list[int], patterns: list[int],
                                                   x0: float) -> None:
    p = np.poly1d([float(c) for c in coeffs])
    f: object = lambda x: sum((float(c) * x ** k for k, c in enumerate(reversed(coeffs))),  # noqa: E731
                              Tensor(0.0))
    expected = p
    for pattern in patterns:
        f = _closure_level(f, pattern)
        expected = _closure_level_poly(expected, pattern)
    outer = grad(f)  # type: ignore[arg-type]
    np.testing.assert_allclose(float(outer(x0)), expected.deriv()(x0), rtol=1e-9, atol=1e-9)


# --- 2. boolean masks however wrapped -------------------------------------------------------


@pytest.mark.parametrize("wrap", [lambda m: m, lambda m: Tensor(m), lambda m: m.tolist(),
                                  lambda m: Tensor(m.tolist())])
def test_a_mask_means_the_same_however_wrapped(wrap: object) -> None:
    x = Tensor([5.0, 10.0, 20.0], requires_grad=True)
    y = x[wrap(x.data > 15)]  # type: ignore[operator]
    assert y.data.tolist() == [20.0]
    y.sum().backward()
    assert x.grad.tolist() == [0.0, 0.0, 1.0]


# --- 4. every leaf owns its .grad -----------------------------------------------------------


def test_two_parameters_never_share_a_gradient_array() -> None:
    x, x2 = Tensor([1.0, 2.0], requires_grad=True), Tensor([3.0, 4.0], requires_grad=True)
    ((x + x2) * 2).sum().backward()
    assert x.grad is not x2.grad
    x.grad[:] = 0  # clipping one in place leaves the other alone
    assert x2.grad.tolist() == [2.0, 2.0]


def test_a_leaf_and_the_tensor_made_from_it_do_not_share_a_gradient() -> None:
    x = Tensor([1.0, 2.0], requires_grad=True)
    y = x + 1.0
    y.sum().backward()
    assert x.grad is not y.grad and x.grad.flags.writeable


def test_grad_is_always_a_writable_array_even_after_a_second_backward() -> None:
    a = Tensor(1.0, requires_grad=True)
    (a * a).backward()
    (a * a).backward()  # accumulates, as PyTorch does for leaves
    assert isinstance(a.grad, np.ndarray) and a.grad.flags.writeable and a.grad == 4.0
    w = Tensor(np.ones((2, 3)), requires_grad=True)
    w.sum().backward()  # the rule returns a broadcast (read-only) view
    assert w.grad.flags.writeable and w.grad.base is None


# --- 6. pow at the edges, PyTorch's answers -------------------------------------------------


def test_zero_to_the_y_has_gradient_zero_in_y_first_and_second_order() -> None:
    y = Tensor([0.0, 1.0, 2.5], requires_grad=True)
    (0.0 ** y).sum().backward()
    assert y.grad.tolist() == [0.0, 0.0, 0.0]
    second = grad(lambda v: grad(lambda u: (0.0 ** u).sum())(v).sum())(np.array([1.0, 2.0]))
    assert np.asarray(second).tolist() == [0.0, 0.0]
    base = Tensor([0.0, 2.0])  # an array base too: 0 where the base is 0, log(2)·2^y else
    b = Tensor([2.0, 3.0], requires_grad=True)
    (base ** b).sum().backward()
    np.testing.assert_allclose(b.grad, [0.0, 8 * np.log(2.0)])


@pytest.mark.parametrize("exponent", [0.0, 0, "tensor"])
def test_x_to_the_zero_has_gradient_zero_even_at_zero(exponent: object) -> None:
    e = Tensor(0.0) if exponent == "tensor" else exponent
    x = Tensor([0.0, 2.0], requires_grad=True)
    (x ** e).sum().backward()  # type: ignore[operator]
    assert x.grad.tolist() == [0.0, 0.0]
    second = grad(lambda v: grad(lambda u: (u ** e).sum())(v).sum())(np.array([0.0, 2.0]))
    assert np.asarray(second).tolist() == [0.0, 0.0]


# --- 7. anomaly mode and the variadic ops ---------------------------------------------------


@pytest.mark.parametrize("join", [concatenate, stack])
def test_anomaly_names_the_input_of_concatenate_and_stack(join: object) -> None:
    a = Tensor([1.0, 2.0], requires_grad=True)
    with detect_anomaly():
        out = join([a, a])  # type: ignore[operator]
        with pytest.raises(AnomalyError, match="gradient of input 0"):
            out.backward(gradient=np.array([np.inf, 1, 1, 1]).reshape(out.shape))


# --- 8. small surprises, made right or loud -------------------------------------------------


def test_builtin_sum_over_a_list_of_tensors() -> None:
    x = Tensor(5.0, requires_grad=True)
    total = sum([x, Tensor(2.0)])
    assert total.item() == 7.0  # type: ignore[union-attr]
    total.backward()  # type: ignore[union-attr]
    assert x.grad == 1.0


@pytest.mark.parametrize("shape", [(3.7, 2), (3.0, 2), (True, 6)])
def test_reshape_refuses_sizes_that_are_not_whole_numbers(shape: tuple[object, ...]) -> None:
    with pytest.raises(TypeError, match="whole numbers"):
        Tensor(np.ones(6)).reshape(*shape)


def test_where_with_integer_constants_gives_floats() -> None:
    out = where(np.array([True, False]), 4, 2)
    assert out.dtype == np.float64 and out.data.tolist() == [4.0, 2.0]
    f32 = Tensor(np.ones(2, dtype=np.float32))
    assert where(np.array([True, False]), f32, 2).dtype == np.float32


def test_a_list_of_tensors_says_use_stack_or_keeps_constant_values() -> None:
    t1, t2 = Tensor(1.0, requires_grad=True), Tensor(2.0)
    with pytest.raises(TypeError, match="stack"):
        Tensor([t1, t2])
    assert Tensor([Tensor(1.0), t2]).data.tolist() == [1.0, 2.0]
    assert stack([t1, t2]).requires_grad


# --- 3. in-place change after recording -----------------------------------------------------


def test_in_place_update_after_recording_is_refused_at_backward_naming_tensor_and_op() -> None:
    from tinygrad_course import no_grad
    x = Tensor([3.0, 3.0], requires_grad=True, name="x")
    y = (x * x).sum()
    with no_grad():
        x -= 1.0
    with pytest.raises(RuntimeError, match=r"'x'.*'mul'.*changed in place"):
        y.backward()
    (x * x).sum().backward()  # a graph recorded after the change is fine
    assert x.grad.tolist() == [4.0, 4.0]


def test_writes_into_data_after_recording_are_caught_by_detect_anomaly() -> None:
    # Not detected by default (numpy gives no hook without a copy per op, see docs/engine.md);
    # detect_anomaly() re-runs each op's forward at backward and compares.
    x = Tensor([3.0, 3.0], requires_grad=True)
    with detect_anomaly():
        y = (x * x).sum()
        x.data[0] = 5.0
        with pytest.raises(AnomalyError, match=r"mul .*changed in place"):
            y.backward()
    X = np.ones((2, 3))
    W = Tensor(np.ones((1, 2)), requires_grad=True)
    with detect_anomaly():
        J = (W @ Tensor(X)).sum()  # Tensor(X) shares the caller's array
        X[0, 0] = 7.0
        with pytest.raises(AnomalyError, match="matmul"):
            J.backward()
        (W @ Tensor(X)).sum().backward()  # recomputed after the change: fine
    np.testing.assert_array_equal(W.grad, [[9.0, 3.0]])


def test_plus_equals_on_a_leaf_that_requires_grad_says_use_no_grad() -> None:
    from tinygrad_course import no_grad
    w = Tensor([1.0], requires_grad=True)
    with pytest.raises(RuntimeError, match="no_grad"):
        w += 1.0
    assert w.is_leaf
    (w * w).sum().backward()
    with no_grad():
        w -= 0.5 * w.grad  # the optimizer's update: in place, still the same leaf
    assert w.is_leaf and w.data.tolist() == [0.0]


def test_plus_equals_never_writes_a_callers_array() -> None:
    X = np.ones(2)
    t = Tensor(X)  # shares X (no gradient wanted)
    t += 1.0
    assert X.tolist() == [1.0, 1.0] and t.data.tolist() == [2.0, 2.0]


# --- 5. the cross-entropy's gradient never vanishes on confident mistakes -------------------

Z_EDGES = [-800.0, -100.0, -40.0, -16.0, -15.9, 0.0, 15.9, 16.0, 17.0, 40.0, 100.0, 800.0]


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize("label", [0.0, 1.0])
def test_gradient_reaching_z_is_exactly_a_minus_y_over_m(dtype: type, label: float) -> None:
    import warnings

    from tinygrad_course.losses import binary_cross_entropy, binary_cross_entropy_for
    z = np.array([Z_EDGES], dtype=dtype)
    Y = np.full(z.shape, label, dtype=dtype)
    m = z.shape[1]
    for cost in (lambda A: binary_cross_entropy(A, Y),
                 binary_cross_entropy_for(Y, like=Tensor(z))):
        Z = Tensor(z, requires_grad=True)
        A = Z.sigmoid()
        with warnings.catch_warnings():
            warnings.simplefilter("error")
            J = cost(A)
            J.backward()
        np.testing.assert_array_equal(Z.grad, (A.data - Y) / m)
        assert Z.grad.dtype == dtype and type(Z.grad) is np.ndarray
        assert np.isfinite(J.item()) and np.all(np.isfinite(A.grad))
        assert type(A.grad) is np.ndarray  # the course's dAL, on the clipped A where saturated


def test_logistic_regression_started_confidently_wrong_still_learns_in_float32() -> None:
    from tinygrad_course.models import LogisticRegression
    X = np.ones((1, 4), dtype=np.float32)
    Y = np.ones((1, 4), dtype=np.float32)
    model = LogisticRegression(1, dtype=np.float32)
    model.W.data[...] = -17.0  # A = sigmoid(-17) is below float32's epsilon
    history = model.fit(X, Y, num_iterations=200, learning_rate=0.5)
    assert history.costs[-1] < 0.1 < 15.0 < history.costs[0]
    assert model.accuracy(X, Y) == 1.0


def test_a_sigmoid_output_used_twice_still_gets_the_chain_rule() -> None:
    from tinygrad_course.losses import binary_cross_entropy
    z = np.array([[-1.0, 0.5, 2.0]])
    Y = np.array([[1.0, 0.0, 1.0]])
    Z = Tensor(z, requires_grad=True)
    A = Z.sigmoid()
    (binary_cross_entropy(A, Y) + (A * A).sum()).backward()
    a = 1 / (1 + np.exp(-z))
    np.testing.assert_allclose(Z.grad, (a - Y) / 3 + 2 * a * a * (1 - a), rtol=1e-12)


# --- issue 15 item 7: a graph that grows from step to step ----------------------------------


def _train(steps: int, in_place: bool) -> Tensor:
    from tinygrad_course import no_grad
    X = np.array([[1.0, 2.0, 3.0]])
    W = Tensor([[0.5]], requires_grad=True)
    for _ in range(steps):
        J = ((W @ X - 1.0) ** 2).sum()
        J.backward()
        if in_place:
            with no_grad():
                W -= 0.01 * W.grad
            W.zero_grad()
        else:
            W = W - 0.01 * W.grad  # the trap: W is no longer a leaf
    return W


def test_updating_outside_no_grad_warns_once_with_the_fix(monkeypatch: pytest.MonkeyPatch
                                                          ) -> None:
    from tinygrad_course.engine import backward
    from tinygrad_course.errors import GraphGrowthWarning
    monkeypatch.setattr(backward, "_warned", [False])
    with pytest.warns(GraphGrowthWarning, match=r"no_grad\(\)") as record:
        _train(6, in_place=False)
    assert len(record) == 1


def test_the_course_loop_under_no_grad_does_not_warn(monkeypatch: pytest.MonkeyPatch) -> None:
    import warnings

    from tinygrad_course.engine import backward
    monkeypatch.setattr(backward, "_warned", [False])
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        W = _train(6, in_place=True)
    assert W.is_leaf
