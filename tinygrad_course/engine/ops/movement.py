"""Shape primitives (reshape, transpose, indexing, broadcast, concatenate, stack)."""

from __future__ import annotations

from typing import Any

import numpy as np

from .registry import Variadic, _scatter, defop, unbroadcast

RESHAPE = defop(
    "reshape", "reshape", lambda a, shape: np.reshape(a, shape),
    (lambda xp, g, out, a, shape: xp.reshape(g, a.shape),),
    ("reshape back",))

TRANSPOSE = defop(
    "transpose", "ᵀ", lambda a, axes: np.transpose(a, axes),
    (lambda xp, g, out, a, axes: xp.transpose(g, tuple(np.argsort(axes))),),
    ("transpose back",))

GETITEM = defop(
    "getitem", "[]", lambda a, index: a[index],
    (lambda xp, g, out, a, index: xp.scatter(g, index, a.shape),),
    ("1 at the selected entries (repeats add up)",))

SCATTER = defop(
    "scatter", "scatter", _scatter,
    (lambda xp, g, out, a, index, shape: xp.getitem(g, index),),
    ("select the scattered entries",))

BROADCAST_TO = defop(
    "broadcast_to", "broadcast", lambda a, shape: np.broadcast_to(a, shape),
    (lambda xp, g, out, a, shape: xp.unbroadcast(g, a.shape),),
    ("sum over the broadcast axes",))

SUM_TO = defop(
    "sum_to", "sum_to", unbroadcast,
    (lambda xp, g, out, a, shape: xp.broadcast_to(g, a.shape),),
    ("broadcast back",))


def _concatenate_vjp(i: int) -> Any:
    def vjp(xp: Any, g: Any, out: Any, *arrays: Any, axis: int) -> Any:
        start = sum(x.shape[axis] for x in arrays[:i])
        index = (slice(None),) * axis + (slice(start, start + arrays[i].shape[axis]),)
        return xp.getitem(g, index)
    return vjp


def _stack_vjp(i: int) -> Any:
    def vjp(xp: Any, g: Any, out: Any, *arrays: Any, axis: int) -> Any:
        return xp.getitem(g, (slice(None),) * axis + (i,))
    return vjp


CONCATENATE = defop(
    "concatenate", "concat", lambda *arrays, axis: np.concatenate(arrays, axis=axis),
    Variadic(_concatenate_vjp),
    ("this input's slice of the gradient",))

STACK = defop(
    "stack", "stack", lambda *arrays, axis: np.stack(arrays, axis=axis),
    Variadic(_stack_vjp),
    ("this input's slice of the gradient",))
