"""gradcheck: accepts right gradients, rejects wrong ones, and leaves the model as it found it."""

from __future__ import annotations

import numpy as np
import pytest

from tinygrad_course import (
    REGISTRY,
    GradcheckResult,
    Tensor,
    gradcheck,
    is_grad_enabled,
    no_grad,
    softmax,
)
from tinygrad_course.engine.ops import Op
from tinygrad_course.engine.record import apply

# sin is not a registered op: these local Ops go through `apply` and never enter REGISTRY.
SIN_RIGHT = Op("sin", "sin", np.sin, (lambda xp, g, out, a: g * np.cos(a),), ("cos(a)",))
SIN_WRONG = Op("sin", "sin", np.sin, (lambda xp, g, out, a: g * np.sin(a),), ("sin(a)",))
# mul whose derivative for b is off by 0.1%: only the second input should be flagged.
MUL_SLIGHTLY_WRONG = Op("mul", "*", np.multiply,
                        (lambda xp, g, out, a, b: g * b, lambda xp, g, out, a, b: g * a * 1.001),
                        ("b", "a"), elementwise=True)


def two_layer_net(n_x: int = 3, n_1: int = 4, m: int = 5, seed: int = 0
                  ) -> tuple[list[Tensor], Tensor, Tensor]:
    """Parameters [W1, b1, W2, b2] of a tanh -> sigmoid net in the course's layout."""
    rng = np.random.default_rng(seed)
    params = [Tensor(rng.standard_normal((n_1, n_x)) * 0.5, requires_grad=True, name="W[1]"),
              Tensor(np.zeros((n_1, 1)), requires_grad=True, name="b[1]"),
              Tensor(rng.standard_normal((1, n_1)) * 0.5, requires_grad=True, name="W[2]"),
              Tensor(np.zeros((1, 1)), requires_grad=True, name="b[2]")]
    X = Tensor(rng.standard_normal((n_x, m)), name="X")            # (n_x, m): columns
    Y = Tensor((rng.random((1, m)) > 0.5).astype(float), name="Y")  # (1, m)
    return params, X, Y


def cost(params: list[Tensor], X: Tensor, Y: Tensor) -> Tensor:
    """Cross-entropy J = -1/m Σ (Y log A2 + (1 - Y) log(1 - A2))."""
    W1, b1, W2, b2 = params
    A1 = (W1 @ X + b1).tanh()
    A2 = (W2 @ A1 + b2).sigmoid()
    return -(Y * A2.log() + (1 - Y) * (1 - A2).log()).mean()


def test_passes_on_correct_ops_with_bool_and_per_input_diffs() -> None:
    rng = np.random.default_rng(1)
    a, b = rng.standard_normal((3, 4)), rng.uniform(0.5, 2.0, (4,))
    result = gradcheck(lambda x, y: (x * y.log() + x.tanh() / y).sum(), a, b)
    assert isinstance(result, GradcheckResult)
    assert result.passed is True and bool(result) is True
    assert len(result.rel_diffs) == 2 and all(isinstance(d, float) for d in result.rel_diffs)
    assert max(result.rel_diffs) < 1e-7 == result.tol
    assert [g.shape for g in result.analytic] == [g.shape for g in result.numeric] == [
        (3, 4), (4,)]


def test_repr_is_readable() -> None:
    text = repr(gradcheck(lambda x: (x ** 2).sum(), np.array([1.0, 2.0])))
    assert text.startswith("GradcheckResult(passed: relative differences [")
    assert "tolerance 1e-07" in text and "analytic" not in text  # arrays stay out of it
    bad = repr(gradcheck(lambda x: apply(SIN_WRONG, (x,)).sum(), np.array([0.3, 1.2])))
    assert "FAILED" in bad and "worst" in bad


def test_rejects_a_wrong_derivative() -> None:
    before = dict(REGISTRY)
    x = np.linspace(-1.5, 1.5, 6).reshape(2, 3)
    right = gradcheck(lambda t: apply(SIN_RIGHT, (t,)).sum(), x)
    wrong = gradcheck(lambda t: apply(SIN_WRONG, (t,)).sum(), x)
    assert right.passed and right.rel_diffs[0] < 1e-7
    assert wrong.passed is False and wrong.rel_diffs[0] > 0.1
    np.testing.assert_allclose(wrong.numeric[0], np.cos(x), rtol=1e-6)  # what it should be
    np.testing.assert_allclose(wrong.analytic[0], np.sin(x))            # what backprop said
    assert REGISTRY == before and "sin" not in REGISTRY


