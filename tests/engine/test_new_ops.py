"""The ops learners reach for (issue 12), swept like the registry's first ops: hypothesis
shapes with broadcasting, float32 and float64, gradients against central differences to the
first and the second order, and numpy's values for the same call on the underlying arrays.

Primitives registered by ``ops/trig.py``, ``ops/special.py`` and ``ops/arrays.py`` must each
have a case here (checked below), as ``tests/test_properties.py`` checks the older ones.
"""

from __future__ import annotations

import math
import warnings
from collections.abc import Callable
from typing import Any

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import tinygrad_course.numpy as tnp
from tinygrad_course import REGISTRY, ShapeWarning, Tensor, enable_grad, gradcheck
from tinygrad_course.compile.graph import backward_order
from tinygrad_course.engine.backward import gradients
from tinygrad_course.testing import arrays, axes, broadcastable_shapes, dtypes, keepdims, shapes

# (f on Tensors, the same on numpy arrays or None, inputs)
Built = tuple[Callable[..., Any], Callable[..., Any] | None, list[np.ndarray]]
CASES: dict[str, Callable[[st.DataObject], Built]] = {}
OP_OF: dict[str, str | None] = {}
RELAXED = [HealthCheck.too_slow, HealthCheck.filter_too_much]
FIRST = settings(max_examples=15, deadline=None, suppress_health_check=RELAXED)
SECOND = settings(max_examples=6, deadline=None, suppress_health_check=RELAXED)
NEW_MODULES = ("tinygrad_course.engine.ops.trig", "tinygrad_course.engine.ops.special",
               "tinygrad_course.engine.ops.arrays")


def case(label: str, op: str | None = None) -> Callable[[Any], Any]:
    def register(build: Any) -> Any:
        CASES[label] = build
        OP_OF[label] = op
        return build
    return register


# --- elementwise, unary: (method, numpy reference, value options keeping it smooth) ----------
UNARY: dict[str, tuple[str | None, Callable[..., Any], dict[str, Any]]] = {
    "sin": ("sin", np.sin, {}), "cos": ("cos", np.cos, {}),
    "tan": ("tan", np.tan, {"low": -1.2, "high": 1.2}),
    "sinh": ("sinh", np.sinh, {}), "cosh": ("cosh", np.cosh, {}),
    "arcsin": ("arcsin", np.arcsin, {"low": -0.8, "high": 0.8}),
    "arccos": ("arccos", np.arccos, {"low": -0.8, "high": 0.8}),
    "arctan": ("arctan", np.arctan, {}), "arcsinh": ("arcsinh", np.arcsinh, {}),
    "arctanh": ("arctanh", np.arctanh, {"low": -0.8, "high": 0.8}),
    "log1p": ("log1p", np.log1p, {"low": -0.7}), "expm1": ("expm1", np.expm1, {}),
    "sign": ("sign", np.sign, {"avoid": [0.0]}),
    "erf": ("erf", np.vectorize(math.erf), {}),
    "softplus": ("softplus", lambda x: np.logaddexp(0, x), {}),
    "log2": (None, np.log2, {"low": 0.2}), "log10": (None, np.log10, {"low": 0.2}),
    "exp2": (None, np.exp2, {}), "square": (None, np.square, {}),
    "reciprocal": (None, np.reciprocal, {"avoid": [0.0], "margin": 0.3}),
    "rsqrt": (None, lambda x: 1 / np.sqrt(x), {"low": 0.2}),
    "relu6": (None, lambda x: np.clip(x, 0, 6), {"low": -3, "high": 8, "avoid": [0.0, 6.0]}),
    "hardtanh": (None, lambda x: np.clip(x, -1, 1), {"avoid": [-1.0, 1.0]}),
    "gelu": (None, lambda x: x * 0.5 * (1 + np.vectorize(math.erf)(x / math.sqrt(2))), {}),
    "elu": ("elu", lambda x: np.where(x > 0, x, np.expm1(x)), {"avoid": [0.0]}),
}


def _unary(name: str, op: str | None, ref: Callable[..., Any], kw: dict[str, Any]) -> None:
    @case(f"{name}", op)
    def build(data: st.DataObject) -> Built:
        return (lambda t: getattr(t, name)()), ref, [data.draw(arrays(**kw))]


for _n, (_op, _ref, _kw) in UNARY.items():
    _unary(_n, _op, _ref, _kw)


