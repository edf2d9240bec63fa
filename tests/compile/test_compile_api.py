"""tc.compile from the user's side: same numbers as eager, honest limits, the cache, the code."""

from __future__ import annotations

import warnings

import numpy as np
import pytest

import tinygrad_course as tc
from tinygrad_course import CompileError, Tensor


def _bits(a: object, b: object) -> bool:
    a, b = np.asarray(a), np.asarray(b)
    return a.dtype == b.dtype and a.shape == b.shape and a.tobytes() == b.tobytes()


def _layer(seed: int = 0) -> tuple[Tensor, Tensor, Tensor]:
    rng = np.random.default_rng(seed)
    W = Tensor(rng.standard_normal((3, 4)), requires_grad=True, name="W[1]")
    b = Tensor(np.zeros((3, 1)), requires_grad=True, name="b[1]")
    X = Tensor(rng.standard_normal((4, 5)), name="X")
    return W, b, X


def test_compiled_step_fills_grad_bit_for_bit_like_eager() -> None:
    W, b, X = _layer()

    def f(X: Tensor) -> Tensor:
        return ((W @ X + b).tanh() ** 2).mean()
    want = f(X)
    want.backward()
    dW, db = W.grad, b.grad
    W.grad = b.grad = None
    step = tc.compile(f)
    for _ in range(2):  # the first call traces, the second runs the cached code
        got = step(X)
        got.backward()
        assert _bits(got.data, want.data)
        assert _bits(W.grad, dW) and _bits(b.grad, db)
        W.grad = b.grad = None
    assert step.traces == 1


def test_parameters_are_read_at_each_call_and_updates_match_eager() -> None:
    W, b, X = _layer(1)
    W2, b2 = Tensor(W.data, requires_grad=True), Tensor(b.data, requires_grad=True)
    step = tc.compile(lambda X: (W @ X + b).sigmoid().sum())
    for _ in range(5):
        J = step(X)
        J.backward()
        J2 = (W2 @ X + b2).sigmoid().sum()
        J2.backward()
        assert _bits(J.data, J2.data)
        for p, q in ((W, W2), (b, b2)):
            p.data -= 0.1 * p.grad
            q.data -= 0.1 * q.grad
            p.grad = q.grad = None
    assert _bits(W.data, W2.data)


def test_a_new_signature_traces_again_and_the_cache_is_bounded() -> None:
    W, b, _ = _layer()
    step = tc.compile(lambda X: (W @ X + b).sum(), cache_size=2)
    for m in (1, 2, 3, 1):
        X = np.ones((4, m))
        assert _bits(step(Tensor(X)).data, (W @ X + b).sum().data)
    assert step.traces == 4  # m = 1 was evicted by m = 3 (two kept, least recent goes)
    assert len(step.cache) == 2


def test_arguments_requiring_grad_get_gradients_others_do_not() -> None:
    x = Tensor(np.array([1.0, 2.0]), requires_grad=True)
    y = Tensor(np.array([3.0, 4.0]))
    step = tc.compile(lambda a, c: (a * c).sum())
    step(x, y).backward()
    assert x.grad.tolist() == [3.0, 4.0] and y.grad is None


def test_composes_with_eager_ops_before_and_after() -> None:
    W, b, X = _layer(2)
    step = tc.compile(lambda A: (W @ A + b).relu())
    s = Tensor(np.full((4, 5), 0.5), requires_grad=True)
    out = (step(X * s) * 3).sum()
    out.backward()
    got = W.grad, s.grad
    W.grad = b.grad = s.grad = None
    ((W @ (X * s) + b).relu() * 3).sum().backward()
    assert _bits(got[0], W.grad) and _bits(got[1], s.grad)


def test_aux_outputs_are_values_and_the_first_output_differentiates() -> None:
    W, b, X = _layer()
    step = tc.compile(lambda X: ((W @ X + b).sum(), W @ X))
    J, Z = step(X)
    J.backward()
    assert _bits(Z.data, (W @ X).data) and not Z.requires_grad
    assert W.grad is not None


