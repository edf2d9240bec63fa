"""Every registered op, property-tested against central differences over random inputs.

Each case draws shapes, dtypes and values (kept away from kinks and domain edges), checks
that the op really appears in the recorded graph, that float32 stays float32 (output and
gradients), and that backprop agrees with ``gradcheck`` (the course's difference < 1e-7).
"""

from __future__ import annotations

import contextlib
import importlib
import operator
import pkgutil
import warnings
from collections.abc import Callable
from typing import Any

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

import tinygrad_course
from tinygrad_course import (
    REGISTRY,
    ShapeWarning,
    Tensor,
    concatenate,
    enable_grad,
    gradcheck,
    log_softmax,
    logsumexp,
    maximum,
    minimum,
    softmax,
    stack,
    where,
)
from tinygrad_course.compile.graph import backward_order
from tinygrad_course.engine.backward import gradients
from tinygrad_course.engine.ops import movement as M
from tinygrad_course.engine.record import apply
from tinygrad_course.testing import (
    arrays,
    axes,
    broadcastable_shapes,
    dtypes,
    keepdims,
    matmul_shapes,
    shapes,
)

Built = tuple[Callable[..., Tensor], list[np.ndarray]]
Builder = Callable[[st.DataObject], Built]
CASES: dict[str, dict[str, Builder]] = {}
# too_slow off: on 2 shared CI cores drawing can be slow without anything being wrong.
RELAXED = [HealthCheck.too_slow]
EXAMPLES = settings(max_examples=40, deadline=None, suppress_health_check=RELAXED)
# eps 1e-6 rather than the course's 1e-7: the rounding error of a central difference is about
# 1e-16·|f|/eps, which for small gradients of O(1) values (tanh near ±3, a**b near b = 0)
# comes close to the tolerance at eps 1e-7; at 1e-6 it is 10x further away while the
# truncation error (about eps² times the third derivative) stays far below the tolerance.
EPS, TOL = 1e-6, 1e-7


def case(op: str, label: str) -> Callable[[Builder], Builder]:
    """Register a builder that draws ``(f, inputs)`` exercising ``op``."""
    def register(build: Builder) -> Builder:
        CASES.setdefault(op, {})[label] = build
        return build
    return register


def ops_in_graph(out: Tensor) -> set[str]:
    """Names of the ops recorded in ``out``'s graph."""
    return {t.op.name for t in backward_order(out) if t.op is not None}


def check(op: str | None, f: Callable[..., Tensor], inputs: list[np.ndarray]) -> None:
    """``op`` is recorded, dtypes are preserved, and backprop matches central differences."""
    dtype = inputs[0].dtype
    assert all(x.dtype == dtype for x in inputs)
    ts = [Tensor(x, requires_grad=True) for x in inputs]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ShapeWarning)  # rank-1 broadcasts are tested on purpose
        out = f(*ts)
        assert op is None or op in ops_in_graph(out), f"{op} not in {ops_in_graph(out)}"
        assert out.dtype == dtype, f"{op}: {dtype} inputs gave a {out.dtype} output"
        out.backward(np.ones_like(out.data))
        for t in ts:
            assert t.grad is not None and t.grad.shape == t.shape
            assert t.grad.dtype == dtype, f"{op}: {dtype} input got a {t.grad.dtype} gradient"
        result = gradcheck(f, *inputs, eps=EPS, tol=TOL)
    assert result.passed, f"{op}: {result!r} for input shapes {[x.shape for x in inputs]}"


# --- elementwise -------------------------------------------------------------------------
ARITHMETIC = {"add": operator.add, "sub": operator.sub, "mul": operator.mul,
              "div": operator.truediv, "pow": operator.pow}
# Per op: value options for (left, right). div keeps b away from 0; pow has a positive base.
DOMAINS: dict[str, tuple[dict[str, Any], dict[str, Any]]] = {
    "add": ({}, {}), "sub": ({}, {}), "mul": ({}, {}),
    "div": ({}, {"avoid": [0.0], "margin": 0.5}),
    # pow: a positive base away from 1 (d/db = log(a)·a^b vanishes there), b away from 0
    # (d/da = b·a^(b-1) vanishes there): a tiny gradient of an O(1) value is all rounding.
    "pow": ({"low": 0.3, "high": 2.5, "avoid": [1.0], "margin": 0.2},
            {"low": -2.0, "high": 2.0, "avoid": [0.0], "margin": 0.2}),
}


