"""Primitive operations: importing this package registers every op in ``REGISTRY``."""

from . import elementwise, linalg, loss, movement, reduce  # noqa: F401  (registration side effect)
from .registry import NUMPY, REGISTRY, Op, Variadic, defop, unbroadcast

__all__ = ["NUMPY", "REGISTRY", "Op", "Variadic", "defop", "unbroadcast"]