def test_no_grad_records_nothing() -> None:
    W, b, X = _layer()
    step = tc.compile(lambda X: (W @ X + b).sum())
    with tc.no_grad():
        J = step(X)
    assert not J.requires_grad and J.is_leaf


@pytest.mark.parametrize("read", [
    lambda t: t.item(),
    lambda t: bool(t.sum() > 0),
    lambda t: float(t.sum().numpy()),
    lambda t: np.asarray(t),
])
def test_reading_a_value_while_tracing_names_the_users_line(read: object) -> None:
    def f(x: Tensor) -> Tensor:
        y = x * 2
        read(y)  # type: ignore[operator]
        return y.sum()
    with pytest.raises(CompileError) as e:
        tc.compile(f)(Tensor(np.ones((1, 1)), requires_grad=True))
    assert "test_compile_api.py" in str(e.value) and "frozen" in str(e.value)


def test_value_reads_work_again_after_a_refused_trace() -> None:
    with pytest.raises(CompileError):
        tc.compile(lambda x: x * x.sum().item())(Tensor(np.ones(2), requires_grad=True))
    assert Tensor(np.ones(1)).item() == 1.0  # the trace flag was reset


def test_a_constant_computed_from_tensor_values_is_refused() -> None:
    def f(x: Tensor) -> Tensor:
        return x * x.data.max()  # a number read through .data would be frozen
    with pytest.raises(CompileError, match="outside the graph"):
        tc.compile(f)(Tensor(np.array([1.0, 3.0]), requires_grad=True))


def test_control_flow_on_values_is_refused() -> None:
    def f(x: Tensor) -> Tensor:
        return x.exp() if x.data.sum() > 2.001 else x.tanh()  # flips when inputs move
    with pytest.raises(CompileError):
        tc.compile(f)(Tensor(np.array([1.0, 1.0009]), requires_grad=True))


def test_captured_arrays_are_frozen_at_trace_time() -> None:
    c = np.array([1.0, 2.0])
    step = tc.compile(lambda x: (x * c).sum())
    x = Tensor(np.ones(2), requires_grad=True)
    assert step(x).item() == 3.0
    c[:] = 10.0  # documented: like jax.jit, a captured array is a constant of the code
    assert step(x).item() == 3.0


def test_an_argument_array_is_not_frozen() -> None:
    step = tc.compile(lambda x, y: (x * y).sum())
    x = Tensor(np.ones(2), requires_grad=True)
    assert step(x, np.array([1.0, 2.0])).item() == 3.0
    assert step(x, np.array([5.0, 2.0])).item() == 7.0


def test_nested_compiled_functions_inline() -> None:
    W, b, X = _layer()
    inner = tc.compile(lambda A: (W @ A + b).tanh())
    outer = tc.compile(lambda A: inner(A).sum())
    J = outer(X)
    J.backward()
    assert _bits(J.data, (W @ X + b).tanh().sum().data)
    assert inner.traces == 0 and outer.traces == 1


def test_create_graph_falls_back_to_eager_with_a_warning() -> None:
    x = Tensor(np.array([0.3, -0.2]), requires_grad=True)
    step = tc.compile(lambda x: (x ** 3).sum())
    J = step(x)
    with pytest.warns(UserWarning, match="eagerly"):
        J.backward(create_graph=True)
    assert isinstance(x.grad, Tensor)  # a differentiable gradient, as eager gives
    assert np.allclose(x.grad.data, 3 * x.data ** 2)
    x.grad.sum().backward()  # and its own gradient: d/dx sum(3x²) = 6x
    assert np.allclose(x.grad.data, 3 * x.data ** 2 + 6 * x.data)