def _broadcast_case(name: str) -> None:
    fn, (left, right) = ARITHMETIC[name], DOMAINS[name]

    @case(name, "broadcast")
    def build(data: st.DataObject) -> Built:
        sa, sb = data.draw(broadcastable_shapes(allow_rank_one=True), label="shapes")
        dt = data.draw(dtypes(), label="dtype")
        return fn, [data.draw(arrays(sa, dt, **left)), data.draw(arrays(sb, dt, **right))]

    @case(name, "python-scalar")
    def build_scalar(data: st.DataObject) -> Built:
        # A Python number on either side; the tensor side keeps its dtype (weak scalars).
        on_left = data.draw(st.booleans(), label="scalar on the left")
        tensor_kw, scalar_kw = (right, left) if on_left else (left, right)
        dt = data.draw(dtypes(), label="dtype")
        x = data.draw(arrays(shapes(), dt, **tensor_kw))
        s = float(data.draw(arrays((), np.float64, **scalar_kw)))
        return ((lambda t: fn(s, t)) if on_left else (lambda t: fn(t, s))), [x]


for _name in ARITHMETIC:
    _broadcast_case(_name)


@case("pow", "integer-exponent")
def _pow_int(data: st.DataObject) -> Built:
    k = data.draw(st.integers(1, 4), label="k")  # any sign of base: x**k is a polynomial
    return (lambda x: x ** k), [data.draw(arrays(dtype=dtypes()))]


@case("neg", "unary")
def _neg(data: st.DataObject) -> Built:
    return operator.neg, [data.draw(arrays())]


# Unary methods with the value options that keep them differentiable and in their domain.
UNARY: dict[str, dict[str, Any]] = {
    "exp": {}, "sigmoid": {}, "tanh": {},
    "log": {"low": 0.2}, "sqrt": {"low": 0.2},
    "abs": {"avoid": [0.0]}, "relu": {"avoid": [0.0]},
}


def _unary_case(name: str, values: dict[str, Any]) -> None:
    @case(name, "unary")
    def build(data: st.DataObject) -> Built:
        return (lambda t: getattr(t, name)()), [data.draw(arrays(**values))]


for _name, _kw in UNARY.items():
    _unary_case(_name, _kw)


@case("leaky_relu", "slope")
def _leaky_relu(data: st.DataObject) -> Built:
    slope = data.draw(st.none() | st.floats(0.0, 0.5), label="slope")
    x = data.draw(arrays(avoid=[0.0]))
    return ((lambda t: t.leaky_relu()) if slope is None else (lambda t: t.leaky_relu(slope))), [x]


@case("clip", "bounds")
def _clip(data: st.DataObject) -> Built:
    lo = data.draw(st.none() | st.floats(-2.0, 0.0), label="lo")
    hi = data.draw(st.none() | st.floats(0.5, 2.0), label="hi")
    x = data.draw(arrays(avoid=[b for b in (lo, hi) if b is not None], margin=0.1))
    return (lambda t: t.clip(lo, hi)), [x]


def _extremum_cases(name: str, fn: Callable[..., Tensor]) -> None:
    @case(name, "broadcast")
    def build(data: st.DataObject) -> Built:
        # Both operands come from one tie-free draw, so no a[i] equals any b[j].
        sa, sb = data.draw(broadcastable_shapes(allow_rank_one=True), label="shapes")
        n = int(np.prod(sa))
        both = data.draw(arrays((n + int(np.prod(sb)),), dtypes(), distinct=True, margin=0.05))
        return fn, [both[:n].reshape(sa), both[n:].reshape(sb)]

    @case(name, "python-scalar")
    def build_scalar(data: st.DataObject) -> Built:
        c = data.draw(st.floats(-2.0, 2.0), label="c")
        return (lambda t: fn(c, t)), [data.draw(arrays(dtype=dtypes(), avoid=[c]))]


