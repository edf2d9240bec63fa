"""Linear-algebra functions on Tensors with numpy's semantics (``dot``, ``outer``,
``tensordot``, ``einsum``, ``tril``/``triu``, ``diag``, ``trace``), composed from the primitives
(matmul, einsum, reshape, transpose, getitem, scatter, where): no derivative rules of their own.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from ..errors import ShapeError
from .composite import where
from .ops import arrays as A
from .ops import elementwise as E
from .ops import linalg as L
from .ops import movement as M
from .record import _binary, apply
from .shape_functions import _t, ravel
from .tensor import Tensor

__all__ = ["outer", "dot", "tensordot", "einsum", "tril", "triu", "diag", "trace"]


def outer(a: Any, b: Any) -> Tensor:
    return ravel(a).reshape(-1, 1) * ravel(b).reshape(1, -1)


def tensordot(a: Any, b: Any, axes: Any = 2) -> Tensor:
    ta, tb = _t(a), _t(b)
    if isinstance(axes, (int, np.integer)):
        ax_a, ax_b = list(range(ta.ndim - int(axes), ta.ndim)), list(range(int(axes)))
    else:
        ax_a, ax_b = ([int(axes[0])] if np.ndim(axes[0]) == 0 else list(axes[0]),
                      [int(axes[1])] if np.ndim(axes[1]) == 0 else list(axes[1]))
    ax_a, ax_b = [i % ta.ndim for i in ax_a], [i % tb.ndim for i in ax_b]
    if [ta.shape[i] for i in ax_a] != [tb.shape[i] for i in ax_b]:
        raise ShapeError(f"tensordot: summed axes {ax_a} of {ta.shape} and {ax_b} of "
                         f"{tb.shape} differ in size")
    free_a = [i for i in range(ta.ndim) if i not in ax_a]
    free_b = [i for i in range(tb.ndim) if i not in ax_b]
    k = int(np.prod([ta.shape[i] for i in ax_a]))
    ma = ta.transpose(tuple(free_a + ax_a)).reshape(-1, k)
    mb = tb.transpose(tuple(ax_b + free_b)).reshape(k, -1)
    return (ma @ mb).reshape(tuple(ta.shape[i] for i in free_a) +
                             tuple(tb.shape[i] for i in free_b))


def dot(a: Any, b: Any) -> Tensor:
    """numpy's ``dot``: a product with a scalar, the inner product of vectors, the matrix
    product of 2-D arrays (the course's ``np.dot(W, X)``), and for N-D the sum over the last
    axis of ``a`` and the second-to-last of ``b``."""
    na = np.ndim(a._data if isinstance(a, Tensor) else a)
    nb = np.ndim(b._data if isinstance(b, Tensor) else b)
    if na == 0 or nb == 0:
        return _binary(E.MUL, a, b)
    if nb <= 2:  # the course's case: straight to the matmul primitive, no wrapping of X
        return _binary(L.MATMUL, a, b)
    return tensordot(a, b, axes=([-1], [-2]))


def einsum(subscripts: str, *operands: Any) -> Tensor:
    """Einstein summation over explicit letters (``'ij,jk->ik'``, ``'bij,bjk->bik'``,
    ``'i,i->'``...); no ``...``, and no letter repeated within one operand."""
    if not isinstance(subscripts, str):
        raise TypeError("einsum: give the subscripts as a string first, e.g. 'ij,jk->ik'")
    ins, out = A.parse_einsum(subscripts, len(operands))
    ts = [_t(x) for x in operands]
    for s, x in zip(ins, ts):
        if len(s) != x.ndim:
            raise ShapeError(f"einsum: subscripts {s!r} name {len(s)} axes, the operand has "
                             f"shape {x.shape}")
    return apply(A.EINSUM, tuple(ts), {"subscripts": f"{','.join(ins)}->{out}"})


def _tri_mask(t: Tensor, k: int, lower: bool) -> np.ndarray:
    rows, cols = t.shape[-2], t.shape[-1]
    return np.tri(rows, cols, k, dtype=bool) if lower else ~np.tri(rows, cols, k - 1, dtype=bool)


def tril(m: Any, k: int = 0) -> Tensor:
    t = _t(m)
    return where(_tri_mask(t, k, True), t, 0.0)


def triu(m: Any, k: int = 0) -> Tensor:
    t = _t(m)
    return where(_tri_mask(t, k, False), t, 0.0)


def diag(v: Any, k: int = 0) -> Tensor:
    """The k-th diagonal of a matrix, or a square matrix with ``v`` on its k-th diagonal."""
    t = _t(v)
    if t.ndim == 1:
        n = t.shape[0] + abs(k)
        i = np.arange(t.shape[0])
        index = (i - min(k, 0), i + max(k, 0))
        return apply(M.SCATTER, (t,), {"index": index, "shape": (n, n)})
    if t.ndim != 2:
        raise ShapeError(f"diag: needs a 1-D or 2-D tensor, got shape {t.shape}")
    rows = np.arange(max(0, -k), min(t.shape[0], t.shape[1] - k))
    return t[(rows, rows + k)]


def trace(a: Any, offset: int = 0) -> Tensor:
    t = _t(a)
    if t.ndim != 2:
        raise ShapeError(f"trace: only 2-D tensors are supported, got shape {t.shape}")
    return diag(t, offset).sum()
