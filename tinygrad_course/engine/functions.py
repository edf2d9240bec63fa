"""Elementwise functions and reductions on Tensors, with numpy's signatures and semantics.

Each is one primitive (``engine/ops``) or a short composite of primitives; they accept
Tensors, numpy arrays and Python numbers alike and always return a Tensor. These are what
``tinygrad_course.numpy`` exports and what numpy's protocols dispatch to.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from .composite import maximum, minimum, where
from .dtypes import SUPPORTED_DTYPES
from .ops import arrays as A
from .ops import elementwise as E
from .ops import linalg as L
from .ops import special as S
from .ops import trig as T
from .record import _binary, _unary, apply
from .shapes import normalize_axes
from .tensor import Tensor

__all__ = [
    "add", "subtract", "multiply", "divide", "power", "negative", "positive", "matmul",
    "exp", "log", "sqrt", "abs", "tanh", "sigmoid", "relu", "leaky_relu", "clip",
    "sin", "cos", "tan", "sinh", "cosh", "arcsin", "arccos", "arctan", "arcsinh", "arctanh",
    "log1p", "expm1", "log2", "log10", "exp2", "sign", "square", "reciprocal", "rsqrt", "erf",
    "softplus", "elu", "gelu", "relu6", "hardtanh", "logaddexp", "floor_divide", "mod",
    "maximum", "minimum", "where", "astype",
    "sum", "mean", "max", "min", "prod", "cumsum", "var", "std", "norm", "argmax", "argmin",
    "as_tensor",
]

_LN2, _LN10 = math.log(2.0), math.log(10.0)


def _raw(x: Any) -> Any:
    return x._data if isinstance(x, Tensor) else np.asarray(x)


def as_tensor(x: Any) -> Tensor:
    """``x`` itself if it is a Tensor, else a constant Tensor holding it (float64 for ints)."""
    return x if isinstance(x, Tensor) else Tensor(x)


# --- arithmetic (the operators, under numpy's names) -----------------------------------------
def add(a: Any, b: Any) -> Tensor: return _binary(E.ADD, a, b)
def subtract(a: Any, b: Any) -> Tensor: return _binary(E.SUB, a, b)
def multiply(a: Any, b: Any) -> Tensor: return _binary(E.MUL, a, b)
def divide(a: Any, b: Any) -> Tensor: return _binary(E.DIV, a, b)
def power(a: Any, b: Any) -> Tensor: return _binary(E.POW, a, b)
def negative(a: Any) -> Tensor: return _unary(E.NEG, as_tensor(a))
def positive(a: Any) -> Tensor: return as_tensor(a)
def matmul(a: Any, b: Any) -> Tensor: return _binary(L.MATMUL, a, b)
def floor_divide(a: Any, b: Any) -> Tensor: return _binary(S.FLOOR_DIVIDE, a, b)
def mod(a: Any, b: Any) -> Tensor: return _binary(S.MOD, a, b)
def logaddexp(a: Any, b: Any) -> Tensor: return _binary(S.LOGADDEXP, a, b)


# --- elementwise functions -------------------------------------------------------------------
def exp(x: Any) -> Tensor: return _unary(E.EXP, as_tensor(x))
def log(x: Any) -> Tensor: return _unary(E.LOG, as_tensor(x))
def sqrt(x: Any) -> Tensor: return _unary(E.SQRT, as_tensor(x))
def abs(x: Any) -> Tensor: return _unary(E.ABS, as_tensor(x))
def tanh(x: Any) -> Tensor: return _unary(E.TANH, as_tensor(x))
def sigmoid(x: Any) -> Tensor: return _unary(E.SIGMOID, as_tensor(x))
def relu(x: Any) -> Tensor: return _unary(E.RELU, as_tensor(x))
def sin(x: Any) -> Tensor: return _unary(T.SIN, as_tensor(x))
def cos(x: Any) -> Tensor: return _unary(T.COS, as_tensor(x))
def tan(x: Any) -> Tensor: return _unary(T.TAN, as_tensor(x))
def sinh(x: Any) -> Tensor: return _unary(T.SINH, as_tensor(x))
def cosh(x: Any) -> Tensor: return _unary(T.COSH, as_tensor(x))
def arcsin(x: Any) -> Tensor: return _unary(T.ARCSIN, as_tensor(x))
def arccos(x: Any) -> Tensor: return _unary(T.ARCCOS, as_tensor(x))
def arctan(x: Any) -> Tensor: return _unary(T.ARCTAN, as_tensor(x))
def arcsinh(x: Any) -> Tensor: return _unary(T.ARCSINH, as_tensor(x))
def arctanh(x: Any) -> Tensor: return _unary(T.ARCTANH, as_tensor(x))
def log1p(x: Any) -> Tensor: return _unary(T.LOG1P, as_tensor(x))
def expm1(x: Any) -> Tensor: return _unary(T.EXPM1, as_tensor(x))
def sign(x: Any) -> Tensor: return _unary(T.SIGN, as_tensor(x))
def erf(x: Any) -> Tensor: return _unary(S.ERF, as_tensor(x))
def softplus(x: Any) -> Tensor: return _unary(S.SOFTPLUS, as_tensor(x))
def log2(x: Any) -> Tensor: return log(x) * (1 / _LN2)
def log10(x: Any) -> Tensor: return log(x) * (1 / _LN10)
def exp2(x: Any) -> Tensor: return _binary(E.POW, 2.0, as_tensor(x))
def square(x: Any) -> Tensor: return _binary(E.MUL, as_tensor(x), x)
def reciprocal(x: Any) -> Tensor: return _binary(E.DIV, 1.0, as_tensor(x))
def rsqrt(x: Any) -> Tensor: return _binary(E.DIV, 1.0, sqrt(x))


def leaky_relu(x: Any, slope: float = 0.01) -> Tensor:
    return as_tensor(x).leaky_relu(slope)


def clip(a: Any, a_min: Any = None, a_max: Any = None) -> Tensor:
    """numpy's ``clip`` with number bounds (array bounds: use ``maximum``/``minimum``)."""
    for bound in (a_min, a_max):
        if bound is not None and np.ndim(bound) != 0:
            return minimum(maximum(a, a_min), a_max) if a_min is not None and a_max is not None \
                else (maximum(a, a_min) if a_min is not None else minimum(a, a_max))
    return as_tensor(a).clip(a_min, a_max)