_extremum_cases("maximum", maximum)
_extremum_cases("minimum", minimum)


@case("where", "broadcast")
def _where(data: st.DataObject) -> Built:
    sc, sa, sb = data.draw(broadcastable_shapes(3, allow_rank_one=True), label="shapes")
    cond = data.draw(hnp.arrays(np.bool_, sc), label="cond")
    dt = data.draw(dtypes())
    return (lambda a, b: where(cond, a, b)), [data.draw(arrays(sa, dt)),
                                              data.draw(arrays(sb, dt))]


@case("where", "scalar-branch")
def _where_scalar(data: st.DataObject) -> Built:
    x = data.draw(arrays(avoid=[0.0]))  # the mask is read from x: keep x off the switch
    return (lambda t: where(t.data > 0, t, 0.0)), [x]


# --- the fused cross-entropy cost -----------------------------------------------------------
@case("binary_cross_entropy", "probabilities-and-labels")
def _bce(data: st.DataObject) -> Built:
    # A in (0, 1) away from the ends (log blows up there); Y soft labels in [0, 1] so the
    # gradient with respect to Y (rarely wanted, but defined) is checked too.
    shape = data.draw(shapes(min_dims=1), label="shape")
    dt = data.draw(dtypes(), label="dtype")
    a = data.draw(arrays(shape, dt, low=0.05, high=0.95))
    y = data.draw(arrays(shape, dt, low=0.0, high=1.0))
    m = shape[-1]
    return (lambda A, Y: apply(REGISTRY["binary_cross_entropy"], (A, Y),
                               {"one_minus_y": 1 - Y.data, "scale": -1.0 / m})), [a, y]


@case("softmax_cross_entropy", "logits-and-soft-labels")
def _softmax_ce(data: st.DataObject) -> Built:
    # Z (C, m) logits; Y soft labels (columns need not sum to 1, so the general rule
    # -1/m (Y - softmax(Z) ΣY) is what gets checked, and dJ/dY too).
    C = data.draw(st.integers(1, 4), label="C")
    m = data.draw(st.integers(1, 4), label="m")
    dt = data.draw(dtypes(), label="dtype")
    z = data.draw(arrays((C, m), dt, low=-3.0, high=3.0))
    y = data.draw(arrays((C, m), dt, low=0.0, high=1.0))
    return (lambda Z, Y: apply(REGISTRY["softmax_cross_entropy"], (Z, Y),
                               {"scale": -1.0 / m})), [z, y]


# --- reductions --------------------------------------------------------------------------
def _reduction(name: str) -> None:
    @case(name, "axes-keepdims")
    def build(data: st.DataObject) -> Built:
        x = data.draw(arrays(shapes(), dtypes(), distinct=name == "max", margin=0.05))
        axis = data.draw(axes(x.ndim), label="axis")
        keep = data.draw(keepdims(), label="keepdims")
        return (lambda t: getattr(t, name)(axis=axis, keepdims=keep)), [x]


for _name in ("sum", "mean", "max"):
    _reduction(_name)


# --- shape ops ---------------------------------------------------------------------------
@st.composite
def same_size_shapes(draw: Any, size: int) -> tuple[int, ...]:
    """A random shape holding ``size`` elements (split into divisors, 1s sprinkled in)."""
    dims, rest = [], size
    while rest > 1 and len(dims) < 2:
        d = draw(st.sampled_from([k for k in range(2, rest + 1) if rest % k == 0]))
        dims.append(d)
        rest //= d
    dims += [rest] if rest > 1 else []
    dims += [1] * draw(st.integers(0, 1))
    return tuple(draw(st.permutations(dims)))


@case("reshape", "same-size")
def _reshape(data: st.DataObject) -> Built:
    x = data.draw(arrays())
    new = data.draw(same_size_shapes(x.size), label="new shape")
    if new and data.draw(st.booleans(), label="use -1"):
        new = (-1,) + new[1:]
    return (lambda t: t.reshape(new)), [x]


