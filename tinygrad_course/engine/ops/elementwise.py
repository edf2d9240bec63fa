"""Elementwise primitives, each forward beside its local derivative (broadcasting allowed)."""

from __future__ import annotations

import operator
from typing import Any

import numpy as np

from .registry import defop


def _mask(xp: Any, cond: Any, like: Any) -> Any:
    """A 0/1 array in the dtype of ``like`` (a float32 graph stays float32)."""
    return np.asarray(cond, dtype=xp.const(like).dtype)


# pow at the edges follows PyTorch (documented in docs/engine.md): d(a**b)/da is 0 where
# b == 0 (even at a == 0, where b·a**(b-1) would be 0·inf), and d(a**b)/db is 0 where a == 0 and
# b >= 0 (where log(a)·a**b would be -inf·0). Both are written so that the derivative of the
# rule is as safe as the rule: the edge values are replaced before the power or log is taken.

def _pow_da(xp: Any, g: Any, a: Any, b: Any) -> Any:
    if isinstance(b, (int, float)):  # a Python-number exponent stays one (no upcast)
        return g * 0.0 if b == 0 else g * b * a ** (b - 1)
    b_safe = b + _mask(xp, xp.const(b) == 0, b)  # 1 where b == 0, so a**(b-1) is finite
    return g * b * a ** (b_safe - 1)


def _pow_db(xp: Any, g: Any, out: Any, a: Any, b: Any) -> Any:
    at_zero = (np.asarray(xp.const(a)) == 0) & (np.asarray(xp.const(b)) >= 0)
    if isinstance(a, (int, float)):  # a Python-number base stays one (no float64 upcast)
        if not np.any(at_zero):
            return g * float(np.log(a)) * out
        return g * _mask(xp, ~at_zero, out) * np.log(np.where(at_zero, 1.0, float(a)))
    a_safe = a + _mask(xp, at_zero, a)  # 1 where a == 0 <= b, so log(a) is 0, not -inf
    return g * xp.log(a_safe) * out


# --- arithmetic --------------------------------------------------------------------------
ADD = defop(
    "add", "+", operator.add,
    (lambda xp, g, out, a, b: g,
     lambda xp, g, out, a, b: g),
    ("1", "1"), elementwise=True)

SUB = defop(
    "sub", "-", operator.sub,
    (lambda xp, g, out, a, b: g,
     lambda xp, g, out, a, b: -g),
    ("1", "-1"), elementwise=True)

MUL = defop(
    "mul", "*", operator.mul,
    (lambda xp, g, out, a, b: g * b,
     lambda xp, g, out, a, b: g * a),
    ("b", "a"), elementwise=True)

DIV = defop(
    "div", "/", operator.truediv,
    (lambda xp, g, out, a, b: g / b,
     lambda xp, g, out, a, b: -g * out / b),
    ("1/b", "-a/b²"), elementwise=True)

POW = defop(
    "pow", "**", operator.pow,
    (lambda xp, g, out, a, b: _pow_da(xp, g, a, b),
     _pow_db),
    ("b·a^(b-1)", "log(a)·a^b"), elementwise=True)

NEG = defop(
    "neg", "-", operator.neg,
    (lambda xp, g, out, a: -g,),
    ("-1",))

# --- transcendental and activations ------------------------------------------------------
EXP = defop(
    "exp", "exp", np.exp,
    (lambda xp, g, out, a: g * out,),
    ("exp(a)",))

LOG = defop(
    "log", "log", np.log,
    (lambda xp, g, out, a: g / a,),
    ("1/a",))

SQRT = defop(
    "sqrt", "sqrt", np.sqrt,
    (lambda xp, g, out, a: g / (2 * out),),
    ("1/(2·sqrt(a))",))

ABS = defop(
    "abs", "abs", np.abs,
    (lambda xp, g, out, a: g * np.sign(xp.const(a)),),
    ("sign(a)",))


# exp(-a) overflows below these; clipping there changes sigmoid by less than 1e-38.
_SIGMOID_FLOOR = {np.dtype(np.float64): -709.0, np.dtype(np.float32): -88.0}


def _sigmoid(a: np.ndarray) -> np.ndarray:
    # The course's 1 / (1 + exp(-a)), bit for bit, without overflow warnings for very
    # negative a; the in-place steps save two temporaries on the hot path.
    e = np.exp(-np.maximum(a, _SIGMOID_FLOOR.get(a.dtype, -709.0)))
    if type(e) is not np.ndarray:  # a 0-d input gives a numpy scalar
        return 1 / (1 + e)
    e += 1
    return np.reciprocal(e, out=e)


def _sigmoid_vjp(xp: Any, g: Any, out: Any, a: Any) -> Any:
    dz = xp.handed(g)
    if dz is not None:
        return dz  # the cross-entropy's exact dZ = (A - Y)/m, which never vanishes
    return g * out * (1 - out)


SIGMOID = defop(
    "sigmoid", "σ", _sigmoid,
    (_sigmoid_vjp,),
    ("σ(a)·(1-σ(a))",))

TANH = defop(
    "tanh", "tanh", np.tanh,
    (lambda xp, g, out, a: g * (1 - out * out),),
    ("1-tanh²(a)",))

RELU = defop(
    "relu", "relu", lambda a: np.maximum(a, 0),
    (lambda xp, g, out, a: g * (xp.const(a) > 0),),
    ("1 if a>0 else 0",))

LEAKY_RELU = defop(
    "leaky_relu", "leaky_relu",
    lambda a, slope: np.where(a > 0, a, a * slope),
    (lambda xp, g, out, a, slope: g * _mask(xp, np.where(xp.const(a) > 0, 1, slope), a),),
    ("1 if a>0 else slope",))

CLIP = defop(
    "clip", "clip", lambda a, lo, hi: np.clip(a, lo, hi),
    (lambda xp, g, out, a, lo, hi: g * ((xp.const(a) >= lo) & (xp.const(a) <= hi)),),
    ("1 inside [lo, hi] else 0",))


def _share(xp: Any, a: Any, b: Any, out: Any) -> Any:
    """Weight of ``a`` in max(a, b): 1 where it wins, 0.5 on ties (as PyTorch splits)."""
    A, B = xp.const(a), xp.const(b)
    return _mask(xp, np.where(A == B, 0.5, A > B), out)


MAXIMUM = defop(
    "maximum", "max", np.maximum,
    (lambda xp, g, out, a, b: g * _share(xp, a, b, out),
     lambda xp, g, out, a, b: g * _share(xp, b, a, out)),
    ("1 if a>b (½ on ties)", "1 if b>a (½ on ties)"), elementwise=True)

MINIMUM = defop(
    "minimum", "min", np.minimum,
    (lambda xp, g, out, a, b: g * _share(xp, b, a, out),
     lambda xp, g, out, a, b: g * _share(xp, a, b, out)),
    ("1 if a<b (½ on ties)", "1 if b<a (½ on ties)"), elementwise=True)

WHERE = defop(
    "where", "where", lambda a, b, cond: np.where(cond, a, b),
    (lambda xp, g, out, a, b, cond: g * cond,
     lambda xp, g, out, a, b, cond: g * ~cond),
    ("1 where cond", "1 where not cond"), elementwise=True)
