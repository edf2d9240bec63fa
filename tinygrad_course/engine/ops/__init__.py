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
from .registry import REGISTRY, Op, Variadic, defop, unbroadcast

__all__ = ["REGISTRY", "Op", "Variadic", "defop", "unbroadcast"]
