"""Activation and rounding primitives: erf, softplus, elu, logaddexp, floor division, mod.

As in trig.py, the rules call numpy functions, which record onto Tensors under
``create_graph=True`` through numpy's protocols, so second derivatives come for free.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from .registry import defop

__all__ = ["ERF", "SOFTPLUS", "ELU", "LOGADDEXP", "FLOOR_DIVIDE", "MOD"]

_erf = np.frompyfunc(math.erf, 1, 1)
_TWO_OVER_SQRT_PI = 2.0 / math.sqrt(math.pi)  # a Python float: float32 stays float32


def _erf_forward(a: Any) -> Any:
    a = np.asarray(a)
    return np.asarray(_erf(a)).astype(a.dtype)


ERF = defop(
    "erf", "erf", _erf_forward,
    (lambda xp, g, out, a: g * (_TWO_OVER_SQRT_PI * np.exp(-(a * a))),),
    ("2/sqrt(π)·exp(-a²)",))

# softplus(a) = log(1 + exp(a)), computed without overflow; its derivative sigmoid(a) is
# -expm1(-softplus(a)), accurate at both ends and differentiable again through expm1.
SOFTPLUS = defop(
    "softplus", "softplus", lambda a: np.logaddexp(0, a),
    (lambda xp, g, out, a: g * -np.expm1(-out),),
    ("σ(a)",))


def _elu(a: Any, alpha: float) -> Any:
    return np.where(a > 0, a, alpha * np.expm1(np.minimum(a, 0)))


ELU = defop(
    "elu", "elu", _elu,
    (lambda xp, g, out, a, alpha: g * np.where(xp.const(a) > 0, 1.0, out + alpha),),
    ("1 if a>0 else elu(a)+alpha",))

LOGADDEXP = defop(
    "logaddexp", "logaddexp", np.logaddexp,
    (lambda xp, g, out, a, b: g * np.exp(a - out),
     lambda xp, g, out, a, b: g * np.exp(b - out)),
    ("exp(a)/(exp(a)+exp(b))", "exp(b)/(exp(a)+exp(b))"), elementwise=True)

# a // b is a staircase: flat between its jumps, so both gradients are 0 (PyTorch refuses to
# differentiate it at all; 0 is the derivative wherever one exists).
FLOOR_DIVIDE = defop(
    "floor_divide", "//", np.floor_divide,
    (lambda xp, g, out, a, b: g * 0,
     lambda xp, g, out, a, b: g * 0),
    ("0", "0"), elementwise=True)

# a % b = a - b·floor(a/b) (numpy's sign convention: the result has the sign of b).
MOD = defop(
    "mod", "%", np.mod,
    (lambda xp, g, out, a, b: g,
     lambda xp, g, out, a, b: -g * np.floor_divide(a, b)),
    ("1", "-floor(a/b)"), elementwise=True)