@case("gelu-tanh")
def _gelu_tanh(data: st.DataObject) -> Built:
    ref = lambda x: 0.5 * x * (1 + np.tanh(math.sqrt(2 / math.pi) * (x + 0.044715 * x**3)))  # noqa: E731
    return (lambda t: t.gelu(approximate="tanh")), ref, [data.draw(arrays())]


@case("elu-alpha", "elu")
def _elu_alpha(data: st.DataObject) -> Built:
    alpha = data.draw(st.floats(0.1, 2.0), label="alpha")
    return ((lambda t: t.elu(alpha)), lambda x: np.where(x > 0, x, alpha * np.expm1(x)),
            [data.draw(arrays(avoid=[0.0]))])


# --- elementwise, binary with broadcasting --------------------------------------------------
def _binary(label: str, op: str, fn: Callable[..., Any], ref: Callable[..., Any],
            left: dict[str, Any], right: dict[str, Any]) -> None:
    @case(label, op)
    def build(data: st.DataObject) -> Built:
        sa, sb = data.draw(broadcastable_shapes(), label="shapes")
        dt = data.draw(dtypes(), label="dtype")
        return fn, ref, [data.draw(arrays(sa, dt, **left)), data.draw(arrays(sb, dt, **right))]


_binary("logaddexp", "logaddexp", tnp.logaddexp, np.logaddexp, {}, {})
# a/b kept away from whole numbers: floor(a/b) jumps there, and so does a % b
_numerators = {"low": 2.2, "high": 2.8}
_denominators = {"low": 1.0, "high": 1.05}  # a/b in [2.09, 2.8]: floor(a/b) = 2
_binary("mod", "mod", lambda a, b: a % b, np.mod, _numerators, _denominators)
_binary("floor_divide", "floor_divide", lambda a, b: a // b + a, lambda a, b: a // b + a,
        _numerators, _denominators)


@case("astype", "astype")
def _astype(data: st.DataObject) -> Built:
    x = data.draw(arrays())
    # up to float64 and back to the input's dtype (float32 stays float32, checked below);
    # the gradient of each cast comes back in the dtype of that cast's input
    return ((lambda t: (t.astype(np.float64) * 2).astype(t.dtype)),
            lambda a: (a.astype(np.float64) * 2).astype(a.dtype), [x])


# --- reductions -----------------------------------------------------------------------------
def _reduction(label: str, op: str | None, fn: Callable[..., Any], ref: Callable[..., Any],
               distinct: bool = False) -> None:
    @case(label, op)
    def build(data: st.DataObject) -> Built:
        x = data.draw(arrays(shapes(), dtypes(), distinct=distinct, margin=0.05,
                             low=-2.0, high=2.0))
        axis = data.draw(axes(x.ndim), label="axis")
        keep = data.draw(keepdims(), label="keepdims")
        return (lambda t: fn(t, axis, keep)), (lambda a: ref(a, axis, keep)), [x]


_reduction("min", None, lambda t, ax, k: t.min(axis=ax, keepdims=k),
           lambda a, ax, k: np.min(a, axis=ax, keepdims=k), distinct=True)
_reduction("prod", "prod", lambda t, ax, k: t.prod(axis=ax, keepdims=k),
           lambda a, ax, k: np.prod(a, axis=ax, keepdims=k))
_reduction("var", None, lambda t, ax, k: t.var(axis=ax, keepdims=k),
           lambda a, ax, k: np.var(a, axis=ax, keepdims=k))


@case("std-ddof1")
def _std(data: st.DataObject) -> Built:
    x = data.draw(arrays(shapes(min_dims=1, min_side=2), distinct=True, margin=0.05))
    axis = data.draw(st.integers(-x.ndim, x.ndim - 1), label="axis")
    keep = data.draw(keepdims(), label="keepdims")
    return ((lambda t: np.std(t, axis=axis, ddof=1, keepdims=keep)),
            (lambda a: np.std(a, axis=axis, ddof=1, keepdims=keep)), [x])


@case("prod-with-a-zero", "prod")
def _prod_zero(data: st.DataObject) -> Built:
    x = data.draw(arrays((3, 2)))
    x[1, 0] = 0  # the gradient of the others is the product of the rest, still defined
    return (lambda t: t.prod(axis=0)), (lambda a: np.prod(a, axis=0)), [x]


@case("cumsum", "cumsum")
def _cumsum(data: st.DataObject) -> Built:
    x = data.draw(arrays(shapes(min_dims=1)))
    axis = data.draw(st.none() | st.integers(-x.ndim, x.ndim - 1), label="axis")
    return (lambda t: t.cumsum(axis)), (lambda a: np.cumsum(a, axis)), [x]


