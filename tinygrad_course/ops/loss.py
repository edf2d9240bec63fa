"""The course's cross-entropy cost as one primitive: J and dJ/dA side by side.

Composed from log, mul and sum it would be eight ops forward and eight backward; small nets
spend most of their time in per-op overhead, so the cost every model trains on is fused.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from .registry import defop


def _bce(a: Any, y: Any, one_minus_y: Any, scale: float) -> Any:
    # J = -1/m * sum(Y log A + (1 - Y) log(1 - A)), in the course's order of operations.
    return np.sum(y * np.log(a) + one_minus_y * np.log(1 - a)) * scale


BINARY_CROSS_ENTROPY = defop(
    "binary_cross_entropy", "J", _bce,
    # dJ/dA = -1/m * (Y/A - (1-Y)/(1-A)), the course's dAL; dJ/dY = -1/m * log(A/(1-A))
    (lambda xp, g, out, a, y, one_minus_y, scale:
        g * scale * (y / a - one_minus_y / (1 - a)),
     lambda xp, g, out, a, y, one_minus_y, scale:
        g * scale * (xp.log(a) - xp.log(1 - a))),
    ("-1/m·(Y/A - (1-Y)/(1-A))", "-1/m·log(A/(1-A))"))
