"""Every registered op at the edges of its domain (0, ±inf, ties, exact integers in pow):
first and second derivatives against PyTorch's conventions, encoded as expected values.

PyTorch is not a dependency; each expectation cites the rule in PyTorch's
tools/autograd/derivatives.yaml (and FunctionsManual.cpp) that it encodes.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np
import pytest

from tinygrad_course import (
    REGISTRY,
    Tensor,
    concatenate,
    grad,
    maximum,
    minimum,
    no_grad,
    stack,
    where,
)
from tinygrad_course import numpy as tnp
from tinygrad_course.engine import functions as fn
from tinygrad_course.engine.ops import movement as M
from tinygrad_course.engine.record import apply
from tinygrad_course.losses import binary_cross_entropy, softmax_cross_entropy

inf, nan = np.inf, np.nan
F = Callable[[Any], Any]

# op name -> [(label, f(x) -> Tensor, x, expected df/dx, expected d²(sum f)/dx² or None)]
EDGES: dict[str, list[tuple[str, F, list[float], list[float], list[float] | None]]] = {
    "add": [("x + 2 at 0, ±inf", lambda x: x + 2.0, [0, inf, -inf], [1, 1, 1], [0, 0, 0])],
    "sub": [("3 - x at 0, inf", lambda x: 3.0 - x, [0, inf], [-1, -1], [0, 0])],
    "mul": [("x * x at 0", lambda x: x * x, [0.0, -3.0], [0, -6], [2, 2]),
            ("x * 3 at inf", lambda x: x * 3.0, [inf], [3], [0])],
    # div: grad / other; -grad * self / other² (other = 0: 1/0 = inf, -1/0² = -inf)
    "div": [("x / 2 at 0", lambda x: x / 2.0, [0.0], [0.5], [0]),
            ("1 / x at 0", lambda x: 1.0 / x, [0.0], [-inf], None)],
    # pow_backward: 0 where the exponent is 0; pow_backward_exponent: 0 where base == 0 and
    # exponent >= 0; exact integer exponents keep exact derivatives at 0
    "pow": [("x ** 0 at 0", lambda x: x ** 0.0, [0.0, 2.0], [0, 0], [0, 0]),
            ("x ** 1 at 0", lambda x: x ** 1, [0.0], [1], [0]),
            ("x ** 2 at 0", lambda x: x ** 2, [0.0, -3.0], [0, -6], [2, 2]),
            ("x ** 3 at 0", lambda x: x ** 3, [0.0], [0], [0]),
            ("x ** -1 at 0", lambda x: x ** -1, [0.0], [-inf], None),
            ("0 ** y", lambda y: 0.0 ** y, [0.0, 1.0, 2.5], [0, 0, 0], [0, 0, 0]),
            ("2 ** y at -inf", lambda y: 2.0 ** y, [-inf], [0], [0])],
    "neg": [("-x at inf", lambda x: -x, [inf, 0], [-1, -1], [0, 0])],
    "exp": [("exp at -inf, 0", lambda x: x.exp(), [-inf, 0.0], [0, 1], [0, 1])],
    "log": [("log at 0", lambda x: x.log(), [0.0, 1.0], [inf, 1], [-inf, -1])],  # grad / self
    "sqrt": [("sqrt at 0", lambda x: x.sqrt(), [0.0, 4.0], [inf, 0.25], None)],  # grad/(2 out)
    "abs": [("abs at 0", lambda x: x.abs(), [0.0, -2.0, 2.0], [0, -1, 1], [0, 0, 0])],  # sgn
    "sigmoid": [("sigmoid at ±inf", lambda x: x.sigmoid(), [-inf, inf, 0.0], [0, 0, 0.25],
                 [0, 0, 0])],
    "tanh": [("tanh at ±inf", lambda x: x.tanh(), [-inf, inf, 0.0], [0, 0, 1], [0, 0, 0])],
    # threshold_backward(grad, self, 0): 0 at 0
    "relu": [("relu at 0", lambda x: x.relu(), [0.0, -1.0, 2.0], [0, 0, 1], [0, 0, 0])],
    # leaky_relu_backward: self > 0 ? grad : grad * negative_slope (so the slope at 0)
    "leaky_relu": [("leaky_relu at 0", lambda x: x.leaky_relu(0.01), [0.0, -1.0, 2.0],
                    [0.01, 0.01, 1], [0, 0, 0])],
    # clamp_backward: grad where min <= self <= max (the bounds included)
    "clip": [("clip(0, 1) at its bounds", lambda x: x.clip(0.0, 1.0),
              [0.0, 1.0, 0.5, -1.0, 2.0], [1, 1, 1, 0, 0], [0, 0, 0, 0, 0])],
    # maximum/minimum: grad / 2 on ties
    "maximum": [("maximum(x, 1) on a tie", lambda x: maximum(x, 1.0), [1.0, 0.0, 2.0],
                 [0.5, 0, 1], [0, 0, 0])],
    "minimum": [("minimum(x, 1) on a tie", lambda x: minimum(x, 1.0), [1.0, 0.0, 2.0],
                 [0.5, 1, 0], [0, 0, 0])],
    "where": [("where(cond, x, 0)", lambda x: where(np.array([True, False]), x, 0.0),
               [inf, 1.0], [1, 0], [0, 0])],
    # evenly_distribute_backward: ties share the gradient
    "max": [("max with a tie", lambda x: x.max(), [1.0, 3.0, 3.0], [0, 0.5, 0.5], [0, 0, 0])],
    "sum": [("sum with inf", lambda x: x.sum(), [inf, 0.0], [1, 1], [0, 0])],
    "mean": [("mean", lambda x: x.mean(), [0.0, inf], [0.5, 0.5], [0, 0])],
    "reshape": [("reshape", lambda x: x.reshape(2, 1), [0.0, 1.0], [1, 1], [0, 0])],
    "transpose": [("transpose", lambda x: x.reshape(1, 2).T, [0.0, 1.0], [1, 1], [0, 0])],
    "getitem": [("repeated index", lambda x: x[[0, 0, 1]], [0.0, 1.0, 2.0], [2, 1, 0],
                 [0, 0, 0])],
    "scatter": [("scatter", lambda x: apply(M.SCATTER, (x,), {"index": (np.array([0, 2]),),
                                                             "shape": (3,)}),
                 [0.0, 1.0], [1, 1], [0, 0])],
    "broadcast_to": [("broadcast_to", lambda x: apply(M.BROADCAST_TO, (x,), {"shape": (3, 2)}),
                      [0.0, 1.0], [3, 3], [0, 0])],
    "sum_to": [("sum_to", lambda x: apply(M.SUM_TO, (x,), {"shape": (1,)}), [0.0, inf],
                [1, 1], [0, 0])],
    "concatenate": [("concatenate with itself", lambda x: concatenate([x, x]), [0.0, 1.0],
                     [2, 2], [0, 0])],
    "stack": [("stack with itself", lambda x: stack([x, x * 2.0]), [0.0, 1.0], [3, 3],
               [0, 0])],
    # a row times a column: x·x in the course's 2-D shapes (a rank-1 x @ x warns)
    "matmul": [("row @ column", lambda x: x.reshape(1, 2) @ x.reshape(2, 1), [0.0, 3.0],
                [0, 6], [2, 2])],
    # the course's dAL = -(Y/A - (1-Y)/(1-A))/m, on A clipped into [eps, 1-eps]: large and
    # finite where PyTorch's binary_cross_entropy_backward divides by max(A(1-A), 1e-12)
    "binary_cross_entropy": [("A at 0.5", lambda a: binary_cross_entropy(a, [[1.0, 0.0]]),
                              [0.5, 0.5], [-1.0, 1.0], [2.0, 2.0])],
    # (softmax(Z) - Y)/m, ties split evenly
    "softmax_cross_entropy": [("a tie", lambda z: softmax_cross_entropy(z, [[0]]),
                               [0.0, 0.0], [-0.5, 0.5], [0.0, 0.0])],  # rows sum to 0
    # --- numpy's functions (issue 12): sin_backward, cos_backward... in derivatives.yaml ---
    "sin": [("sin at 0", lambda x: tnp.sin(x), [0.0], [1], [0])],
    "cos": [("cos at 0", lambda x: tnp.cos(x), [0.0], [0], [-1])],
    "tan": [("tan at 0", lambda x: tnp.tan(x), [0.0], [1], [0])],
    "sinh": [("sinh at 0", lambda x: tnp.sinh(x), [0.0], [1], [0])],
    "cosh": [("cosh at 0", lambda x: tnp.cosh(x), [0.0], [0], [1])],
    # asin/acos: grad * (1 - x²).rsqrt(): inf at ±1
    "arcsin": [("arcsin at 0", lambda x: tnp.arcsin(x), [0.0], [1], [0]),
               ("arcsin at 1", lambda x: tnp.arcsin(x), [1.0], [inf], None)],
    "arccos": [("arccos at 0", lambda x: tnp.arccos(x), [0.0], [-1], [0]),
               ("arccos at 1", lambda x: tnp.arccos(x), [1.0], [-inf], None)],
    "arctan": [("arctan at 0, inf", lambda x: tnp.arctan(x), [0.0, inf], [1, 0], None),
               ("arctan at 0", lambda x: tnp.arctan(x), [0.0], [1], [0])],
    "arcsinh": [("arcsinh at 0, inf", lambda x: tnp.arcsinh(x), [0.0, inf], [1, 0], None),
                ("arcsinh at 0", lambda x: tnp.arcsinh(x), [0.0], [1], [0])],
    "arctanh": [("arctanh at 0", lambda x: tnp.arctanh(x), [0.0], [1], [0]),
                ("arctanh at 1", lambda x: tnp.arctanh(x), [1.0], [inf], None)],
    # log1p_backward: grad / (self + 1): inf at -1
    "log1p": [("log1p at 0", lambda x: tnp.log1p(x), [0.0], [1], [-1]),
              ("log1p at -1", lambda x: tnp.log1p(x), [-1.0], [inf], None)],
    # expm1: grad * (result + 1)
    "expm1": [("expm1 at 0, -inf", lambda x: tnp.expm1(x), [0.0, -inf], [1, 0], [1, 0])],
    # sign: zeros_like(grad), at 0 too
    "sign": [("sign at 0", lambda x: tnp.sign(x), [0.0, -2.0, 2.0], [0, 0, 0], [0, 0, 0])],
    # erf: 2/sqrt(pi) * exp(-x²)
    "erf": [("erf at 0", lambda x: fn.erf(x), [0.0], [2 / np.sqrt(np.pi)], [0]),
            ("erf at inf", lambda x: fn.erf(x), [inf], [0], None)],  # d2: -2x·e^(-x²) = nan
    # softplus_backward: sigmoid(x) (1 beyond its threshold, 0 at -inf)
    "softplus": [("softplus at 0, ±inf", lambda x: fn.softplus(x), [0.0, inf, -inf],
                  [0.5, 1, 0], [0.25, 0, 0])],
    # elu_backward: x <= 0 takes alpha * exp(x), so alpha at 0
    "elu": [("elu at 0, -inf", lambda x: fn.elu(x), [0.0, -inf, 2.0], [1, 0, 1], [1, 0, 0])],
    # logaddexp: grad * exp(x - result): a tie splits it evenly
    "logaddexp": [("logaddexp(x, 0) on a tie", lambda x: tnp.logaddexp(x, 0.0), [0.0, -inf],
                   [0.5, 0], [0.25, 0])],
    # floor_divide: not differentiable, zeros; remainder: grad for self,
    # -grad * floor(self / other) for other
    "floor_divide": [("x // 2", lambda x: x // 2.0, [0.0, 3.0], [0, 0], [0, 0])],
    "mod": [("x % 2", lambda x: x % 2.0, [0.0, 3.0], [1, 1], [0, 0]),
            ("5 % y", lambda y: 5.0 % y, [2.0], [-2], [0])],
    # _to_copy_backward: the gradient cast back to the input's dtype
    "astype": [("astype float32", lambda x: x.astype(np.float32), [0.0, 2.0], [1, 1], [0, 0])],
    # prod_backward: exact where entries are zero (one zero, two zeros)
    "prod": [("prod with one zero", lambda x: x.prod(), [0.0, 2.0, 3.0], [6, 0, 0],
              [5, 3, 2]),
             ("prod with two zeros", lambda x: x.prod(), [0.0, 0.0, 3.0], [0, 0, 0],
              [3, 3, 0])],
    # cumsum_backward: the reversed cumulative sum of the gradient
    "cumsum": [("cumsum with inf", lambda x: x.cumsum(), [0.0, inf, 1.0], [3, 2, 1],
                [0, 0, 0])],
    "einsum": [("einsum i,i-> at 0", lambda x: tnp.einsum("i,i->", x, x), [0.0, 3.0],
                [0, 6], [2, 2])],
}

# Inputs whose natural shape is a column (the course's (n, m) layout).
COLUMNS = {"binary_cross_entropy": (1, 2), "softmax_cross_entropy": (2, 1)}


def _case_id(case: tuple[str, Any, Any, Any, Any]) -> str:
    return case[0]


ALL = [(op, case) for op, cases in EDGES.items() for case in cases]


def test_every_registered_op_has_edge_cases() -> None:
    assert set(EDGES) == set(REGISTRY), set(REGISTRY) ^ set(EDGES)


def _x(op: str, values: list[float]) -> np.ndarray:
    x = np.array(values, dtype=np.float64)
    return x.reshape(COLUMNS[op]) if op in COLUMNS else x


@pytest.mark.parametrize(("op", "case"), ALL, ids=[f"{o}: {c[0]}" for o, c in ALL])
def test_first_and_second_derivatives_follow_pytorch(op: str, case: Any) -> None:
    _, f, values, d1, d2 = case
    x0 = _x(op, values)
    x = Tensor(x0, requires_grad=True)
    with np.errstate(all="ignore"):  # 1/0 and log(0) are the point here
        out = f(x)
        out.sum().backward()
    assert out.op is not None
    _same(x.grad, d1)
    if d2 is not None:
        with np.errstate(all="ignore"):
            second = grad(lambda v: grad(lambda u: f(u).sum())(v).sum())(x0)
        _same(second, d2)


def _same(got: Any, expected: list[float]) -> None:
    """Equal, inf for inf; 1e-300 of slack for sigmoid(-inf), which is 1e-308, not 0 (its
    input is floored at -709 so that exp never overflows)."""
    np.testing.assert_allclose(np.asarray(got).ravel(), np.array(expected, dtype=float),
                               rtol=1e-15, atol=1e-300)


@pytest.mark.parametrize("op", sorted(EDGES))
def test_every_op_refuses_backward_after_its_input_changed_in_place(op: str) -> None:
    _, f, values, _, _ = EDGES[op][0]
    x = Tensor(_x(op, [v if np.isfinite(v) else 1.0 for v in values]), requires_grad=True)
    with np.errstate(all="ignore"):
        out = f(x).sum()
    with no_grad():
        x *= 1.0  # the values do not even change: the change itself invalidates the graph
    with pytest.raises(RuntimeError, match="changed in place"):
        out.backward()


@pytest.mark.parametrize("op", sorted(EDGES))
def test_every_leaf_owns_a_writable_gradient(op: str) -> None:
    _, f, values, _, _ = EDGES[op][0]
    x = Tensor(_x(op, [v if np.isfinite(v) else 1.0 for v in values]), requires_grad=True)
    other = Tensor(np.ones_like(x.data), requires_grad=True)
    with np.errstate(all="ignore"):
        (f(x).sum() + (x + other).sum()).backward()
    for t in (x, other):
        assert type(t.grad) is np.ndarray and t.grad.flags.writeable and t.grad.base is None
    assert not np.shares_memory(x.grad, other.grad)
