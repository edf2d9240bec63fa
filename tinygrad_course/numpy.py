"""numpy's functions on Tensors, for code that wants to say so: ``import tinygrad_course.numpy
as tnp``. Each function records into the graph (the same implementations that ``np.tanh(t)``
reaches through numpy's protocols); constructors take ``requires_grad=``.

>>> import tinygrad_course.numpy as tnp
>>> w = tnp.array([0.5, -1.0], requires_grad=True)
>>> tnp.sum(tnp.tanh(w) ** 2).backward()
>>> w.grad.round(4).tolist()
[0.7269, -0.6397]
"""

from __future__ import annotations

from typing import Any

import numpy as _np

from .engine.constructors import (
    arange,
    eye,
    full,
    full_like,
    linspace,
    ones,
    ones_like,
    rand,
    randn,
    zeros,
    zeros_like,
)
from .engine.functions import (
    abs,
    add,
    arccos,
    arcsin,
    arcsinh,
    arctan,
    arctanh,
    argmax,
    argmin,
    astype,
    clip,
    cos,
    cosh,
    cumsum,
    divide,
    exp,
    exp2,
    expm1,
    floor_divide,
    log,
    log1p,
    log2,
    log10,
    logaddexp,
    matmul,
    max,
    maximum,
    mean,
    min,
    minimum,
    mod,
    multiply,
    negative,
    positive,
    power,
    prod,
    reciprocal,
    sign,
    sin,
    sinh,
    sqrt,
    square,
    std,
    subtract,
    sum,
    tan,
    tanh,
    var,
    where,
)
from .engine.functions import norm as _norm
from .engine.linalg_functions import diag, dot, einsum, outer, tensordot, trace, tril, triu
from .engine.shape_functions import (
    atleast_2d,
    broadcast_to,
    concatenate,
    copy,
    expand_dims,
    flip,
    hstack,
    moveaxis,
    pad,
    ravel,
    repeat,
    reshape,
    sort,
    split,
    squeeze,
    stack,
    swapaxes,
    take_along_axis,
    tile,
    transpose,
    vstack,
)
from .engine.tensor import Tensor

__all__ = [
    "Tensor", "array", "asarray", "linalg", "pi", "e", "newaxis", "float32", "float64",
    "absolute", "true_divide", "remainder", "amax", "amin",
    "arange", "eye", "full", "full_like", "linspace", "ones", "ones_like", "rand", "randn",
    "zeros", "zeros_like",
    "abs", "add", "arccos", "arcsin", "arcsinh", "arctan", "arctanh", "argmax", "argmin",
    "astype", "clip", "cos", "cosh", "cumsum", "divide", "exp", "exp2", "expm1",
    "floor_divide", "log", "log1p", "log2", "log10", "logaddexp", "matmul", "max", "maximum",
    "mean", "min", "minimum", "mod", "multiply", "negative", "positive", "power", "prod",
    "reciprocal", "sign", "sin", "sinh", "sqrt", "square", "std", "subtract", "sum", "tan",
    "tanh", "var", "where",
    "atleast_2d", "broadcast_to", "concatenate", "copy", "diag", "dot", "einsum",
    "expand_dims", "flip", "hstack", "moveaxis", "outer", "pad", "ravel", "repeat", "reshape",
    "sort", "split", "squeeze", "stack", "swapaxes", "take_along_axis", "tensordot", "tile",
    "trace", "transpose", "tril", "triu", "vstack",
]

pi, e, newaxis = _np.pi, _np.e, _np.newaxis
float32, float64 = _np.float32, _np.float64
absolute, true_divide, remainder, amax, amin = abs, divide, mod, max, min


def array(data: Any, dtype: Any = None, requires_grad: bool = False) -> Tensor:
    """A new Tensor holding a copy of ``data``."""
    return Tensor(_np.array(data.data if isinstance(data, Tensor) else data),
                  requires_grad=requires_grad, dtype=dtype)


def asarray(data: Any, dtype: Any = None) -> Tensor:
    """``data`` itself if it is already a Tensor (of that dtype), else a Tensor of it."""
    if isinstance(data, Tensor) and (dtype is None or _np.dtype(dtype) == data.dtype):
        return data
    return Tensor(data, dtype=dtype)


class linalg:  # numpy's module name
    """``tnp.linalg.norm``: the 2-norm of vectors, the Frobenius norm of matrices."""

    norm = staticmethod(_norm)
