"""Trigonometric, hyperbolic and log/exp-variant primitives, each forward beside its derivative.

The rules call numpy functions (``np.cos(a)``) on their inputs: during ordinary backward those
are arrays; under ``create_graph=True`` they are Tensors, and numpy's protocols (see
``engine/numpy_protocol.py``) record the same functions, so every rule is differentiable again.
Python numbers (never ``np.float64`` scalars) keep a float32 graph in float32.
"""

from __future__ import annotations

import numpy as np

from .registry import defop

__all__ = ["SIN", "COS", "TAN", "SINH", "COSH", "ARCSIN", "ARCCOS", "ARCTAN", "ARCSINH",
           "ARCTANH", "LOG1P", "EXPM1", "SIGN"]

SIN = defop(
    "sin", "sin", np.sin,
    (lambda xp, g, out, a: g * np.cos(a),),
    ("cos(a)",))

COS = defop(
    "cos", "cos", np.cos,
    (lambda xp, g, out, a: -g * np.sin(a),),
    ("-sin(a)",))

TAN = defop(
    "tan", "tan", np.tan,
    (lambda xp, g, out, a: g * (1 + out * out),),
    ("1+tan²(a)",))

SINH = defop(
    "sinh", "sinh", np.sinh,
    (lambda xp, g, out, a: g * np.cosh(a),),
    ("cosh(a)",))

COSH = defop(
    "cosh", "cosh", np.cosh,
    (lambda xp, g, out, a: g * np.sinh(a),),
    ("sinh(a)",))

ARCSIN = defop(
    "arcsin", "arcsin", np.arcsin,
    (lambda xp, g, out, a: g / np.sqrt(1 - a * a),),
    ("1/sqrt(1-a²)",))

ARCCOS = defop(
    "arccos", "arccos", np.arccos,
    (lambda xp, g, out, a: -g / np.sqrt(1 - a * a),),
    ("-1/sqrt(1-a²)",))

ARCTAN = defop(
    "arctan", "arctan", np.arctan,
    (lambda xp, g, out, a: g / (1 + a * a),),
    ("1/(1+a²)",))

ARCSINH = defop(
    "arcsinh", "arcsinh", np.arcsinh,
    (lambda xp, g, out, a: g / np.sqrt(a * a + 1),),
    ("1/sqrt(a²+1)",))

ARCTANH = defop(
    "arctanh", "arctanh", np.arctanh,
    (lambda xp, g, out, a: g / (1 - a * a),),
    ("1/(1-a²)",))

LOG1P = defop(
    "log1p", "log1p", np.log1p,
    (lambda xp, g, out, a: g / (1 + a),),
    ("1/(1+a)",))

EXPM1 = defop(
    "expm1", "expm1", np.expm1,
    (lambda xp, g, out, a: g * (out + 1),),
    ("exp(a)",))

# sign is flat wherever it is defined: its gradient is 0 (PyTorch's convention at 0, too).
SIGN = defop(
    "sign", "sign", np.sign,
    (lambda xp, g, out, a: g * 0,),
    ("0",))