# --- shapes ---------------------------------------------------------------------------------
def _shape_case(label: str, fn: Callable[..., Any], shape: Any = None) -> None:
    """``fn`` is applied to Tensors and to arrays alike (numpy's function is the reference)."""
    @case(label)
    def build(data: st.DataObject) -> Built:
        return fn, fn, [data.draw(arrays(shapes() if shape is None else shape))]


_shape_case("flatten-ravel", lambda x: np.ravel(x) * x.flatten())
_shape_case("squeeze-expand_dims", lambda x: np.expand_dims(np.squeeze(x), 0))
_shape_case("swapaxes", lambda x: np.swapaxes(x, 0, -1), shapes(min_dims=1))
_shape_case("moveaxis", lambda x: np.moveaxis(x, 0, -1), shapes(min_dims=1))
_shape_case("flip", lambda x: np.flip(x, 0), shapes(min_dims=1))
_shape_case("flip-all", lambda x: np.flip(x))
_shape_case("split", lambda x: np.split(x, [1], axis=-1)[1] * 3, shapes(min_dims=1))
_shape_case("vstack", lambda x: np.vstack([x, 2 * x]), shapes(max_dims=2))
_shape_case("hstack", lambda x: np.hstack([x, x * x]), shapes(max_dims=2))
_shape_case("repeat", lambda x: np.repeat(x, 2, axis=0) ** 2, shapes(min_dims=1))
_shape_case("repeat-flat", lambda x: np.repeat(x, 2) ** 2)
_shape_case("tile", lambda x: np.tile(x, (2, 1)) ** 2)
_shape_case("pad", lambda x: np.pad(x, 1, constant_values=0.5) ** 2, shapes(min_dims=1))
_shape_case("broadcast_to", lambda x: np.broadcast_to(x, (2,) + x.shape) ** 2)
_shape_case("tril-triu", lambda x: np.tril(x, -1) + np.triu(x) ** 2, shapes(min_dims=2,
                                                                            max_dims=2))
_shape_case("diag-trace", lambda x: np.diag(np.diag(x, 1)) * np.trace(x),
            shapes(min_dims=2, max_dims=2, min_side=2))
_shape_case("outer", lambda x: np.outer(x, x ** 2), shapes(max_dims=2))


@case("sort")
def _sort(data: st.DataObject) -> Built:
    x = data.draw(arrays(shapes(min_dims=1), distinct=True, margin=0.05))
    w = np.arange(x.shape[-1], dtype=x.dtype) + 1  # weights: the order matters to the value
    return (lambda t: np.sort(t) * w), (lambda a: np.sort(a) * w), [x]


@case("take_along_axis")
def _take(data: st.DataObject) -> Built:
    x = data.draw(arrays(shapes(min_dims=2, max_dims=2)))
    idx = data.draw(st.lists(st.integers(0, x.shape[1] - 1), min_size=x.shape[0] * 2,
                             max_size=x.shape[0] * 2), label="idx")
    index = np.array(idx).reshape(x.shape[0], 2)  # repeats on purpose: gradients add up
    return ((lambda t: np.take_along_axis(t, index, axis=1) ** 2),
            (lambda a: np.take_along_axis(a, index, axis=1) ** 2), [x])


# --- products -------------------------------------------------------------------------------
@case("dot")
def _dot(data: st.DataObject) -> Built:
    n, k, m, b = (data.draw(st.integers(1, 3), label=c) for c in "nkmb")
    pairs = [((), (k, m)), ((k,), (k,)), ((n, k), (k,)), ((k,), (k, m)), ((n, k), (k, m)),
             ((b, n, k), (k, m)), ((n, k), (b, k, m)), ((b, n, k), (2, k, m))]
    sa, sb = data.draw(st.sampled_from(pairs), label="shapes")
    dt = data.draw(dtypes(), label="dtype")
    return np.dot, np.dot, [data.draw(arrays(sa, dt)), data.draw(arrays(sb, dt))]


@case("tensordot")
def _tensordot(data: st.DataObject) -> Built:
    dt = data.draw(dtypes(), label="dtype")
    spec = data.draw(st.sampled_from([(2, (2, 3), (2, 3)), (1, (2, 3), (3, 2)),
                                      (([0, 1], [1, 0]), (2, 3, 2), (3, 2, 2))]), label="axes")
    ax, sa, sb = spec
    return ((lambda a, b: np.tensordot(a, b, axes=ax)), (lambda a, b: np.tensordot(a, b, ax)),
            [data.draw(arrays(sa, dt)), data.draw(arrays(sb, dt))])


