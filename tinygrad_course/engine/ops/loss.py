"""The course's cross-entropy cost as one primitive: J and dJ/dA side by side.

Composed from log, mul and sum it would be eight ops forward and eight backward; small nets
spend most of their time in per-op overhead, so the cost every model trains on is fused.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from .registry import defop


def clip_saturated(a: Any, eps: float) -> Any:
    """A clipped into [eps, 1 - eps]: large finite costs at A = 0 or 1 instead of inf and nan.

    Inside that range (every printed course cost) the clip changes no value, so eager code
    skips the pass unless A saturated; anything else (a symbolic array in ``tc.compile``)
    always clips, which gives the same numbers and stays right when A saturates later.
    """
    if not eps:
        return a
    if isinstance(a, np.ndarray) and not (a.min(initial=1.0) < eps
                                          or a.max(initial=0.0) > 1 - eps):
        return a
    # np.clip's own numbers (nan stays nan) without its Python wrapper
    return np.minimum(np.maximum(a, eps), 1 - eps)


def _bce(a: Any, y: Any, one_minus_y: Any, scale: float, eps: float = 0.0,
         from_sigmoid: bool = False) -> Any:
    # J = -1/m * sum(Y log A + (1 - Y) log(1 - A)), in the course's order of operations.
    a = clip_saturated(a, eps)
    return np.sum(y * np.log(a) + one_minus_y * np.log(1 - a)) * scale


def _one_minus(y: Any, one_minus_y: Any) -> Any:
    # The precomputed 1 - Y is exact for array labels; under create_graph a Tensor Y must
    # stay in the graph, so 1 - Y is recomputed from it.
    return one_minus_y if isinstance(y, np.ndarray) else 1 - y


class ThroughSigmoid(np.ndarray):
    """dJ/dA of the cross-entropy on a sigmoid's output, carrying dJ/dZ = (A - Y)/m exactly.

    The course's dZ = A - Y never vanishes, but dJ/dA · σ'(Z) does: it is 0·inf once A
    rounds to 0 or 1 (z ≈ ±17 in float32, ±37 in float64), and the clip that keeps J finite
    zeroes it even earlier. The sigmoid's rule uses ``dz`` when its whole upstream gradient
    is one of these (a sum with other gradients is a plain array, and takes the chain rule).
    """

    dz: Any = None

    def __array_finalize__(self, obj: Any) -> None:
        self.dz = None  # results of arithmetic on it carry no dz


def _bce_vjp_a(xp: Any, g: Any, out: Any, a: Any, y: Any, one_minus_y: Any, scale: float,
               eps: float = 0.0, from_sigmoid: bool = False) -> Any:
    # The course's dAL, on the clipped A where A saturated: large and finite, never 0 (the
    # clip's own derivative would be 0 there, and the gradient would vanish).
    a_c = clip_saturated(a, eps)
    da = g * scale * (y / a_c - _one_minus(y, one_minus_y) / (1 - a_c))
    if not from_sigmoid:
        return da
    m = round(-1.0 / scale)  # the number of examples (scale is -1/m)
    # The course's dZ = (A - Y)/m, bit for bit, handed to the sigmoid's rule with dA.
    return xp.hand_over(da, lambda: (a - y) / m * g, "binary_cross_entropy(σ(Z)): (A-Y)/m")


BINARY_CROSS_ENTROPY = defop(
    "binary_cross_entropy", "J", _bce,
    # dJ/dA = -1/m * (Y/A - (1-Y)/(1-A)), the course's dAL; dJ/dY = -1/m * log(A/(1-A))
    (_bce_vjp_a,
     lambda xp, g, out, a, y, one_minus_y, scale, eps=0.0, from_sigmoid=False:
        g * scale * (xp.log(a) - xp.log(1 - a))),
    ("-1/m·(Y/A - (1-Y)/(1-A))", "-1/m·log(A/(1-A))"))


def _log_softmax0(z: Any) -> Any:
    """log softmax over the classes (rows), the max taken out first so nothing overflows."""
    shifted = z - np.max(z, axis=0, keepdims=True)
    return shifted - np.log(np.sum(np.exp(shifted), axis=0, keepdims=True))


def _log_softmax_xp(xp: Any, z: Any) -> Any:
    """The same with ``xp`` functions, so it stays differentiable under create_graph."""
    shifted = z - np.max(xp.const(z), axis=0, keepdims=True)
    return shifted - xp.log(xp.exp(shifted).sum(axis=0, keepdims=True))


def _softmax_ce_vjp_z(xp: Any, g: Any, out: Any, z: Any, y: Any, scale: float) -> Any:
    # dJ/dZ = -1/m * (Y - softmax(Z) * sum_c Y): (softmax(Z) - Y) / m for one-hot labels.
    e = xp.exp(z - np.max(xp.const(z), axis=0, keepdims=True))
    probabilities = e / e.sum(axis=0, keepdims=True)
    return g * scale * (y - probabilities * y.sum(axis=0, keepdims=True))


SOFTMAX_CROSS_ENTROPY = defop(
    "softmax_cross_entropy", "J",
    lambda z, y, scale: np.sum(y * _log_softmax0(z)) * scale,  # J = -1/m Σ Y log softmax(Z)
    (_softmax_ce_vjp_z,
     lambda xp, g, out, z, y, scale: g * scale * _log_softmax_xp(xp, z)),
    ("-1/m·(Y - softmax(Z)·ΣY)", "-1/m·log softmax(Z)"))