def test_the_source_speaks_the_course_notation() -> None:
    W, b, X = _layer()

    def f(X: Tensor) -> Tensor:
        Z = W @ X + b
        Z.name = "Z[1]"
        A = Z.tanh()
        A.name = "A[1]"
        return A.sum()
    src = tc.show_code(f, X)
    for line in ("Z1 = W1 @ X + b1", "A1 = np.tanh(Z1)", "dZ1 = ", "dW1 = dZ1 @ X.T",
                 "db1 = dZ1.sum(axis=1, keepdims=True)"):
        assert line in src, src
    assert "# tanh: 1-tanh²(a)" in src and "# matmul: dout·bᵀ" in src
    compile(src, "<generated>", "exec")  # it is valid Python


def test_a_function_returning_no_tensor_is_refused() -> None:
    with pytest.raises(CompileError, match="must return a Tensor"):
        tc.compile(lambda x: 3.0)(Tensor(np.ones(1), requires_grad=True))


def test_long_chains_compile_without_deep_expressions() -> None:
    x = Tensor(np.full((2, 2), 0.1), requires_grad=True)

    def f(x: Tensor) -> Tensor:
        y = x
        for _ in range(400):
            y = (y * 0.9 + 0.01).tanh()
        return y.sum()
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        J = tc.compile(f)(x)
    J.backward()
    g = x.grad
    x.grad = None
    f(x).backward()
    assert _bits(g, x.grad)


def test_keyword_arguments_are_refused_with_a_clear_message() -> None:
    step = tc.compile(lambda x: (x * 2).sum())
    with pytest.raises(TypeError, match="by position"):
        step(x=Tensor(np.ones(2), requires_grad=True))


def test_a_static_argument_is_part_of_the_signature() -> None:
    x = Tensor(np.array([1.0, 2.0]), requires_grad=True)
    step = tc.compile(lambda x, k: (x * k).sum())
    assert step(x, 2.0).item() == 6.0 and step(x, 3.0).item() == 9.0
    assert step.traces == 2


def test_a_cost_traced_unsaturated_stays_eagers_when_the_output_saturates_later() -> None:
    # The cross-entropy clips A only where it saturated; generated code must not drop the clip
    # because A happened not to saturate while tracing (inf instead of eager's finite cost).
    from tinygrad_course.losses import binary_cross_entropy
    rng = np.random.default_rng(1)
    X = Tensor(rng.standard_normal((3, 7)))
    Y = (rng.random((1, 7)) > 0.5).astype(np.float64)

    def cost(W: Tensor, b: Tensor) -> Tensor:
        return binary_cross_entropy((W @ X + b).sigmoid(), Y)
    step = tc.compile(cost)
    b = Tensor(np.zeros((1, 1)), requires_grad=True)
    step(Tensor(np.full((1, 3), 0.1), requires_grad=True), b)  # traced: nothing saturates
    for scale in (50.0, -50.0):
        W_e, W_c = (Tensor(np.full((1, 3), scale), requires_grad=True) for _ in range(2))
        J_e, J_c = cost(W_e, b), step(W_c, b)
        J_e.backward()
        J_c.backward()
        assert np.isfinite(J_c.item()) and J_c.item() == J_e.item()
        assert W_c.grad.tobytes() == W_e.grad.tobytes()
    assert step.traces == 1


def test_an_output_used_twice_takes_the_chain_rule_like_eager() -> None:
    # Only a gradient that is the cross-entropy's alone hands dZ = (A - Y)/m to the sigmoid.
    from tinygrad_course.losses import binary_cross_entropy
    rng = np.random.default_rng(2)
    X = Tensor(rng.standard_normal((3, 7)))
    Y = (rng.random((1, 7)) > 0.5).astype(np.float64)

    def cost(W: Tensor) -> Tensor:
        A = (W @ X).sigmoid()
        return binary_cross_entropy(A, Y) + (A * A).sum() * 0.1
    W_e, W_c = (Tensor(np.full((1, 3), 0.3), requires_grad=True) for _ in range(2))
    cost(W_e).backward()
    tc.compile(cost)(W_c).backward()
    assert W_c.grad.tobytes() == W_e.grad.tobytes()
