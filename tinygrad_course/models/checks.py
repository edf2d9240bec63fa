"""What ``fit`` and ``predict`` check at the boundary, with messages in the course's words."""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from ..engine.tensor import Tensor
from ..errors import ShapeError

__all__ = ["check_data", "check_finite", "check_labels", "check_hyperparameters", "LABELS"]

# What the labels Y of a model may be: 0/1 (a sigmoid output and the course's cross-entropy),
# one-hot columns or class indices (a softmax output), or anything (a custom cost checks).
LABELS = ("binary", "softmax", "any")


def _array(a: Any, what: str) -> np.ndarray:
    arr = a.data if isinstance(a, Tensor) else np.asarray(a)
    if arr.dtype.kind not in "biuf":
        raise TypeError(f"{what} must hold numbers, got dtype {arr.dtype}")
    return arr


def check_data(X: Any, Y: Any | None, n_x: int, n_y: int = 1,
               labels: str = "binary") -> tuple[np.ndarray, Any]:
    """Check ``X`` is ``(n_x, m)`` and ``Y`` is ``(n_y, m)`` (examples as columns) and say
    precisely what is wrong otherwise. Returns them as arrays. With ``labels="softmax"``,
    ``Y`` may also be class indices ``(1, m)``.

    >>> check_data(np.zeros((3, 2)), None, n_x=2)
    Traceback (most recent call last):
    ...
    tinygrad_course.errors.ShapeError: X has shape (3, 2), but this model expects (n_x, m) = \
(2, m): the course's convention is one example per column. It looks transposed: X of shape \
(3, 2) is (m, n_x) with examples as rows; pass X.T.
    """
    x = _array(X, "X")
    if x.ndim != 2 or x.shape[0] != n_x:
        hint = ""
        if x.ndim == 2 and x.shape[1] == n_x:
            hint = (f" It looks transposed: X of shape {x.shape} is (m, n_x) with examples as "
                    "rows; pass X.T.")
        elif x.ndim == 1:
            hint = " A rank-1 array is ambiguous; reshape it to (n_x, m)."
        elif x.ndim > 2:
            hint = " Flatten each example first: X = X.reshape(X.shape[0], -1).T."
        raise ShapeError(f"X has shape {x.shape}, but this model expects (n_x, m) = "
                         f"({n_x}, m): the course's convention is one example per column."
                         + hint)
    if Y is None:
        return x, None
    y = _array(Y, "Y")
    m = x.shape[1]
    if y.shape != (n_y, m) and not (labels == "softmax" and y.shape == (1, m)):
        hint = ""
        if y.shape == (m,):
            hint = f" Do not use rank-1 arrays: Y = Y.reshape({n_y}, {m})."
        elif y.shape == (m, n_y):
            hint = " It looks transposed: pass Y.T."
        raise ShapeError(f"Y has shape {y.shape}, but with X of shape {x.shape} it must be "
                         f"(n_y, m) = ({n_y}, {m}): one label column per example." + hint)
    return x, y


def check_finite(a: np.ndarray, what: str) -> None:
    """Refuse NaN or infinity in ``X`` or ``Y``, naming the first example (column) with one.

    >>> check_finite(np.array([[1.0, np.nan]]), "X")
    Traceback (most recent call last):
    ...
    ValueError: X contains NaN or infinity (first in example 1, column 1 of X): every \
parameter would become NaN. Clean the data first, e.g. X[:, np.isfinite(X).all(axis=0)].
    """
    if a.dtype.kind != "f":
        return
    ok = np.isfinite(a)
    if not ok.all():
        column = int(np.argwhere(~ok)[0][-1]) if a.ndim else 0
        raise ValueError(f"{what} contains NaN or infinity (first in example {column}, column "
                         f"{column} of {what}): every parameter would become NaN. Clean the "
                         f"data first, e.g. {what}[:, np.isfinite({what}).all(axis=0)].")


def check_labels(y: np.ndarray, n_y: int, labels: str = "binary") -> None:
    """Labels the model's cost can learn from: 0/1 for a sigmoid output (the course's yes/no
    questions), one-hot columns or class indices ``0..n_y-1`` for a softmax output.

    >>> check_labels(np.array([[0, 255, 0]]), n_y=1)
    Traceback (most recent call last):
    ...
    ValueError: labels Y must be 0 or 1 (the course's yes/no labels, 1 = cat), but Y holds \
255. Pixel values as labels? Convert them first, e.g. Y = (Y > 0).astype(int).
    """
    if labels not in LABELS:
        raise ValueError(f"unknown labels kind {labels!r}; choose one of {', '.join(LABELS)}")
    if labels == "any":
        return
    if y.dtype.kind == "b":
        y = y.astype(np.int64)
    values = np.unique(y)
    odd = values[(values != 0) & (values != 1)]
    if labels == "binary" or (y.shape[0] == n_y and n_y > 1):
        if odd.size:
            shown = ", ".join(f"{v:g}" for v in odd[:5]) + (", ..." if odd.size > 5 else "")
            if labels == "binary":
                raise ValueError(
                    f"labels Y must be 0 or 1 (the course's yes/no labels, 1 = cat), but Y "
                    f"holds {shown}. {_label_hint(values)}")
            raise ValueError(f"one-hot labels Y ({n_y}, m) must hold only 0 and 1, but Y "
                             f"holds {shown}")
        if labels == "softmax" and not np.all(y.sum(axis=0) == 1):
            raise ValueError(f"one-hot labels Y ({n_y}, m) need exactly one 1 per column "
                             "(example)")
        return
    whole = values == np.round(values)
    if not whole.all() or values.min() < 0 or values.max() >= n_y:
        raise ValueError(f"class labels Y (1, m) must be whole numbers 0..{n_y - 1} for "
                         f"{n_y} classes, got values from {values.min():g} to "
                         f"{values.max():g}")


def _label_hint(values: np.ndarray) -> str:
    if set(values.tolist()) <= {-1, 1}:
        return "Labels -1/+1 (as in SVMs)? Use Y = (Y > 0).astype(int)."
    if values.max() > 1 and np.all(values == np.round(values)) and values.min() >= 0:
        if values.max() > 3:
            return "Pixel values as labels? Convert them first, e.g. Y = (Y > 0).astype(int)."
        return (f"{values.size} classes? This model answers yes/no; a softmax output takes "
                "class labels.")
    return "Threshold them first, e.g. Y = (Y > 0.5).astype(int)."


def check_hyperparameters(num_iterations: Any, learning_rate: Any, print_every: Any,
                          batch_size: Any) -> int:
    """The iteration count (as an int), after checking each hyperparameter of ``fit``."""
    n = num_iterations
    whole = (isinstance(n, (int, np.integer)) and not isinstance(n, bool)) \
        or (isinstance(n, float) and n.is_integer())
    if not whole or n < 0:
        raise ValueError(f"num_iterations must be a non-negative int, got {num_iterations!r}")
    try:
        lr = float(learning_rate)
    except (TypeError, ValueError):
        raise TypeError(f"learning_rate (alpha) must be a number, got "
                        f"{learning_rate!r}") from None
    if not math.isfinite(lr) or lr <= 0:
        raise ValueError(f"learning_rate (alpha) must be a positive finite number, got {lr}: "
                         "the course uses values like 0.0075 or 1.2")
    for what, n in (("print_every", print_every), ("batch_size", batch_size)):
        if n is None and what == "batch_size":
            continue
        if isinstance(n, bool) or not isinstance(n, (int, np.integer)) or n < 1:
            raise ValueError(f"{what} must be a positive int, got {n!r}")
    return int(num_iterations)