@case("transpose", "permutation")
def _transpose(data: st.DataObject) -> Built:
    x = data.draw(arrays())
    perm = data.draw(st.none() | st.permutations(range(x.ndim)), label="axes")
    return ((lambda t: t.T) if perm is None else (lambda t: t.transpose(*perm))), [x]


@case("getitem", "basic-slices")
def _getitem_basic(data: st.DataObject) -> Built:
    x = data.draw(arrays(shapes(min_dims=1)))
    index = data.draw(hnp.basic_indices(x.shape, allow_newaxis=True), label="index")
    return (lambda t: t[index]), [x]


@st.composite
def repeated_indices(draw: Any, n: int) -> np.ndarray:
    """Integer indices into an axis of length ``n`` (negative too), with a repeat for sure."""
    idx = draw(st.lists(st.integers(-n, n - 1), min_size=1, max_size=5))
    return np.array(idx + [idx[0]])


@case("getitem", "int-array-repeats")
def _getitem_repeats(data: st.DataObject) -> Built:
    x = data.draw(arrays(shapes(min_dims=2)))
    axis = data.draw(st.integers(0, 1), label="axis")
    idx = data.draw(repeated_indices(x.shape[axis]), label="idx")
    index = (slice(None),) * axis + (idx,)
    return (lambda t: t[index]), [x]


@case("getitem", "int-array-pairs")
def _getitem_pairs(data: st.DataObject) -> Built:
    x = data.draw(arrays(shapes(min_dims=2, max_dims=2)))
    index = data.draw(hnp.integer_array_indices(x.shape), label="index")
    return (lambda t: t[index] * t[index]), [x]  # squared: repeats matter for the value too


@case("getitem", "bool-mask")
def _getitem_mask(data: st.DataObject) -> Built:
    x = data.draw(arrays())
    mask = data.draw(hnp.arrays(np.bool_, x.shape), label="mask")
    return (lambda t: t[mask]), [x]


@case("scatter", "repeated-rows")
def _scatter(data: st.DataObject) -> Built:
    shape = data.draw(shapes(min_dims=1), label="shape")
    idx = data.draw(repeated_indices(shape[0]), label="idx")
    x = data.draw(arrays((len(idx),) + shape[1:]))
    return (lambda t: apply(M.SCATTER, (t,), {"index": idx, "shape": shape})), [x]


@case("scatter", "basic-index")
def _scatter_basic(data: st.DataObject) -> Built:
    shape = data.draw(shapes(min_dims=1), label="shape")
    index = data.draw(hnp.basic_indices(shape), label="index")
    x = data.draw(arrays(np.empty(shape)[index].shape))
    return (lambda t: apply(M.SCATTER, (t,), {"index": index, "shape": shape})), [x]


@st.composite
def shape_and_target(draw: Any) -> tuple[tuple[int, ...], tuple[int, ...]]:
    """``(small, big)`` where ``small`` broadcasts *to* ``big`` (rank-1 included)."""
    big = draw(shapes(min_dims=1))
    small = draw(hnp.broadcastable_shapes(big, max_dims=len(big)).filter(
        lambda s: np.broadcast_shapes(s, big) == big))
    return tuple(small), big


@case("broadcast_to", "to-target")
def _broadcast_to(data: st.DataObject) -> Built:
    small, big = data.draw(shape_and_target(), label="shapes")
    return (lambda t: apply(M.BROADCAST_TO, (t,), {"shape": big})), [data.draw(arrays(small))]


@case("sum_to", "to-target")
def _sum_to(data: st.DataObject) -> Built:
    small, big = data.draw(shape_and_target(), label="shapes")
    return (lambda t: apply(M.SUM_TO, (t,), {"shape": small})), [data.draw(arrays(big))]


@case("concatenate", "several-inputs")
def _concatenate(data: st.DataObject) -> Built:
    base = data.draw(shapes(min_dims=1), label="base")
    axis = data.draw(st.integers(-len(base), len(base) - 1), label="axis")
    sizes = data.draw(st.lists(st.integers(1, 3), min_size=1, max_size=4), label="sizes")
    dt = data.draw(dtypes())
    parts = [data.draw(arrays(base[:axis % len(base)] + (n,) + base[axis % len(base) + 1:], dt))
             for n in sizes]
    return (lambda *ts: concatenate(list(ts), axis=axis)), parts


