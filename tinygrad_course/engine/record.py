"""Recording: run an op's forward and, when a gradient is needed, remember how to go back.

Every op goes through one of these three functions. They are the hot path of the whole
library (small nets are bound by per-op overhead), hence the inlined object construction and
the cheap ``type(x) is Tensor`` test before ``isinstance``. A recorded node is the tuple
(op, inputs, input values, static kwargs, creation number).
"""

from __future__ import annotations

import itertools
from typing import Any

import numpy as np

from ..errors import ShapeError, broadcast_error, matmul_error
from . import anomaly
from .dtypes import SUPPORTED_DTYPES, check_operand
from .mode import counts, state
from .ops import linalg as L
from .ops.registry import Op
from .shapes import warn_rank_one

__all__ = ["apply"]

_new = object.__new__
_FLOATS = frozenset(SUPPORTED_DTYPES)
# Creation order of recorded nodes: a tensor's inputs always come before it, so the newest
# pending tensor is always safe to differentiate next (see autograd._run).
_next_seq = itertools.count().__next__


def _unary(op: Op, a: Tensor, kw: dict[str, Any] | None = None) -> Tensor:
    ad = a.data
    out = op.forward(ad, **kw) if kw else op.forward(ad)
    if type(out) is not np.ndarray:
        out = np.asarray(out)  # numpy returns scalars from 0-d operations
    t = _new(Tensor)
    t.data, t.grad, t.requires_grad, t._node, t._meta = out, None, False, None, None
    if a.requires_grad and (not counts.no_grad or state.grad_enabled):
        t.requires_grad = True
        t._node = (op, (a,), (ad,), kw, _next_seq())
    if counts.anomaly and state.anomaly:
        anomaly.check_forward(t, op, (a,))
    return t


def _binary(op: Op, a: Any, b: Any) -> Tensor:
    # Constants are not checked before the op: numpy rejects what it cannot use, and a result
    # that is not float32/float64 betrays the rest (complex, object, strings), so the checks
    # cost one dtype test on the hot path and run in full only to explain an error.
    if type(a) is Tensor or isinstance(a, Tensor):
        ad, need = a.data, a.requires_grad
    else:
        ad, need = a, False
    if type(b) is Tensor or isinstance(b, Tensor):
        bd = b.data
        need = need or b.requires_grad
    else:
        bd = b
    try:
        out = op.forward(ad, bd)
    except (ValueError, TypeError):
        raise _binary_error(op, a, b) from None
    if type(out) is not np.ndarray:
        out = np.asarray(out)
    if out.dtype not in _FLOATS:
        raise _binary_error(op, a, b)
    if out.ndim > 1 and op.elementwise and (
            (type(ad) is np.ndarray and ad.ndim == 1) or (type(bd) is np.ndarray and bd.ndim == 1)):
        warn_rank_one(np.shape(ad), np.shape(bd), out.shape)
    t = _new(Tensor)
    t.data, t.grad, t.requires_grad, t._node, t._meta = out, None, False, None, None
    if need and (not counts.no_grad or state.grad_enabled):
        t.requires_grad = True
        t._node = (op, (a, b), (ad, bd), None, _next_seq())
    if counts.anomaly and state.anomaly:
        anomaly.check_forward(t, op, (a, b))
    return t


def _binary_error(op: Op, a: Any, b: Any) -> Exception:
    """Why ``op(a, b)`` failed: a bad operand (TypeError) or shapes that do not fit."""
    vals = []
    for x in (a, b):
        vals.append(x.data if isinstance(x, Tensor) else check_operand(x, op.name))
    shapes = np.shape(vals[0]), np.shape(vals[1])
    if op is L.MATMUL:
        return matmul_error(*shapes, a, b)
    if np.result_type(*vals).kind != "f":  # e.g. a matmul of two constant int arrays
        return TypeError(f"{op.name}: operands of dtypes {np.result_type(*vals)} give no "
                         "float32/float64 result")
    return broadcast_error(op.name, *shapes)


def apply(op: Op, inputs: tuple[Any, ...], kw: dict[str, Any] | None = None) -> Tensor:
    """Run any registered op on Tensors and constants, recording it when a gradient is needed.

    >>> from tinygrad_course.engine.ops import REGISTRY
    >>> apply(REGISTRY["mul"], (Tensor(3.0), 2.0)).item()
    6.0
    """
    need = False
    stored = []
    for x in inputs:
        if isinstance(x, Tensor):
            need = need or x.requires_grad
        else:
            x = check_operand(x, op.name)
        stored.append(x)
    vals = tuple(_raw(x) for x in stored)
    try:
        out = op.forward(*vals, **kw) if kw else op.forward(*vals)
    except ValueError as e:
        shapes = ", ".join(str(np.shape(v)) for v in vals)
        raise ShapeError(f"{op.name}: {e} (input shapes: {shapes})") from None
    if type(out) is not np.ndarray:
        out = np.asarray(out)
    t = _new(Tensor)
    t.data, t.grad, t.requires_grad, t._node, t._meta = out, None, False, None, None
    if need and (not counts.no_grad or state.grad_enabled):
        t.requires_grad = True
        t._node = (op, tuple(stored), vals, kw, _next_seq())
    if counts.anomaly and state.anomaly:
        anomaly.check_forward(t, op, tuple(stored))
    return t


# Last, because tensor.py imports this module's functions at its own end: whichever of the two
# is imported first, both are complete before anything runs.
from .tensor import Tensor, _raw  # noqa: E402
