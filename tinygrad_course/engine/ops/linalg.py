"""Matrix product with numpy's rules (2-D, 1-D and batched): dW = dZ·A_prevᵀ, dA_prev = Wᵀ·dZ."""

from __future__ import annotations

from typing import Any

import numpy as np

from .registry import defop


def _swap(xp: Any, x: Any) -> Any:
    axes = list(range(len(x.shape)))
    axes[-1], axes[-2] = axes[-2], axes[-1]
    return xp.transpose(x, tuple(axes))


def _as_matrices(xp: Any, g: Any, a: Any, b: Any) -> tuple[Any, Any, Any]:
    """View 1-D operands as matrices (a row, b a column) and ``g`` to match a @ b."""
    A = a if len(a.shape) > 1 else xp.reshape(a, (1, a.shape[0]))
    B = b if len(b.shape) > 1 else xp.reshape(b, (b.shape[0], 1))
    g_shape = tuple(g.shape)
    if len(a.shape) == 1:
        g_shape = g_shape[:-1] + (1,) + g_shape[-1:] if len(b.shape) > 1 else g_shape + (1,)
    if len(b.shape) == 1:
        g_shape = g_shape + (1,)
    return xp.reshape(g, g_shape), A, B


def _matmul_vjp_a(xp: Any, g: Any, out: Any, a: Any, b: Any) -> Any:
    if len(a.shape) == 2 and len(b.shape) == 2:  # the course's case, dW = dZ·A_prevᵀ
        return g @ b.T
    G, A, B = _as_matrices(xp, g, a, b)
    return xp.reshape(xp.unbroadcast(xp.matmul(G, _swap(xp, B)), A.shape), a.shape)


def _matmul_vjp_b(xp: Any, g: Any, out: Any, a: Any, b: Any) -> Any:
    if len(a.shape) == 2 and len(b.shape) == 2:  # dA_prev = Wᵀ·dZ
        return a.T @ g
    G, A, B = _as_matrices(xp, g, a, b)
    return xp.reshape(xp.unbroadcast(xp.matmul(_swap(xp, A), G), B.shape), b.shape)


MATMUL = defop(
    "matmul", "@", np.matmul,
    (_matmul_vjp_a, _matmul_vjp_b),
    ("dout·bᵀ", "aᵀ·dout"))
