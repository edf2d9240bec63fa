"""Shape helpers: axis normalization, index checking and the rank-1 guards (broadcast, matmul)."""

from __future__ import annotations

import warnings
from typing import Any

import numpy as np

from ..errors import ShapeError, ShapeWarning, rank_one_matmul_message, rank_one_message
from .callsite import user_stacklevel
from .meta import get_meta
from .mode import state


def normalize_axes(axis: Any, ndim: int, op: str) -> tuple[int, ...]:
    """``None``/int/tuple -> a sorted tuple of non-negative axes, or a clear error."""
    if axis is None:
        return tuple(range(ndim))
    axes = axis if isinstance(axis, (tuple, list)) else (axis,)
    out = []
    for a in axes:
        if not isinstance(a, (int, np.integer)) or isinstance(a, bool):
            raise TypeError(f"{op}: axis must be an int or a tuple of ints, got {axis!r}")
        if not -ndim <= a < max(ndim, 1) or (ndim == 0 and a not in (0, -1)):
            raise ShapeError(f"{op}: axis {a} is out of range for a tensor with {ndim} "
                             f"dimension{'s' if ndim != 1 else ''}")
        out.append(int(a) % ndim if ndim else 0)
    if len(set(out)) != len(out):
        raise ShapeError(f"{op}: repeated axis in {axis!r}")
    return tuple(sorted(out)) if ndim else ()


def normalize_index(index: Any, shape: tuple[int, ...]) -> Any:
    """Turn Tensors and lists in an index into integer arrays and check them once, here."""
    parts = index if isinstance(index, tuple) else (index,)
    fixed = []
    for p in parts:
        if isinstance(getattr(p, "_data", None), np.ndarray):  # a Tensor
            if get_meta(p, "mask"):  # a Tensor made from booleans is a mask, as the array was
                p = p._data.astype(np.bool_)
            else:
                p = p._data  # a Tensor of indices: Tensors hold floats, whole numbers are ints
                if p.dtype.kind == "f" and np.all(p == np.round(p)):
                    p = p.astype(np.intp)
        if isinstance(p, list):
            p = np.asarray(p)
        if isinstance(p, np.ndarray) and p.dtype.kind not in "biu":
            raise TypeError(f"index arrays must hold integers or booleans, got {p.dtype}")
        if isinstance(p, float):
            raise TypeError(f"index {p!r} is a float; use an int")
        fixed.append(p)
    result = tuple(fixed) if isinstance(index, tuple) else fixed[0]
    try:
        np.empty(shape, dtype=np.bool_)[result]  # validate once, cheaply, with numpy's rules
    except IndexError as e:
        raise IndexError(f"index {index!r} does not fit a tensor of shape {shape}: {e}"
                         ) from None
    return result


def warn_rank_one(a_shape: tuple[int, ...], b_shape: tuple[int, ...],
                  out_shape: tuple[int, ...]) -> None:
    """Warn (or, under ``strict_shapes()``, raise) when a rank-1 operand blows a result up.

    Only a broadcast whose result is larger than both operands is flagged: ``(m,)`` against
    ``(m, 1)`` gives ``(m, m)``; a vector added to each row of a matrix is left alone.
    """
    out_size = int(np.prod(out_shape))
    if out_size <= max(int(np.prod(a_shape)), int(np.prod(b_shape))):
        return
    message = rank_one_message(a_shape, b_shape, out_shape)
    if state.strict_shapes:
        raise ShapeError(message)
    warnings.warn(message, ShapeWarning, stacklevel=user_stacklevel())


def warn_rank_one_matmul(a_shape: tuple[int, ...], b_shape: tuple[int, ...],
                         out_shape: tuple[int, ...]) -> None:
    """Warn (or, under ``strict_shapes()``, raise) for a matmul with a rank-1 operand.

    Called only when an operand has one dimension, so the course's 2-D ``W @ A`` pays nothing.
    """
    message = rank_one_matmul_message(a_shape, b_shape, out_shape)
    if state.strict_shapes:
        raise ShapeError(message)
    warnings.warn(message, ShapeWarning, stacklevel=user_stacklevel())