def test_names_the_input_with_the_wrong_derivative() -> None:
    rng = np.random.default_rng(2)
    a, b = rng.standard_normal((2, 3)), rng.standard_normal((3,))
    result = gradcheck(lambda x, y: apply(MUL_SLIGHTLY_WRONG, (x, y)), a, b)  # non-scalar out
    assert not result.passed
    assert result.rel_diffs[0] < 1e-7 < 1e-5 < result.rel_diffs[1] < 1e-2
    assert gradcheck(lambda x, y: apply(MUL_SLIGHTLY_WRONG, (x, y)), a, b, tol=1e-2).passed


def test_whole_model_through_a_closure_restores_parameters() -> None:
    params, X, Y = two_layer_net()
    cost(params, X, Y).backward()  # leave gradients from an earlier step in place
    kept = [(p.data, p.data.copy(), p.grad.copy()) for p in params]
    result = gradcheck(lambda *p: cost(params, X, Y), *params)
    assert result.passed, result
    assert len(result.rel_diffs) == 4 and max(result.rel_diffs) < 1e-7  # the course's check
    for p, (data, values, g) in zip(params, kept):
        assert p.data is data and np.array_equal(p.data, values)
        assert np.array_equal(p.grad, g) and p.requires_grad
    assert X.grad is None and not X.requires_grad
    # The analytic side is the ordinary backward: the same numbers a training step would use.
    for p, a in zip(params, result.analytic):
        np.testing.assert_allclose(a, p.grad)


def test_detects_a_bug_in_a_hand_written_model() -> None:
    params, X, Y = two_layer_net(seed=3)
    W1, b1, W2, b2 = params
    # The bug: the hidden layer uses a wrong derivative for its activation.
    buggy = lambda *p: -(Y * (W2 @ apply(SIN_WRONG, (W1 @ X + b1,)) + b2).sigmoid().log()  # noqa: E731
                        ).mean()
    result = gradcheck(buggy, *params)
    assert not result.passed
    assert result.rel_diffs[0] > 1e-3 and result.rel_diffs[1] > 1e-3  # W1, b1: below the bug
    assert result.rel_diffs[2] < 1e-7 and result.rel_diffs[3] < 1e-7  # W2, b2: above it


def test_float32_tensors_are_checked_in_float64_and_restored() -> None:
    x = Tensor(np.array([[0.3, -1.2, 2.0]], dtype=np.float32), requires_grad=False)
    w = Tensor(np.array([0.5, 1.5, -0.7], dtype=np.float32), requires_grad=True)
    w.grad = np.full(3, 7.0, dtype=np.float32)
    seen = []

    def f(a: Tensor, b: Tensor) -> Tensor:
        seen.append((a.dtype, b.dtype))
        return (a * b).tanh().sum()

    data_x, data_w = x.data, w.data
    result = gradcheck(f, x, w)
    # At eps 1e-7 float32 arithmetic would be off by ~1e-1: passing at 1e-7 proves float64.
    assert result.passed and max(result.rel_diffs) < 1e-7
    assert set(seen) == {(np.dtype(np.float64), np.dtype(np.float64))}
    assert x.data is data_x and w.data is data_w and x.dtype == w.dtype == np.float32
    assert x.grad is None and not x.requires_grad and w.requires_grad
    assert w.grad.dtype == np.float32 and np.array_equal(w.grad, np.full(3, 7.0))


def test_inputs_are_not_modified_and_modes_are_kept() -> None:
    a = np.array([0.5, 1.5])
    with no_grad():  # gradcheck records its own graph even inside no_grad()
        assert gradcheck(lambda t: (t.exp() * t).sum(), a).passed
        assert not is_grad_enabled()
    assert np.array_equal(a, [0.5, 1.5])


def test_restores_parameters_when_f_raises() -> None:
    w = Tensor([1.0, 2.0], requires_grad=True)
    data, calls = w.data, []

    def f(t: Tensor) -> Tensor:
        calls.append(1)
        if len(calls) == 3:  # during the finite differences, after t.data was perturbed
            raise RuntimeError("boom")
        return (t * t).sum()

    with pytest.raises(RuntimeError, match="boom"):
        gradcheck(f, w)
    assert w.data is data and np.array_equal(w.data, [1.0, 2.0])
    assert w.grad is None and w.requires_grad


def test_bad_usage_is_explained() -> None:
    with pytest.raises(ValueError, match="at least one input"):
        gradcheck(lambda: Tensor(1.0))
    with pytest.raises(TypeError, match="expected a Tensor"):
        gradcheck(lambda t: float(t.sum().item()), np.ones(2))


def test_accepts_a_correct_zero_gradient() -> None:
    result = gradcheck(lambda t: softmax(t).sum(), np.array([1.0, 2.0, 3.0]))
    assert result.passed, result