@case("stack", "several-inputs")
def _stack(data: st.DataObject) -> Built:
    shape = data.draw(shapes(), label="shape")
    k = data.draw(st.integers(1, 4), label="k")
    axis = data.draw(st.integers(-len(shape) - 1, len(shape)), label="axis")
    dt = data.draw(dtypes())
    return (lambda *ts: stack(list(ts), axis=axis)), [data.draw(arrays(shape, dt))
                                                       for _ in range(k)]


@case("matmul", "2d-1d-batched")
def _matmul(data: st.DataObject) -> Built:
    sa, sb = data.draw(matmul_shapes(), label="shapes")
    dt = data.draw(dtypes())
    return operator.matmul, [data.draw(arrays(sa, dt)), data.draw(arrays(sb, dt))]


ALL_CASES = [(op, label) for op in sorted(CASES) for label in sorted(CASES[op])]


def test_every_registered_op_has_a_property_test() -> None:
    # Ops register on import: import every module first, so an op defined anywhere counts.
    for module in pkgutil.walk_packages(tinygrad_course.__path__, "tinygrad_course."):
        if not module.name.endswith("__main__"):
            with contextlib.suppress(ImportError):  # a module needing a missing extra
                importlib.import_module(module.name)
    # The ops of issue 12's modules are swept by tests/engine/test_new_ops.py (which checks
    # that each of them has a case there).
    elsewhere = {n for n, op in REGISTRY.items() if op.vjps[0].__module__.rsplit(".", 1)[-1]
                 in ("trig", "special", "arrays")}
    missing, stale = set(REGISTRY) - set(CASES) - elsewhere, set(CASES) - set(REGISTRY)
    assert not missing, f"ops without a property test: {sorted(missing)} (add a @case)"
    assert not stale, f"cases for ops that are not registered: {sorted(stale)}"


@pytest.mark.parametrize(("op", "label"), ALL_CASES, ids=[f"{o}-{lb}" for o, lb in ALL_CASES])
@EXAMPLES
@given(data=st.data())
def test_op_matches_central_differences(op: str, label: str, data: st.DataObject) -> None:
    check(op, *CASES[op][label](data))


# --- the stable softmax family (composed, not primitives) ----------------------------------
@pytest.mark.parametrize("name", ["softmax", "log_softmax", "logsumexp"])
@EXAMPLES
@given(data=st.data())
def test_softmax_family_values_and_gradients(name: str, data: st.DataObject) -> None:
    x = data.draw(arrays(shapes(min_dims=1), dtypes()), label="x")
    if name == "logsumexp":
        axis = data.draw(axes(x.ndim), label="axis")
        keep = data.draw(keepdims(), label="keepdims")
        f = lambda t: logsumexp(t, axis=axis, keepdims=keep)  # noqa: E731
        expected = np.logaddexp.reduce(x.astype(np.float64), axis=axis, keepdims=keep)
    else:
        axis = data.draw(st.integers(-x.ndim, x.ndim - 1), label="axis")
        f = (lambda t: softmax(t, axis=axis)) if name == "softmax" else (
            lambda t: log_softmax(t, axis=axis))
        lse = np.logaddexp.reduce(x.astype(np.float64), axis=axis, keepdims=True)
        expected = np.exp(x - lse) if name == "softmax" else x - lse
    np.testing.assert_allclose(f(Tensor(x)).data, expected, rtol=1e-5, atol=1e-6)
    check(None, f, [x])


@pytest.mark.parametrize("name", ["softmax", "log_softmax", "logsumexp"])
@EXAMPLES
@given(x=arrays(shapes(min_dims=1, max_dims=2), dtypes()),
       scale=st.sampled_from([1e3, 1e6, 1e30]), shift=st.sampled_from([0.0, 1e4, -1e4]))