def elu(x: Any, alpha: float = 1.0) -> Tensor:
    """x for x > 0, alpha·(exp(x) − 1) below."""
    return apply(S.ELU, (as_tensor(x),), {"alpha": float(alpha)})


def gelu(x: Any, approximate: str = "none") -> Tensor:
    """x·Φ(x) with the exact normal CDF (PyTorch's default), or its tanh approximation."""
    t = as_tensor(x)
    if approximate == "tanh":
        inner = (t + 0.044715 * t * t * t) * math.sqrt(2.0 / math.pi)
        return 0.5 * t * (1.0 + inner.tanh())
    if approximate != "none":
        raise ValueError(f"gelu: approximate must be 'none' or 'tanh', got {approximate!r}")
    return 0.5 * t * (1.0 + erf(t * (1 / math.sqrt(2.0))))


def relu6(x: Any) -> Tensor:
    """min(max(x, 0), 6); the gradient is 1 strictly between 0 and 6."""
    return as_tensor(x).clip(0.0, 6.0)


def hardtanh(x: Any, min_val: float = -1.0, max_val: float = 1.0) -> Tensor:
    return as_tensor(x).clip(min_val, max_val)


def astype(x: Any, dtype: Any) -> Tensor:
    """A copy in ``dtype``: float32 or float64 (the gradient comes back in ``x``'s dtype)."""
    dt = np.dtype(dtype)
    t = as_tensor(x)
    if dt not in SUPPORTED_DTYPES:
        raise TypeError(f"astype: Tensors hold float32 or float64, not {dt}; for the values "
                        f"as {dt} use t.data.astype({dt.name!r}) (no gradient flows)")
    return apply(A.ASTYPE, (t,), {"dtype": dt})


