"""Tensor math: the course's activations and elementwise functions (exp, log), and reductions.

``Tensor`` inherits :class:`TensorMath` (no state: ``__slots__ = ()``). The course's ops call
their primitive directly (``_unary``); the others call one function of ``engine/functions.py``,
the same one ``tinygrad_course.numpy`` and numpy's protocols use.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from .ops import elementwise as E
from .ops import reduce as R
from .record import _unary
from .shapes import normalize_axes

__all__ = ["TensorMath"]


def _f() -> Any:
    from . import functions
    return functions


class TensorMath:
    """Elementwise functions and reductions of every Tensor."""

    __slots__ = ()
    _data: np.ndarray

    # --- elementwise functions -------------------------------------------------------------
    def exp(self) -> Any:
        """eˣ, elementwise.

        >>> Tensor([0.0, 1.0]).exp()
        Tensor([1. , 2.7183])
        """
        return _unary(E.EXP, self)

    def log(self) -> Any:
        """The natural logarithm, elementwise (the cost's log(A)).

        >>> Tensor([1.0, np.e]).log()
        Tensor([0., 1.])
        """
        return _unary(E.LOG, self)

    def sqrt(self) -> Any:
        """Square root, elementwise.

        >>> Tensor([4.0, 9.0]).sqrt()
        Tensor([2., 3.])
        """
        return _unary(E.SQRT, self)

    def abs(self) -> Any:
        """Absolute value, elementwise.

        >>> Tensor([-2.0, 3.0]).abs()
        Tensor([2., 3.])
        """
        return _unary(E.ABS, self)

    def sigmoid(self) -> Any:
        """σ(z) = 1 / (1 + e⁻ᶻ), elementwise; σ'(z) = σ(z)(1 − σ(z)).

        >>> Tensor([0.0]).sigmoid()
        Tensor([0.5])
        """
        return _unary(E.SIGMOID, self)

    def tanh(self) -> Any:
        """tanh(z), elementwise; tanh'(z) = 1 − tanh²(z).

        >>> Tensor([0.0, 1.0]).tanh()
        Tensor([0. , 0.7616])
        """
        return _unary(E.TANH, self)

    def relu(self) -> Any:
        """max(0, z), elementwise; the derivative is 1 where z > 0, else 0.

        >>> Tensor([-1.0, 2.0]).relu()
        Tensor([0., 2.])
        """
        return _unary(E.RELU, self)

    def leaky_relu(self, slope: float = 0.01) -> Any:
        """max(slope·z, z), elementwise; the course's slope is 0.01.

        >>> Tensor([-1.0, 2.0]).leaky_relu()
        Tensor([-0.01, 2. ])
        """
        return _unary(E.LEAKY_RELU, self, {"slope": float(slope)})

    def clip(self, lo: float | None, hi: float | None) -> Any:
        """Limit values to ``[lo, hi]``; the gradient is zero where a value was clipped.

        >>> Tensor([-2.0, 0.5, 3.0]).clip(0.0, 1.0)
        Tensor([0. , 0.5, 1. ])
        """
        lo_ = -np.inf if lo is None else float(lo)
        hi_ = np.inf if hi is None else float(hi)
        if lo_ > hi_:
            raise ValueError(f"clip: lo ({lo}) is greater than hi ({hi})")
        return _unary(E.CLIP, self, {"lo": lo_, "hi": hi_})

    # --- reductions ------------------------------------------------------------------------
    def sum(self, axis: Any = None, keepdims: bool = False) -> Any:
        """Sum over ``axis`` (all axes when None); ``keepdims`` keeps (n, 1) shapes.

        >>> Tensor([[1.0, 2.0], [3.0, 4.0]]).sum(axis=1, keepdims=True)
        Tensor([[3.], [7.]], shape=(2, 1))
        """
        return _unary(R.SUM, self, {"axis": normalize_axes(axis, self._data.ndim, "sum"),
                                    "keepdims": bool(keepdims)})

    def mean(self, axis: Any = None, keepdims: bool = False) -> Any:
        """Mean over ``axis`` (all axes when None): the cost's (1/m)·Σ.

        >>> Tensor([[1.0, 2.0], [3.0, 4.0]]).mean(axis=0)
        Tensor([2., 3.])
        """
        return _unary(R.MEAN, self, {"axis": normalize_axes(axis, self._data.ndim, "mean"),
                                     "keepdims": bool(keepdims)})

    def max(self, axis: Any = None, keepdims: bool = False) -> Any:
        """Largest entry over ``axis`` (all axes when None).

        >>> Tensor([[1.0, 5.0], [3.0, 4.0]]).max(axis=1)
        Tensor([5., 4.])
        """
        if self._data.size == 0:
            raise ValueError("max of an empty tensor has no value")
        return _unary(R.MAX, self, {"axis": normalize_axes(axis, self._data.ndim, "max"),
                                    "keepdims": bool(keepdims)})

    # --- reductions ------------------------------------------------------------------------
    def min(self, axis: Any = None, keepdims: bool = False) -> Any:
        """Smallest entry over ``axis`` (all axes when None).

        >>> Tensor([[1.0, 5.0], [3.0, 4.0]]).min(axis=1)
        Tensor([1., 3.])
        """
        return _f().min(self, axis=axis, keepdims=keepdims)

    def argmax(self, axis: Any = None, keepdims: bool = False) -> Any:
        """Index of the largest entry (a plain integer array: no gradient flows).

        >>> Tensor([[1.0, 5.0], [3.0, 4.0]]).argmax(axis=1)
        array([1, 1])
        """
        return np.argmax(self._data, axis=axis, keepdims=keepdims)

    def argmin(self, axis: Any = None, keepdims: bool = False) -> Any:
        """Index of the smallest entry (a plain integer array: no gradient flows).

        >>> Tensor([[1.0, 5.0], [3.0, 4.0]]).argmin(axis=1)
        array([0, 0])
        """
        return np.argmin(self._data, axis=axis, keepdims=keepdims)

    def var(self, axis: Any = None, ddof: float = 0, keepdims: bool = False, *,
            correction: float | None = None) -> Any:
        """Variance; ``ddof`` (numpy) or ``correction`` (PyTorch) is subtracted from n.

        >>> Tensor([1.0, 2.0, 3.0, 4.0]).var()
        Tensor(1.25)
        """
        return _f().var(self, axis=axis, ddof=ddof, keepdims=keepdims, correction=correction)

    def std(self, axis: Any = None, ddof: float = 0, keepdims: bool = False, *,
            correction: float | None = None) -> Any:
        """Standard deviation (the square root of ``var``, same arguments).

        >>> Tensor([1.0, 3.0]).std()
        Tensor(1.)
        """
        return _f().std(self, axis=axis, ddof=ddof, keepdims=keepdims, correction=correction)

    def prod(self, axis: Any = None, keepdims: bool = False) -> Any:
        """Product over ``axis`` (all axes when None).

        >>> Tensor([[1.0, 2.0], [3.0, 4.0]]).prod(axis=0)
        Tensor([3., 8.])
        """
        return _f().prod(self, axis=axis, keepdims=keepdims)

    def cumsum(self, axis: Any = None) -> Any:
        """Running sum along ``axis`` (flattened when None).

        >>> Tensor([1.0, 2.0, 3.0]).cumsum()
        Tensor([1., 3., 6.])
        """
        return _f().cumsum(self, axis=axis)
