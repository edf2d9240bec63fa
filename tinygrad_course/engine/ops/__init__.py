"""Primitive operations: importing this package registers every op in ``REGISTRY``."""

from . import elementwise, linalg, loss, movement, reduce  # noqa: F401  (registration side effect)
from .registry import REGISTRY, Op, Variadic, defop, unbroadcast

__all__ = ["REGISTRY", "Op", "Variadic", "defop", "unbroadcast"]
