"""Primitive operations: importing this package registers every op in ``REGISTRY``."""

from . import (  # noqa: F401  (registration side effect)
    arrays,
    elementwise,
    linalg,
    loss,
    movement,
    reduce,
    special,
    trig,
)
from .registry import NUMPY, REGISTRY, Op, Variadic, defop, unbroadcast

__all__ = ["NUMPY", "REGISTRY", "Op", "Variadic", "defop", "unbroadcast"]