# --- reductions ------------------------------------------------------------------------------
def _masked(a: Any, where_: Any) -> Tensor:
    return where(where_, a, 0.0) if where_ is not True else as_tensor(a)


def sum(a: Any, axis: Any = None, keepdims: bool = False, *,
        where: Any = True) -> Tensor:
    """numpy's ``sum``; ``where=`` (a mask) sums the selected entries only."""
    return _masked(a, where).sum(axis=axis, keepdims=keepdims)


def mean(a: Any, axis: Any = None, keepdims: bool = False, *, where: Any = True) -> Tensor:
    """numpy's ``mean``; ``where=`` (a mask) averages the selected entries only."""
    t = as_tensor(a)
    if where is True:
        return t.mean(axis=axis, keepdims=keepdims)
    count = np.sum(np.broadcast_to(where, t.shape), axis=axis, keepdims=keepdims)
    return _masked(t, where).sum(axis=axis, keepdims=keepdims) / count.astype(t.dtype)


def max(a: Any, axis: Any = None, keepdims: bool = False) -> Tensor:
    return as_tensor(a).max(axis=axis, keepdims=keepdims)


def min(a: Any, axis: Any = None, keepdims: bool = False) -> Tensor:
    """The smallest entry: -max(-a), so ties share the gradient as ``max`` does."""
    return -((-as_tensor(a)).max(axis=axis, keepdims=keepdims))


def prod(a: Any, axis: Any = None, keepdims: bool = False) -> Tensor:
    t = as_tensor(a)
    return apply(A.PROD, (t,), {"axis": normalize_axes(axis, t.ndim, "prod"),
                                "keepdims": bool(keepdims)})


def cumsum(a: Any, axis: Any = None) -> Tensor:
    """Running sum along ``axis`` (of the flattened tensor when ``axis`` is None)."""
    t = as_tensor(a)
    if axis is None:
        t, axis = t.reshape(-1), 0
    (ax,) = normalize_axes(axis, t.ndim, "cumsum")
    return apply(A.CUMSUM, (t,), {"axis": ax})


def var(a: Any, axis: Any = None, ddof: float = 0, keepdims: bool = False, *,
        correction: float | None = None) -> Tensor:
    """Mean squared deviation, divided by n − ddof (``correction`` is PyTorch's name)."""
    t = as_tensor(a)
    axes = normalize_axes(axis, t.ndim, "var")
    n = 1
    for i in axes:
        n *= t.shape[i]
    d = float(ddof if correction is None else correction)
    dev = t - t.mean(axis=axes, keepdims=True)
    return (dev * dev).sum(axis=axes, keepdims=keepdims) * (1.0 / (n - d) if n > d else np.inf)


def std(a: Any, axis: Any = None, ddof: float = 0, keepdims: bool = False, *,
        correction: float | None = None) -> Tensor:
    return var(a, axis=axis, ddof=ddof, keepdims=keepdims, correction=correction).sqrt()


def norm(x: Any, ord: Any = None, axis: Any = None, keepdims: bool = False) -> Tensor:
    """``np.linalg.norm`` for the 2-norm of vectors and the Frobenius norm of matrices (the
    course's gradient check: ``norm(grad - gradapprox)``); other ``ord`` values are refused."""
    if ord not in (None, 2, "fro") or (ord == 2 and (axis is None and np.ndim(x) != 1)):
        raise TypeError(f"norm: ord={ord!r} is not supported on Tensors; ord=None (2-norm of a "
                        "vector, Frobenius norm of a matrix) is")
    t = as_tensor(x)
    return (t * t).sum(axis=axis, keepdims=keepdims).sqrt()


def argmax(a: Any, axis: Any = None, keepdims: bool = False) -> Any:
    """Index of the largest entry: a plain integer array (no gradient flows)."""
    return np.argmax(_raw(a), axis=axis, keepdims=keepdims)


def argmin(a: Any, axis: Any = None, keepdims: bool = False) -> Any:
    """Index of the smallest entry: a plain integer array (no gradient flows)."""
    return np.argmin(_raw(a), axis=axis, keepdims=keepdims)