EINSUMS = [("ij,jk->ik", (2, 3), (3, 2)), ("i,i->", (3,), (3,)), ("ij->ji", (2, 3), None),
           ("bij,bjk->bik", (2, 2, 3), (2, 3, 2)), ("ij,j->i", (2, 3), (3,)),
           ("ij->", (2, 3), None), ("ij,kj", (2, 3), (2, 3)), ("i,j->ij", (2,), (3,)),
           ("ijk,k->j", (2, 3, 2), (2,))]


@case("einsum", "einsum")
def _einsum(data: st.DataObject) -> Built:
    spec, sa, sb = data.draw(st.sampled_from(EINSUMS), label="subscripts")
    dt = data.draw(dtypes(), label="dtype")
    xs = [data.draw(arrays(s, dt)) for s in (sa, sb) if s is not None]
    return (lambda *ts: np.einsum(spec, *ts)), (lambda *a: np.einsum(spec, *a)), xs


# --- the sweep ------------------------------------------------------------------------------
LABELS = sorted(CASES)


def _ops(out: Tensor) -> set[str]:
    """Names of the ops recorded in ``out``'s graph."""
    return {t.op.name for t in backward_order(out) if t.op is not None}


def test_every_new_primitive_has_a_case() -> None:
    mine = {n for n, op in REGISTRY.items() if op.vjps[0].__module__ in NEW_MODULES}
    assert mine, "the new primitive modules registered nothing"
    missing = mine - {op for op in OP_OF.values() if op}
    assert not missing, f"new ops without a case here: {sorted(missing)}"


@pytest.mark.parametrize("label", LABELS)
@FIRST
@given(data=st.data())
def test_values_dtype_and_first_derivative(label: str, data: st.DataObject) -> None:
    f, ref, inputs = CASES[label](data)
    dtype = inputs[0].dtype
    ts = [Tensor(x, requires_grad=True) for x in inputs]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ShapeWarning)
        out = f(*ts)
        assert isinstance(out, Tensor), f"{label}: got {type(out).__name__}, not a Tensor"
        op = OP_OF[label]
        assert op is None or op in _ops(out), f"{op} not recorded: {_ops(out)}"
        assert out.dtype == dtype, f"{label}: {dtype} in, {out.dtype} out"
        if ref is not None:
            expected = np.asarray(ref(*inputs))
            np.testing.assert_allclose(out.data, expected, rtol=2e-6 if dtype == np.float32
                                       else 1e-12, atol=1e-6)
            assert out.shape == expected.shape
        out.backward(np.ones_like(out.data))
        for t in ts:
            assert t.grad is not None and t.grad.shape == t.shape and t.grad.dtype == dtype
        result = gradcheck(f, *inputs, eps=1e-6, tol=1e-7)
    assert result.passed, f"{label}: {result!r} at shapes {[x.shape for x in inputs]}"


@pytest.mark.parametrize("label", LABELS)
@SECOND
@given(data=st.data())
def test_second_derivative(label: str, data: st.DataObject) -> None:
    f, _, inputs = CASES[label](data)
    rng = np.random.default_rng(data.draw(st.integers(0, 2**32 - 1), label="seed"))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ShapeWarning)
        w = rng.standard_normal(f(*[Tensor(x) for x in inputs]).shape)
        vs = [rng.standard_normal(x.shape) for x in inputs]

        def first_derivative_dot_v(*xs: Tensor) -> Tensor:
            dt = xs[0].dtype
            with enable_grad():
                gs = gradients((f(*xs) * w.astype(dt)).sum(), list(xs), create_graph=True)
            # 0·x keeps the result in the graph when the first derivative is constant
            total = sum(((x * 0).sum() for x in xs), Tensor(0.0, dtype=dt))
            for g, v in zip(gs, vs):
                if g is not None:
                    total = total + (g * v.astype(dt)).sum()
            return total

        ts = [Tensor(x, requires_grad=True) for x in inputs]
        out = first_derivative_dot_v(*ts)
        out.backward()
        assert all(t.grad is not None and t.grad.dtype == t.dtype for t in ts)
        result = gradcheck(first_derivative_dot_v, *inputs, eps=1e-5, tol=1e-7)
    assert result.passed, f"{label}: second order {result!r}"
