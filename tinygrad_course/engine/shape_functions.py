"""Shape functions on Tensors with numpy's semantics, composed from the primitives (reshape,
transpose, getitem, scatter, broadcast_to, concatenate); linear algebra is in linalg_functions.

Composites need no derivative rules of their own: the gradient of ``flip`` is the gradient of
the indexing it is made of, and so on, to every order.
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from typing import Any

import numpy as np

from ..errors import ShapeError
from .composite import concatenate, stack
from .ops import movement as M
from .record import apply
from .shapes import normalize_axes
from .tensor import Tensor

__all__ = ["reshape", "transpose", "squeeze", "expand_dims", "ravel", "broadcast_to", "expand",
           "flip", "swapaxes", "moveaxis", "split", "concatenate", "stack", "vstack", "hstack",
           "atleast_2d", "repeat", "tile", "pad", "sort", "take_along_axis", "copy"]


def _t(x: Any) -> Tensor:
    return x if isinstance(x, Tensor) else Tensor(x)


def reshape(a: Any, shape: Any = None, order: str = "C", *, newshape: Any = None) -> Tensor:
    if order != "C":
        raise TypeError("reshape: only order='C' (row-major, numpy's default) is supported")
    shape = newshape if shape is None else shape
    return _t(a).reshape(tuple(shape) if isinstance(shape, (tuple, list)) else (shape,))


def transpose(a: Any, axes: Any = None) -> Tensor:
    t = _t(a)
    return t.transpose() if axes is None else t.transpose(tuple(axes))


def copy(a: Any) -> Tensor:
    """A copy that stays in the graph (the gradient passes through unchanged)."""
    t = _t(a)
    return t.reshape(t.shape)


def squeeze(a: Any, axis: Any = None) -> Tensor:
    t = _t(a)
    if axis is None:
        axes = tuple(i for i, n in enumerate(t.shape) if n == 1)
    else:
        axes = normalize_axes(axis, t.ndim, "squeeze")
        wide = [i for i in axes if t.shape[i] != 1]
        if wide:
            raise ShapeError(f"squeeze: axis {wide[0]} of shape {t.shape} has size "
                             f"{t.shape[wide[0]]}, not 1")
    return t.reshape(tuple(n for i, n in enumerate(t.shape) if i not in axes))


def expand_dims(a: Any, axis: Any) -> Tensor:
    t = _t(a)
    axes = normalize_axes(axis, t.ndim + (len(axis) if isinstance(axis, (tuple, list)) else 1),
                          "expand_dims")
    dims = list(t.shape)
    for i in axes:
        dims.insert(i, 1)
    return t.reshape(tuple(dims))


def ravel(a: Any, order: str = "C") -> Tensor:
    return reshape(a, (-1,), order)


def broadcast_to(a: Any, shape: Any) -> Tensor:
    t = _t(a)
    shape = tuple(shape) if isinstance(shape, (tuple, list)) else (shape,)
    try:
        np.broadcast_shapes(t.shape, shape)
    except ValueError:
        raise ShapeError(f"broadcast_to: shape {t.shape} cannot be broadcast to {shape}"
                         ) from None
    return t if t.shape == shape else apply(M.BROADCAST_TO, (t,), {"shape": shape})


def expand(a: Any, *sizes: Any) -> Tensor:
    """PyTorch's ``expand``: like ``broadcast_to``, where -1 keeps a dimension."""
    t = _t(a)
    if len(sizes) == 1 and isinstance(sizes[0], (tuple, list)):
        sizes = tuple(sizes[0])
    lead = len(sizes) - t.ndim
    shape = tuple(t.shape[i - lead] if n == -1 and i >= lead else n for i, n in enumerate(sizes))
    return broadcast_to(t, shape)


def flip(m: Any, axis: Any = None) -> Tensor:
    t = _t(m)
    axes = normalize_axes(axis, t.ndim, "flip")
    return t[tuple(slice(None, None, -1) if i in axes else slice(None) for i in range(t.ndim))]


def swapaxes(a: Any, axis1: int, axis2: int) -> Tensor:
    t = _t(a)
    perm = list(range(t.ndim))
    (i,), (j,) = normalize_axes(axis1, t.ndim, "swapaxes"), normalize_axes(axis2, t.ndim,
                                                                              "swapaxes")
    perm[i], perm[j] = perm[j], perm[i]
    return t.transpose(tuple(perm))


def moveaxis(a: Any, source: Any, destination: Any) -> Tensor:
    t = _t(a)
    return t.transpose(_perm(t.ndim, source, destination))


def _perm(ndim: int, source: Any, destination: Any) -> tuple[int, ...]:
    src = normalize_axes(source, ndim, "moveaxis") if not isinstance(source, (tuple, list)) \
        else tuple(int(s) % ndim for s in source)
    dst = normalize_axes(destination, ndim, "moveaxis") \
        if not isinstance(destination, (tuple, list)) else tuple(int(d) % ndim
                                                                  for d in destination)
    if len(src) != len(dst):
        raise ValueError("moveaxis: source and destination need the same number of axes")
    order = [n for n in range(ndim) if n not in src]
    for d, s in sorted(zip(dst, src)):
        order.insert(d, s)
    return tuple(order)


