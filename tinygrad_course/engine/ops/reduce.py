"""Reductions over axes (sum, mean, max): the gradient is spread back over what was reduced."""

from __future__ import annotations

from typing import Any

import numpy as np

from .registry import defop


def _kept_shape(shape: tuple[int, ...], axis: tuple[int, ...]) -> tuple[int, ...]:
    """The reduced shape with size-1 dimensions kept, so ``g`` can broadcast back."""
    return tuple(1 if i in axis else n for i, n in enumerate(shape))


def _spread(xp: Any, g: Any, a: Any, axis: tuple[int, ...]) -> Any:
    return xp.broadcast_to(xp.reshape(g, _kept_shape(a.shape, axis)), a.shape)


def _count(shape: tuple[int, ...], axis: tuple[int, ...]) -> int:
    n = 1
    for i in axis:
        n *= shape[i]
    return n


SUM = defop(
    "sum", "Σ", lambda a, axis, keepdims: np.sum(a, axis=axis, keepdims=keepdims),
    (lambda xp, g, out, a, axis, keepdims: _spread(xp, g, a, axis),),
    ("1",))

MEAN = defop(
    "mean", "mean",
    lambda a, axis, keepdims: np.mean(a, axis=axis, keepdims=keepdims),
    (lambda xp, g, out, a, axis, keepdims: _spread(xp, g / _count(a.shape, axis), a, axis),),
    ("1/n",))


def _max_vjp(xp: Any, g: Any, out: Any, a: Any, axis: tuple[int, ...], keepdims: bool) -> Any:
    kept = _kept_shape(a.shape, axis)
    winners = xp.const(a) == np.reshape(xp.const(out), kept)
    # Ties share the gradient equally, so the sum over the reduced axes is still g.
    share = winners / np.sum(winners, axis=axis, keepdims=True)
    return xp.reshape(g, kept) * share.astype(xp.const(a).dtype)


MAX = defop(
    "max", "max", lambda a, axis, keepdims: np.max(a, axis=axis, keepdims=keepdims),
    (_max_vjp,),
    ("1 at the maximum (shared on ties)",))
