"""Costs J(A, Y) averaged over the m examples (columns): the course's cross-entropy and friends.

Each takes the network's output and the labels (Tensors or arrays, examples as columns) and
returns a scalar Tensor to call ``backward()`` on.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

from .engine.ops.elementwise import SIGMOID
from .engine.ops.loss import BINARY_CROSS_ENTROPY, SOFTMAX_CROSS_ENTROPY
from .engine.record import apply
from .engine.tensor import Tensor, as_tensor
from .errors import ShapeError

__all__ = ["binary_cross_entropy", "binary_cross_entropy_with_logits", "mse",
           "softmax_cross_entropy", "binary_cross_entropy_for"]

# Machine epsilon per dtype, looked up once (np.finfo is slow on a hot path).
_EPS = {np.dtype(t): float(np.finfo(t).eps) for t in (np.float32, np.float64)}


def _labels(Y: Any, like: Tensor, what: str) -> Any:
    """Labels as a constant of the output's dtype, shape-checked against it."""
    y = Y.data if isinstance(Y, Tensor) else np.asarray(Y)
    if y.shape != like.shape:
        raise ShapeError(
            f"{what}: labels Y have shape {y.shape} but the output has shape {like.shape}; "
            f"in the course's notation both are (n_y, m), one example per column"
            + (" - reshape Y with Y.reshape(1, -1)" if y.ndim == 1 else ""))
    if y.dtype != like.dtype:
        y = y.astype(like.dtype)
    return y


def _m(A: Tensor) -> int:
    if A.ndim == 0:
        return 1
    return A.shape[-1]


def binary_cross_entropy(A: Any, Y: Any) -> Tensor:
    """The course's cost ``J = -1/m * sum(Y log A + (1 - Y) log(1 - A))`` on probabilities A.

    ``A`` is clipped into ``[eps, 1 - eps]`` first (``eps`` the dtype's machine epsilon), so
    ``A = 0`` or ``1`` gives a large finite cost instead of ``nan``; inside that range the
    clip changes no value, so the course's printed costs are reproduced exactly. When ``A``
    is a sigmoid's output the gradient reaching its ``Z`` is the course's ``dZ = (A - Y)/m``
    exactly, for every ``Z``: it never vanishes on a confident mistake, clipped or not.

    >>> round(binary_cross_entropy(Tensor([[0.5, 0.5]]), [[1, 0]]).item(), 6)
    0.693147
    >>> bool(np.isfinite(binary_cross_entropy(Tensor([[0.0, 1.0]]), [[1, 0]]).item()))
    True
    """
    A = as_tensor(A)
    y = _labels(Y, A, "binary_cross_entropy")
    return _bce(A, y, 1 - y, -1.0 / _m(A))


def _bce(A: Tensor, y: Any, one_minus_y: Any, scale: float) -> Tensor:
    # Saturated outputs are clipped inside the op (see ops/loss.py): its gradient stays the
    # course's dAL on the clipped A, and, on a sigmoid's output, Z receives dZ = (A - Y)/m.
    return apply(BINARY_CROSS_ENTROPY, (A, y),
                 {"one_minus_y": one_minus_y, "scale": scale, "eps": _EPS[A.data.dtype],
                  "from_sigmoid": A.op is SIGMOID})


def binary_cross_entropy_for(Y: Any, like: Tensor) -> Callable[[Tensor], Tensor]:
    """``binary_cross_entropy(A, Y)`` as a function of ``A`` alone, with the label terms
    ``Y`` and ``1 - Y`` prepared once: what a training loop calls at every step. ``like`` is
    an output of the right shape and dtype.

    >>> J = binary_cross_entropy_for([[1, 0]], like=Tensor([[0.5, 0.5]]))
    >>> round(J(Tensor([[0.5, 0.5]])).item(), 6)
    0.693147
    """
    y = _labels(Y, like, "binary_cross_entropy")
    one_minus_y, scale = 1 - y, -1.0 / _m(like)
    shape = like.shape

    def cost(A: Tensor) -> Tensor:
        if A.shape != shape:
            raise ShapeError(f"binary_cross_entropy: the output has shape {A.shape} but the "
                             f"labels Y have shape {shape}")
        return _bce(A, y, one_minus_y, scale)
    return cost


def binary_cross_entropy_with_logits(Z: Any, Y: Any) -> Tensor:
    """Cross-entropy of ``sigmoid(Z)`` computed from the logits Z, stable for any Z:
    ``max(Z, 0) - Z * Y + log(1 + exp(-|Z|))`` averaged over the m examples.

    >>> round(binary_cross_entropy_with_logits(Tensor([[0.0]]), [[1]]).item(), 6)
    0.693147
    >>> round(binary_cross_entropy_with_logits(Tensor([[1000.0]]), [[0]]).item(), 1)
    1000.0
    """
    Z = as_tensor(Z)
    y = _labels(Y, Z, "binary_cross_entropy_with_logits")
    loss = Z.relu() - Z * y + ((-Z.abs()).exp() + 1).log()
    return loss.sum() * (1.0 / _m(Z))


def mse(A: Any, Y: Any) -> Tensor:
    """The squared error ``J = 1/m * sum(1/2 (A - Y)^2)`` the course shows for logistic
    regression - and rejects, because with a sigmoid it makes the cost non-convex.

    >>> mse(Tensor([[1.0, 3.0]]), [[0.0, 1.0]]).item()
    1.25
    """
    A = as_tensor(A)
    d = A - _labels(Y, A, "mse")
    return (d * d).sum() * (0.5 / _m(A))


def softmax_cross_entropy(Z: Any, Y: Any) -> Tensor:
    """Multi-class cross-entropy of ``softmax(Z)`` over the C rows (classes), stable.

    ``Z`` is ``(C, m)`` logits. ``Y`` is either one-hot ``(C, m)`` or integer class labels
    ``(1, m)`` / ``(m,)``.

    >>> round(softmax_cross_entropy(Tensor([[0.0, 0.0], [0.0, 0.0]]), [[0, 1]]).item(), 6)
    0.693147
    """
    Z = as_tensor(Z)
    if Z.ndim != 2:
        raise ShapeError(f"softmax_cross_entropy: logits Z must be (C, m) with one column per "
                         f"example, got shape {Z.shape}")
    C, m = Z.shape
    y = Y.data if isinstance(Y, Tensor) else np.asarray(Y)
    if y.shape == (C, m) and C > 1:
        onehot = y.astype(Z.dtype)
    elif y.shape in ((1, m), (m,)):
        labels = y.reshape(m)
        if labels.dtype.kind == "f" and not np.all(labels == np.round(labels)):
            raise ValueError("softmax_cross_entropy: class labels must be whole numbers")
        labels = labels.astype(np.int64)
        if labels.size and (labels.min() < 0 or labels.max() >= C):
            raise ValueError(f"softmax_cross_entropy: labels must lie in 0..{C - 1} for {C} "
                             f"classes, got {labels.min()}..{labels.max()}")
        onehot = np.zeros((C, m), dtype=Z.dtype)
        onehot[labels, np.arange(m)] = 1
    else:
        raise ShapeError(f"softmax_cross_entropy: Y has shape {y.shape}; expected one-hot "
                         f"({C}, {m}) or class labels (1, {m}) for logits Z of shape {Z.shape}")
    return apply(SOFTMAX_CROSS_ENTROPY, (Z, onehot), {"scale": -1.0 / m})
