"""Module-level operations composed from the primitives (stable softmax family included)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np

from ..errors import ShapeError
from .ops import elementwise as E
from .ops import movement as M
from .record import _binary, apply
from .shapes import normalize_axes
from .tensor import Tensor, as_tensor

__all__ = ["concatenate", "stack", "maximum", "minimum", "where", "softmax", "log_softmax",
           "logsumexp"]


def _tensors(tensors: Sequence[Any], op: str) -> list[Tensor]:
    """The operands as Tensors (constants wrapped); a join needs at least one."""
    ts = [as_tensor(t) for t in tensors]
    if not ts:
        raise ValueError(f"{op} needs at least one tensor")
    return ts


def concatenate(tensors: Sequence[Any], axis: int = 0) -> Tensor:
    """Join tensors along an existing axis.

    >>> concatenate([Tensor([1.0]), Tensor([2.0, 3.0])]).data.tolist()
    [1.0, 2.0, 3.0]
    """
    ts = _tensors(tensors, "concatenate")
    (ax,) = normalize_axes(axis, ts[0].ndim, "concatenate")
    shapes = [t.shape for t in ts]
    for s in shapes:
        if len(s) != len(shapes[0]) or any(
                n != m for i, (n, m) in enumerate(zip(s, shapes[0])) if i != ax):
            raise ShapeError(f"concatenate along axis {ax}: shapes {shapes} differ off that "
                             "axis")
    return apply(M.CONCATENATE, tuple(ts), {"axis": ax})


def stack(tensors: Sequence[Any], axis: int = 0) -> Tensor:
    """Join same-shaped tensors along a new axis.

    >>> stack([Tensor([1.0, 2.0]), Tensor([3.0, 4.0])], axis=1).shape
    (2, 2)
    """
    ts = _tensors(tensors, "stack")
    if len({t.shape for t in ts}) != 1:
        raise ShapeError(f"stack needs tensors of one shape, got {[t.shape for t in ts]}")
    (ax,) = normalize_axes(axis, ts[0].ndim + 1, "stack")
    return apply(M.STACK, tuple(ts), {"axis": ax})


def maximum(a: Any, b: Any) -> Tensor:
    """Elementwise maximum; on ties each side gets half the gradient.

    >>> maximum(Tensor([1.0, 5.0]), Tensor([3.0, 2.0]))
    Tensor([3., 5.])
    """
    return _binary(E.MAXIMUM, a if isinstance(b, Tensor) else as_tensor(a), b)


def minimum(a: Any, b: Any) -> Tensor:
    """Elementwise minimum; on ties each side gets half the gradient.

    >>> minimum(Tensor([1.0, 5.0]), 2.0)
    Tensor([1., 2.])
    """
    return _binary(E.MINIMUM, a if isinstance(b, Tensor) else as_tensor(a), b)


def where(cond: Any, a: Any, b: Any) -> Tensor:
    """``a`` where ``cond`` is true, else ``b`` (``cond`` is a constant mask).

    >>> where(np.array([True, False]), Tensor([1.0, 2.0]), 0.0).data.tolist()
    [1.0, 0.0]
    """
    mask = np.asarray(cond._data if isinstance(cond, Tensor) else cond)
    if mask.dtype != np.bool_:
        mask = mask.astype(bool)
    if not isinstance(a, Tensor) and not isinstance(b, Tensor):
        a = as_tensor(a)  # constants on both sides: a float Tensor, never an int64 one
    return apply(E.WHERE, (a, b), {"cond": mask})


def _stable_max(data: np.ndarray, axes: tuple[int, ...]) -> np.ndarray:
    """The max over ``axes`` (kept), a constant shift; 0 where it is not finite."""
    m = np.max(data, axis=axes, keepdims=True)
    return np.where(np.isfinite(m), m, 0).astype(data.dtype, copy=False)


def logsumexp(x: Tensor, axis: Any = None, keepdims: bool = False) -> Tensor:
    """log(sum(exp(x))) without overflow: the max is taken out first (as a constant, which
    leaves the derivative, softmax, unchanged).

    >>> round(logsumexp(Tensor([1000.0, 1000.0])).item(), 4)
    1000.6931
    """
    x = as_tensor(x)
    axes = normalize_axes(axis, x.ndim, "logsumexp")
    m = _stable_max(x._data, axes)
    out = (x - m).exp().sum(axis=axes, keepdims=True).log() + m
    return out if keepdims else out.reshape(np.squeeze(out._data, axis=axes).shape)


def log_softmax(x: Tensor, axis: int = 0) -> Tensor:
    """log of softmax along ``axis`` (default 0: classes are rows, examples are columns).

    Computed as ``(x - m) - log(sum(exp(x - m)))`` with the max ``m`` as a constant, so
    huge logits neither overflow nor lose precision by adding ``m`` back.

    >>> log_softmax(Tensor([[1e30], [1e30]])).data.ravel().round(4).tolist()
    [-0.6931, -0.6931]
    """
    x = as_tensor(x)
    axes = normalize_axes(axis, x.ndim, "log_softmax")
    shifted = x - _stable_max(x._data, axes)
    return shifted - shifted.exp().sum(axis=axes, keepdims=True).log()


def softmax(x: Tensor, axis: int = 0) -> Tensor:
    """Softmax along ``axis`` (default 0, the course's column-per-example layout).

    >>> softmax(Tensor([[1.0], [1.0]])).data.ravel().tolist()
    [0.5, 0.5]
    """
    return log_softmax(x, axis=axis).exp()
