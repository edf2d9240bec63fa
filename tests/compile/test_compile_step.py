"""tc.compile_step: forward, backward and the optimizer's update as generated code, the same
numbers as eager training to the last bit, and the same guarantees."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import pytest

import tinygrad_course as tc
from tinygrad_course import CompileError, Tensor
from tinygrad_course.losses import binary_cross_entropy
from tinygrad_course.optim import SGD, Adam, Momentum, Optimizer

RNG = np.random.default_rng(3)
X = RNG.standard_normal((3, 40))
Y = (RNG.random((1, 40)) > 0.5).astype(np.float64)


def _params() -> list[Tensor]:
    rng = np.random.default_rng(7)
    return [Tensor(rng.standard_normal((5, 3)) * 0.5, requires_grad=True, name="W[1]"),
            Tensor(np.zeros((5, 1)), requires_grad=True, name="b[1]"),
            Tensor(rng.standard_normal((1, 5)) * 0.5, requires_grad=True, name="W[2]"),
            Tensor(np.zeros((1, 1)), requires_grad=True, name="b[2]")]


def _cost(ps: list[Tensor]) -> Callable[[Tensor], Tensor]:
    W1, b1, W2, b2 = ps
    return lambda X: binary_cross_entropy((W2 @ (W1 @ X + b1).tanh() + b2).sigmoid(), Y)


OPTIMIZERS: list[Callable[[list[Tensor]], Optimizer]] = [
    lambda ps: SGD(ps, lr=0.7), lambda ps: Momentum(ps, lr=0.3, beta=0.8),
    lambda ps: Adam(ps, lr=0.05)]


@pytest.mark.parametrize("make_opt", OPTIMIZERS, ids=["sgd", "momentum", "adam"])
def test_a_compiled_step_is_an_eager_step_bit_for_bit(
        make_opt: Callable[[list[Tensor]], Optimizer]) -> None:
    eager_ps, compiled_ps = _params(), _params()
    eager_opt, f = make_opt(eager_ps), _cost(eager_ps)
    step = tc.compile_step(_cost(compiled_ps), make_opt(compiled_ps))
    x = Tensor(X)
    for _ in range(6):
        J = f(x)
        J.backward()
        grads = [p.grad.copy() for p in eager_ps]
        eager_opt.step()
        eager_opt.zero_grad()
        Jc = step(x)
        assert Jc.item() == J.item() and not Jc.requires_grad
        for p, q, g in zip(eager_ps, compiled_ps, grads):
            assert q.grad.tobytes() == g.tobytes()  # this step's gradient, not accumulated
            assert q.data.tobytes() == p.data.tobytes()
    assert step.compiled.traces == 1


def test_parameters_as_arguments_and_ones_the_optimizer_does_not_own() -> None:
    ps = _params()
    W1, b1, W2, b2 = ps
    opt = SGD([W1, b1], lr=0.1)  # W2 and b2 get gradients but are not updated
    step = tc.compile_step(lambda W1, b1: binary_cross_entropy(
        (W2 @ (W1 @ Tensor(X) + b1).tanh() + b2).sigmoid(), Y), opt)
    before = [p.data.copy() for p in ps]
    step(W1, b1)
    assert not np.array_equal(W1.data, before[0])
    assert np.array_equal(W2.data, before[2]) and W2.grad is not None
    assert all(p.grad.flags.writeable and p.grad.base is None for p in ps)


def test_gradients_are_owned_arrays_even_where_the_rule_gives_a_view() -> None:
    w = Tensor(np.ones(4), requires_grad=True)
    step = tc.compile_step(lambda: w.sum(), SGD([w], lr=0.5))  # d sum = broadcast ones
    step()
    w.grad *= 2  # the user's to change
    assert w.data.tolist() == [0.5] * 4 and w.grad.tolist() == [2.0] * 4


def test_a_graph_recorded_before_the_update_refuses_backward() -> None:
    ps = _params()
    J_old = _cost(ps)(Tensor(X))  # recorded, not yet differentiated
    tc.compile_step(_cost(ps), SGD(ps, lr=0.1))(Tensor(X))  # changes the parameters in place
    with pytest.raises(RuntimeError, match="changed in place"):
        J_old.backward()


def test_bad_uses_say_what_is_wrong() -> None:
    ps = _params()
    with pytest.raises(TypeError, match="needs an Optimizer"):
        tc.compile_step(_cost(ps), "sgd")  # type: ignore[arg-type]
    step = tc.compile_step(lambda: ps[0] * 2, SGD(ps, lr=0.1))
    with pytest.raises(CompileError, match="scalar cost"):
        step()
    J = tc.compile_step(_cost(ps), SGD(ps, lr=0.1))(Tensor(X))
    with pytest.raises(RuntimeError, match="has already run backward and the optimizer's update"):
        J.backward()  # the eager habit after a compiled step
    inner = tc.compile_step(_cost(ps), SGD(ps, lr=0.1))
    outer = tc.compile(lambda X: inner(X) * 2)
    with pytest.raises(CompileError, match="cannot run inside"):
        outer(Tensor(X))


def test_source_is_the_generated_code() -> None:
    ps = _params()
    step = tc.compile_step(_cost(ps), SGD(ps, lr=0.1))
    src = step.source(Tensor(X))
    assert "def backward" in src and "dW1 = " in src and " - Y) / 40 * dJ" in src
    assert "compile_step" in repr(step)


def test_an_optimizer_without_an_array_rule_says_so() -> None:
    class OnlyStep(Optimizer):  # an optimizer written against the old API: step() only
        def step(self) -> None:
            for p in self.params:
                p.data -= self.lr * p.grad

    ps = _params()
    step = tc.compile_step(_cost(ps), OnlyStep(ps, lr=0.1))
    with pytest.raises(NotImplementedError, match=r"OnlyStep defines no update\(k, W, dW\)"):
        step(Tensor(X))