def split(ary: Any, indices_or_sections: Any, axis: int = 0) -> list[Tensor]:
    t = _t(ary)
    (ax,) = normalize_axes(axis, t.ndim, "split")
    n = t.shape[ax]
    if isinstance(indices_or_sections, (int, np.integer)):
        k = int(indices_or_sections)
        if k <= 0 or n % k:
            raise ShapeError(f"split: axis {ax} of size {n} does not divide into {k} equal "
                             "parts (give the split points instead)")
        bounds = list(range(0, n + 1, n // k)) if n else [0] * (k + 1)
    else:
        bounds = [0] + [min(max(int(i) % (n + 1) if int(i) < 0 else int(i), 0), n)
                        for i in indices_or_sections] + [n]
    lead = (slice(None),) * ax
    return [t[lead + (slice(lo, max(lo, hi)),)] for lo, hi in itertools.pairwise(bounds)]


def atleast_2d(a: Any) -> Tensor:
    t = _t(a)
    return t.reshape((1,) * (2 - t.ndim) + t.shape) if t.ndim < 2 else t


def vstack(tup: Sequence[Any]) -> Tensor:
    return concatenate([atleast_2d(x) for x in tup], axis=0)


def hstack(tup: Sequence[Any]) -> Tensor:
    ts = [_t(x) if _t(x).ndim else _t(x).reshape(1) for x in tup]
    return concatenate(ts, axis=0 if ts and ts[0].ndim == 1 else 1)


def repeat(a: Any, repeats: Any, axis: Any = None) -> Tensor:
    """Each entry ``repeats`` times along ``axis`` (the flattened tensor when None)."""
    t = _t(a)
    if axis is None:
        t, axis = t.reshape(-1), 0
    (ax,) = normalize_axes(axis, t.ndim, "repeat")
    idx = np.repeat(np.arange(t.shape[ax]), repeats)
    return t[(slice(None),) * ax + (idx,)]


def tile(A_: Any, reps: Any) -> Tensor:
    t = _t(A_)
    reps = tuple(reps) if isinstance(reps, (tuple, list)) else (int(reps),)
    d = max(len(reps), t.ndim)
    reps = (1,) * (d - len(reps)) + reps
    t = t.reshape((1,) * (d - t.ndim) + t.shape)
    # interleave a broadcast axis before each one, then merge each pair: (r, n) -> r·n
    wide = t.reshape(tuple(x for n in t.shape for x in (1, n)))
    big = broadcast_to(wide, tuple(x for r, n in zip(reps, t.shape) for x in (r, n)))
    return big.reshape(tuple(r * n for r, n in zip(reps, t.shape)))


def pad(array: Any, pad_width: Any, mode: str = "constant", constant_values: Any = 0) -> Tensor:
    """numpy's ``pad`` in ``constant`` mode: the padding gets no gradient."""
    if mode != "constant":
        raise TypeError(f"pad: mode={mode!r} is not supported; mode='constant' is")
    t = _t(array)
    widths = np.broadcast_to(np.asarray(pad_width, dtype=int), (t.ndim, 2))
    shape = tuple(int(n + lo + hi) for n, (lo, hi) in zip(t.shape, widths))
    index = tuple(slice(int(lo), int(lo) + n) for n, (lo, _) in zip(t.shape, widths))
    out = apply(M.SCATTER, (t,), {"index": index, "shape": shape})
    if np.ndim(constant_values) != 0:
        raise TypeError("pad: constant_values must be one number on Tensors")
    if constant_values != 0:
        fill = np.ones(shape, dtype=t.dtype)
        fill[index] = 0
        out = out + fill * fill.dtype.type(constant_values)
    return out


def take_along_axis(arr: Any, indices: Any, axis: Any) -> Tensor:
    """numpy's ``take_along_axis`` (PyTorch's ``gather``): repeated indices add gradients."""
    t = _t(arr)
    idx = np.asarray(indices._data if isinstance(indices, Tensor) else indices)
    if idx.dtype.kind == "f":
        idx = idx.astype(np.intp)
    if axis is None:
        t, axis = t.reshape(-1), 0
    (ax,) = normalize_axes(axis, t.ndim, "take_along_axis")
    if idx.ndim != t.ndim:
        raise ShapeError(f"take_along_axis: indices of shape {idx.shape} need as many "
                         f"dimensions as the tensor, {t.shape}")
    grid = list(np.ix_(*[np.arange(n) for n in idx.shape]))
    grid[ax] = idx
    return t[tuple(grid)]


def sort(a: Any, axis: Any = -1) -> Tensor:
    """Sorted along ``axis``; the gradient flows back through the permutation."""
    t = _t(a)
    if axis is None:
        t, axis = t.reshape(-1), 0
    return take_along_axis(t, np.argsort(t._data, axis=axis, kind="stable"), axis)