def test_softmax_family_is_finite_on_huge_inputs(name: str, x: np.ndarray, scale: float,
                                                 shift: float) -> None:
    # exp(1e4) overflows even float64: only the max-shifted forms stay finite.
    t = Tensor(x * x.dtype.type(scale) + x.dtype.type(shift), requires_grad=True)
    fn = {"softmax": softmax, "log_softmax": log_softmax,
          "logsumexp": lambda a, axis: logsumexp(a, axis=axis)}[name]
    with np.errstate(over="raise", invalid="raise"):
        out = fn(t, axis=0)
        (out * np.linspace(-1.0, 1.0, out.size, dtype=x.dtype).reshape(out.shape)).sum().backward()
    assert np.all(np.isfinite(out.data)) and np.all(np.isfinite(t.grad))
    assert out.dtype == x.dtype and t.grad.dtype == x.dtype
    if name == "softmax":
        assert np.all((out.data >= 0) & (out.data <= 1))


@pytest.mark.parametrize("x", [np.float32([1e4, 1e4]), np.array([1e30, 1e30])],
                         ids=["float32-1e4", "float64-1e30"])
def test_softmax_of_huge_equal_logits_is_uniform(x: np.ndarray) -> None:
    np.testing.assert_allclose(softmax(Tensor(x)).data, [0.5, 0.5], rtol=1e-6)
    np.testing.assert_allclose(log_softmax(Tensor(x)).data, np.log([0.5, 0.5]), rtol=1e-6)


# --- dtype: float32 stays float32, Python numbers never upcast -----------------------------
SCALAR_EXPRESSIONS: dict[str, Callable[[Tensor], Tensor]] = {
    "x + 2": lambda x: x + 2, "2 - x": lambda x: 2 - x, "x * 0.5": lambda x: x * 0.5,
    "3 / x": lambda x: 3 / x, "x / 3": lambda x: x / 3, "x ** 2": lambda x: x ** 2,
    "x ** 0.5": lambda x: x ** 0.5, "-x": lambda x: -x, "2.0 ** x": lambda x: 2.0 ** x,
    "maximum(x, 1.0)": lambda x: maximum(x, 1.0), "minimum(1.0, x)": lambda x: minimum(1.0, x),
    "where(x > 1, x, 0.5)": lambda x: where(x.data > 1, x, 0.5),
    "x.clip(0.7, 1.5)": lambda x: x.clip(0.7, 1.5),
    "x.leaky_relu(0.2)": lambda x: x.leaky_relu(0.2),
    "x.mean(0)": lambda x: x.mean(axis=0), "softmax(3 * x)": lambda x: softmax(3 * x),
    "logsumexp(x - 1)": lambda x: logsumexp(x - 1),
}


@pytest.mark.parametrize("expr", list(SCALAR_EXPRESSIONS))
@settings(max_examples=10, deadline=None, suppress_health_check=RELAXED)
@given(x=arrays(shapes(min_dims=1), np.float32, low=0.5, high=2.0,
                avoid=[0.7, 1.0, 1.5], margin=0.05))
def test_python_scalars_never_upcast_float32(expr: str, x: np.ndarray) -> None:
    t = Tensor(x, requires_grad=True)
    out = SCALAR_EXPRESSIONS[expr](t)
    assert out.dtype == np.float32, f"{expr}: float32 in, {out.dtype} out"
    out.sum().backward()
    assert t.grad.dtype == np.float32, f"{expr}: float32 tensor got a {t.grad.dtype} gradient"


