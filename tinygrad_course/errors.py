"""Exceptions and warnings that teach: they name the problem in the course's terms."""

from __future__ import annotations

from typing import Any

__all__ = ["ShapeError", "ShapeWarning", "GraphGrowthWarning", "AnomalyError", "matmul_error",
           "broadcast_error"]


class ShapeError(ValueError):
    """Operands whose shapes do not fit together (a ``ValueError``).

    >>> from tinygrad_course import Tensor
    >>> try:
    ...     Tensor(np.ones((3, 2))) @ Tensor(np.ones((3, 2)))
    ... except ShapeError as e:
    ...     print(str(e)[:21])
    matmul shape mismatch
    """


class ShapeWarning(UserWarning):
    """Legal numpy that is almost always a bug: the course's rank-1 pitfall (a broadcast that
    blows a result up, or a matmul with a rank-1 operand); ``strict_shapes()`` makes it a
    ``ShapeError``.

    >>> import warnings
    >>> from tinygrad_course import Tensor
    >>> a = Tensor(np.arange(5.0))
    >>> with warnings.catch_warnings(record=True) as caught:
    ...     warnings.simplefilter("always")
    ...     _ = a @ a.T
    >>> caught[0].category.__name__
    'ShapeWarning'
    """


class GraphGrowthWarning(UserWarning):
    """The graph grows from one training step to the next (``W = W - lr * W.grad`` outside
    ``no_grad()``): right numbers, but each step slower than the last."""


class AnomalyError(FloatingPointError):
    """Raised under ``detect_anomaly()`` by the first op that produced NaN or infinity.

    >>> from tinygrad_course import Tensor, detect_anomaly
    >>> try:
    ...     with detect_anomaly():
    ...         Tensor([np.nan]) + 1.0
    ... except AnomalyError:
    ...     print("caught")
    caught
    """


def _label(t: Any, fallback: str) -> str:
    name = getattr(t, "name", None)
    return f"{name!s}" if name else fallback


def matmul_error(a_shape: tuple[int, ...], b_shape: tuple[int, ...],
                 a: Any = None, b: Any = None) -> ShapeError:
    """Explain a failed ``a @ b`` with both shapes and the course's W[l] / A[l-1] rule."""
    left, right = _label(a, "left"), _label(b, "right")
    if len(a_shape) == 0 or len(b_shape) == 0:
        return ShapeError(
            f"matmul needs at least 1-D operands, got {left} {a_shape} @ {right} {b_shape}; "
            "use * for scaling by a scalar")
    k_left = a_shape[-1]
    k_right = b_shape[-2] if len(b_shape) > 1 else b_shape[0]
    if k_left != k_right:
        return ShapeError(
            f"matmul shape mismatch: {left} {a_shape} @ {right} {b_shape}: the inner dimensions "
            f"disagree ({k_left} columns vs {k_right} rows). In the course's notation "
            "W[l] is (n[l], n[l-1]) and A[l-1] is (n[l-1], m), so W[l] @ A[l-1] needs "
            "W's columns == A_prev's rows (n[l-1]); examples are columns, so X is (n_x, m) "
            "- did you pass X as (m, n_x), or forget a transpose (.T)?")
    return ShapeError(
        f"matmul cannot broadcast the batch dimensions of {left} {a_shape} and "
        f"{right} {b_shape}")


def broadcast_error(op: str, a_shape: tuple[int, ...], b_shape: tuple[int, ...]) -> ShapeError:
    """Explain a failed elementwise broadcast, dimension by dimension."""
    n = max(len(a_shape), len(b_shape))
    pa = (1,) * (n - len(a_shape)) + tuple(a_shape)
    pb = (1,) * (n - len(b_shape)) + tuple(b_shape)
    bad = [f"axis {i}: {x} vs {y}" for i, (x, y) in enumerate(zip(pa, pb))
           if x != y and 1 not in (x, y)]
    return ShapeError(
        f"{op}: shapes {tuple(a_shape)} and {tuple(b_shape)} cannot be broadcast together "
        f"({'; '.join(bad)}); each dimension must be equal or 1. For Z = W @ A_prev + b, "
        "b is (n[l], 1) so it broadcasts across the m examples (columns).")


def rank_one_message(a_shape: tuple[int, ...], b_shape: tuple[int, ...],
                     out_shape: tuple[int, ...]) -> str:
    """The rank-1 pitfall, in the course's words."""
    vec = a_shape if len(a_shape) == 1 else b_shape
    return (
        f"broadcasting a rank-1 array of shape {vec} against shapes {tuple(a_shape)} and "
        f"{tuple(b_shape)} gives a {tuple(out_shape)} result, which is rarely intended. The "
        f"course's advice: do not use rank-1 arrays; reshape it to ({vec[0]}, 1) or "
        f"(1, {vec[0]}) with .reshape(...) first.")


def rank_one_matmul_message(a_shape: tuple[int, ...], b_shape: tuple[int, ...],
                            out_shape: tuple[int, ...]) -> str:
    """The lecture's rank-1 example (``np.dot(a, a.T)`` is a number), in the course's words."""
    vec = a_shape if len(a_shape) == 1 else b_shape
    n = vec[0]
    return (
        f"matmul of shapes {tuple(a_shape)} and {tuple(b_shape)} gives {tuple(out_shape)}: a "
        f"rank-1 array of shape {vec} is neither a row nor a column, and a.T is the same "
        f"array, so np.dot(a, a.T) is a number, not a ({n}, {n}) matrix. The course's advice: "
        f"reshape it to ({n}, 1) or (1, {n}) with .reshape(...) first.")