# --- second order: create_graph=True against central differences of the first derivative --
SECOND_ORDER: dict[str, Builder] = {
    "tanh-sigmoid-exp": lambda d: (lambda x: x.tanh() * x.sigmoid() + (0.5 * x).exp(),
                                   [d.draw(arrays(dtype=dtypes()))]),
    "log-sqrt": lambda d: (lambda x: x.log() * x.sqrt(), [d.draw(arrays(low=0.3))]),
    "mul-div-broadcast": CASES["div"]["broadcast"],
    "pow-tensor-exponent": CASES["pow"]["broadcast"],
    "matmul": CASES["matmul"]["2d-1d-batched"],
    "relu-abs-leaky-clip": lambda d: (
        lambda x: x * (x.relu() + x.abs() + x.leaky_relu(0.1) + x.clip(-1.0, 1.0)),
        [d.draw(arrays(avoid=[0.0, -1.0, 1.0]))]),
    "max-getitem-repeats": lambda d: (lambda x: x[np.array([0, 0, -1])].max(axis=0) ** 2,
                                      [d.draw(arrays((3, 2), distinct=True, margin=0.05))]),
    # The mask is read from a: a stays off 0 so the differences do not flip it.
    "maximum-where": lambda d: (lambda a, b: maximum(a, b) * where(a.data > 0, a, b),
                                list(d.draw(arrays((2, 3), distinct=True, avoid=[0.0],
                                                   margin=0.05)))),
    "concatenate-stack-mean": lambda d: (
        lambda a, b: stack([concatenate([a, b * a]), concatenate([b.mean() * a, b])],
                           axis=1) ** 2,
        list(d.draw(arrays((2, 2))))),
    "softmax-logsumexp": lambda d: (lambda x: softmax(x) * logsumexp(x, axis=0),
                                    [d.draw(arrays((3, 2)))]),
    # The fused costs: their rules must stay differentiable in both inputs.
    "binary-cross-entropy": CASES["binary_cross_entropy"]["probabilities-and-labels"],
    "softmax-cross-entropy": CASES["softmax_cross_entropy"]["logits-and-soft-labels"],
}


@pytest.mark.parametrize("name", sorted(SECOND_ORDER))
@settings(max_examples=12, deadline=None, suppress_health_check=RELAXED)
@given(data=st.data())
def test_second_order_matches_gradcheck_of_first_derivative(name: str, data: st.DataObject
                                                            ) -> None:
    f, inputs = SECOND_ORDER[name](data)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ShapeWarning)
        shape = f(*[Tensor(x) for x in inputs]).shape
        # w projects f's output to a scalar, v the gradient: random directions (as gradcheck
        # itself uses), not drawn values, which shrink to special ones (v = constant lies in
        # softmax's null space, making the checked second derivative exactly 0).
        rng = np.random.default_rng(data.draw(st.integers(0, 2**32 - 1), label="seed"))
        w = rng.standard_normal(shape)
        vs = [rng.standard_normal(x.shape) for x in inputs]

        def first_derivative_dot_v(*xs: Tensor) -> Tensor:
            dt = xs[0].dtype  # w and v in the inputs' dtype: float32 must stay float32
            with enable_grad():  # gradcheck's differences run under no_grad()
                gs = gradients((f(*xs) * w.astype(dt)).sum(), list(xs), create_graph=True)
            assert all(isinstance(g, Tensor) and g.requires_grad for g in gs)
            return sum(((g * v.astype(dt)).sum() for g, v in zip(gs, vs)), Tensor(0.0, dtype=dt))

        # backward(create_graph=True) leaves Tensor gradients with the plain backward's values.
        plain = [Tensor(x, requires_grad=True) for x in inputs]
        (f(*plain) * w.astype(inputs[0].dtype)).sum().backward()
        graphed = [Tensor(x, requires_grad=True) for x in inputs]
        (f(*graphed) * w.astype(inputs[0].dtype)).sum().backward(create_graph=True)
        for p, g in zip(plain, graphed):
            assert isinstance(g.grad, Tensor) and g.grad.dtype == p.grad.dtype == p.dtype
            np.testing.assert_allclose(g.grad.data, p.grad, rtol=1e-5, atol=1e-6)
        # float32 stays float32 through the gradient's own graph, too.
        ts = [Tensor(x, requires_grad=True) for x in inputs]
        first_derivative_dot_v(*ts).backward()
        assert all(t.grad is not None and t.grad.dtype == t.dtype for t in ts)
        # eps 1e-5: the differenced function is itself a derivative, often piecewise linear
        # here, with terms of very different sizes; a larger step keeps rounding (~1e-16·|f|
        # /eps) off the small ones, and truncation (eps² · 4th derivative) is still ~1e-9.
        result = gradcheck(first_derivative_dot_v, *inputs, eps=1e-5, tol=TOL)
    assert result.passed, f"{name}: second order {result!r}"
