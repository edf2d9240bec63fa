"""The Tensor: a numpy array that remembers the op and the parents that made it."""

from __future__ import annotations

from typing import Any

import numpy as np

from ..errors import ShapeError
from .backward import backward as _backward
from .dtypes import is_boolean, to_array
from .meta import get_meta, set_meta
from .mode import counts, is_grad_enabled
from .ops import elementwise as E
from .ops import linalg as L
from .ops import movement as M
from .ops.registry import Op
from .record import TensorBase, _binary, _unary, apply, make, raw
from .shapes import normalize_index
from .tensor_functions import TensorFunctions
from .tensor_math import TensorMath
from .tensor_methods import TensorMethods
from .versions import mark_modified

__all__ = ["Tensor", "as_tensor"]


class Tensor(TensorBase, TensorMath, TensorFunctions, TensorMethods):
    """An n-dimensional array that records the operations made from it.

    >>> a = Tensor(2.0, requires_grad=True, name="a")
    >>> b = Tensor(1.0, requires_grad=True, name="b")
    >>> e = (a + b) * (b + 1)
    >>> e.backward()
    >>> e.item(), a.grad.item(), b.grad.item()
    (6.0, 2.0, 5.0)

    ``data`` is copied when ``requires_grad=True``, so optimizers updating a parameter in place
    never touch the caller's array; data for which no gradient is wanted (``X``, ``Y``) shares
    the caller's numpy array when it already has a float32/float64 dtype, as ``np.asarray``.
    """

    __slots__ = ()  # the engine's fields live in TensorBase (record.py)
    __hash__ = object.__hash__  # == is elementwise, yet tensors stay usable as dict keys

    def __init__(self, data: Any, requires_grad: bool = False, name: str | None = None,
                 dtype: Any = None) -> None:
        mask = False
        if isinstance(data, Tensor):
            mask = bool(get_meta(data, "mask"))
            data = data._data if requires_grad else data.data  # shared: handed out
        elif isinstance(data, (list, tuple)):
            data = _values_of(data)
            mask = is_boolean(data)
        elif isinstance(data, (np.ndarray, bool, np.bool_)):
            mask = np.asarray(data).dtype == np.bool_
        self._data = to_array(data, dtype, copy=bool(requires_grad))
        # These two strings are for the API reference (which reads the source); help() shows
        # the same text from TensorBase's slots, and a test keeps the two equal.
        self.grad = None
        """The gradient of what ``backward()`` was called on, same shape (None before).

        >>> w = Tensor([1.0, 2.0], requires_grad=True)
        >>> (w * w).sum().backward()
        >>> w.grad
        array([2., 4.])
        """
        self.requires_grad = bool(requires_grad)
        """Whether operations on this tensor are recorded for ``backward()``.

        >>> Tensor(1.0).requires_grad, Tensor(1.0, requires_grad=True).requires_grad
        (False, True)
        """
        self._op = None
        self._meta = None
        if name is not None:
            set_meta(self, "name", str(name))
        if mask:  # Tensors hold floats; remember it was a mask so t[mask_tensor] selects
            set_meta(self, "mask", True)

    # --- what a tensor is ------------------------------------------------------------------
    @property
    def name(self) -> str | None:
        """A label for pictures and error messages (``W[1]``, ``Z[2]``); optional.

        >>> Tensor(np.zeros((3, 2)), name="W[1]").name
        'W[1]'
        """
        return get_meta(self, "name")

    @name.setter
    def name(self, value: str | None) -> None:
        set_meta(self, "name", None if value is None else str(value))

    def item(self) -> float:
        """The value of a one-element tensor as a Python float.

        >>> Tensor([[0.5]]).item()
        0.5
        """
        if counts.tracing is not None:
            counts.tracing(self, "item()")
        if self._data.size != 1:
            raise ValueError(f"item() needs a tensor with one element, this one has shape "
                             f"{self.shape}")
        return float(self._data.reshape(()))

    def numpy(self) -> np.ndarray:
        """The underlying array (shared, not copied).

        >>> Tensor([1.0, 2.0]).numpy()
        array([1., 2.])
        """
        if counts.tracing is not None:
            counts.tracing(self, "numpy()")
        return self.data

    def __array__(self, dtype: Any = None, copy: bool | None = None) -> np.ndarray:
        if counts.tracing is not None:
            counts.tracing(self, "np.asarray(tensor)")
        if copy:
            return np.array(self._data, dtype=dtype)
        # Shared, as .data (and watched the same way)
        return self.data if dtype is None else self.data.astype(dtype, copy=False)

    def __len__(self) -> int:
        return len(self._data)

    def __bool__(self) -> bool:
        if counts.tracing is not None:
            counts.tracing(self, "bool(tensor)")
        return bool(self._data)

    def __repr__(self) -> str:
        parts = [_fmt(self._data)]
        if self.ndim > 1 or self.size > 6:
            parts.append(f"shape={self.shape}")
        if self.dtype != np.float64:
            parts.append(f"dtype={self.dtype}")
        if self.name:
            parts.append(f"name={self.name!r}")
        if self._op is not None:
            parts.append(f"op={self._op.name}")
        elif self.requires_grad:
            parts.append("requires_grad=True")
        if self.grad is not None:
            parts.append(f"grad={_fmt(np.asarray(self.grad))}")
        return f"Tensor({', '.join(parts)})"

    # --- arithmetic (numpy broadcasting; a Tensor or a number on either side) ---------------
    def __add__(self, other: Any) -> Tensor: return _binary(E.ADD, self, other)
    def __radd__(self, other: Any) -> Tensor: return _binary(E.ADD, other, self)
    def __sub__(self, other: Any) -> Tensor: return _binary(E.SUB, self, other)
    def __rsub__(self, other: Any) -> Tensor: return _binary(E.SUB, other, self)
    def __mul__(self, other: Any) -> Tensor: return _binary(E.MUL, self, other)
    def __rmul__(self, other: Any) -> Tensor: return _binary(E.MUL, other, self)
    def __truediv__(self, other: Any) -> Tensor: return _binary(E.DIV, self, other)
    def __rtruediv__(self, other: Any) -> Tensor: return _binary(E.DIV, other, self)
    def __pow__(self, other: Any) -> Tensor: return _binary(E.POW, self, other)
    def __rpow__(self, other: Any) -> Tensor: return _binary(E.POW, other, self)
    def __matmul__(self, other: Any) -> Tensor: return _binary(L.MATMUL, self, other)
    def __rmatmul__(self, other: Any) -> Tensor: return _binary(L.MATMUL, other, self)
    # In place: a leaf that requires grad changes only under no_grad() (how optimizers update);
    # elsewhere x op= y makes a new tensor, as Python does for immutable values.
    def __iadd__(self, other: Any) -> Tensor: return self._inplace(E.ADD, other)
    def __isub__(self, other: Any) -> Tensor: return self._inplace(E.SUB, other)
    def __imul__(self, other: Any) -> Tensor: return self._inplace(E.MUL, other)
    def __itruediv__(self, other: Any) -> Tensor: return self._inplace(E.DIV, other)

    def _inplace(self, op: Op, other: Any) -> Tensor:
        if not (self.requires_grad and self._op is None):
            return _binary(op, self, other)  # data may be the caller's array: never written
        if is_grad_enabled():
            raise RuntimeError(
                f"in-place {op.symbol}= on a leaf that requires grad would silently make it "
                "a new tensor computed from itself (no longer a parameter). Update parameters "
                "under no_grad():  with no_grad(): w -= learning_rate * w.grad")
        new = op.forward(self._data, raw(other))
        if np.shape(new) != self._data.shape:
            raise ShapeError(f"in-place {op.symbol}= would change the shape {self._data.shape} "
                             f"to {np.shape(new)}")
        self._data[...] = new  # the leaf's own copy (requires_grad copies the caller's data)
        mark_modified(self)
        return self

    def __neg__(self) -> Tensor: return _unary(E.NEG, self)
    def __pos__(self) -> Tensor: return self

    # Comparisons are not differentiable: they return plain boolean arrays.
    def __lt__(self, other: Any) -> Any: return _read(self, '<') < raw(other)
    def __le__(self, other: Any) -> Any: return _read(self, '<=') <= raw(other)
    def __gt__(self, other: Any) -> Any: return _read(self, '>') > raw(other)
    def __ge__(self, other: Any) -> Any: return _read(self, '>=') >= raw(other)
    def __eq__(self, other: Any) -> Any: return _read(self, '==') == raw(other)
    def __ne__(self, other: Any) -> Any: return _read(self, '!=') != raw(other)

    # --- shape -----------------------------------------------------------------------------
    def reshape(self, *shape: Any) -> Tensor:
        """The same entries in a new shape (one size may be -1), as numpy's.

        >>> Tensor(np.arange(6.0)).reshape(2, 3).shape
        (2, 3)
        """
        new = tuple(shape[0]) if len(shape) == 1 and isinstance(shape[0], (tuple, list)) \
            else shape
        for n in new:
            if isinstance(n, bool) or not isinstance(n, (int, np.integer)):
                raise TypeError(f"reshape: sizes must be whole numbers (ints), got {n!r} in "
                                f"{tuple(new)}")
        return apply(M.RESHAPE, (self,), {"shape": tuple(int(n) for n in new)})

    def transpose(self, *axes: Any) -> Tensor:
        """Reverse the axes; or permute them as numpy (``t.transpose(2, 0, 1)``, one axis per
        dimension); or, given two axes of a tensor with more or fewer than two dimensions, or
        ``(0, 1)``, swap those two as PyTorch (``t.transpose(0, 1)`` of a matrix is ``t.T``).

        >>> Tensor(np.zeros((2, 3))).transpose().shape
        (3, 2)
        """
        if len(axes) == 1 and isinstance(axes[0], (tuple, list)):
            axes = tuple(axes[0])
        elif len(axes) == 2 and (self.ndim != 2 or tuple(axes) == (0, 1)):
            return self.swapaxes(int(axes[0]), int(axes[1]))
        perm = tuple(reversed(range(self.ndim))) if not axes else tuple(int(a) for a in axes)
        if sorted(a % max(self.ndim, 1) for a in perm) != list(range(self.ndim)):
            raise ShapeError(f"transpose: {perm} is not a permutation of the {self.ndim} axes "
                             f"of a tensor of shape {self.shape}")
        return _unary(M.TRANSPOSE, self, {"axes": tuple(a % self.ndim for a in perm)})

    def __getitem__(self, index: Any) -> Tensor:
        return _unary(M.GETITEM, self, {"index": normalize_index(index, self.shape)})

    # --- autograd --------------------------------------------------------------------------
    def backward(self, gradient: Any = None, create_graph: bool = False) -> None:
        """Backpropagate from this tensor: fill ``.grad`` of every tensor it depends on.

        >>> w = Tensor(3.0, requires_grad=True)
        >>> (w * w).backward()
        >>> w.grad
        array(6.)
        """
        _backward(self, gradient, create_graph)

    def zero_grad(self) -> None:
        """Forget this tensor's gradient (``.grad = None``).

        >>> w = Tensor(3.0, requires_grad=True)
        >>> (2 * w).backward()
        >>> w.zero_grad()
        >>> w.grad is None
        True
        """
        self.grad = None

    def detach(self) -> Tensor:
        """The same values (shared memory) cut from the graph: no gradient flows through.

        >>> w = Tensor(3.0, requires_grad=True)
        >>> w.detach().requires_grad
        False
        """
        return make(Tensor, self.data)  # shared memory: handed out, as .data


def _values_of(items: list[Any] | tuple[Any, ...]) -> Any:
    """A list that holds Tensors: their values, or a clear error when that would silently cut
    them from the graph."""
    if not any(isinstance(x, Tensor) for x in items):
        return items
    if any(isinstance(x, Tensor) and x.requires_grad for x in items):
        raise TypeError("Tensor([...]) got Tensors that require grad inside a list; a new Tensor "
                        "would cut them from the graph. Use stack([...]) to join them (it keeps "
                        "the graph), or .detach() them first")
    return [x._data if isinstance(x, Tensor) else x for x in items]


def as_tensor(x: Any) -> Tensor:
    """``x`` itself if it is a Tensor, else a new constant Tensor (no gradient) made from it."""
    return x if isinstance(x, Tensor) else Tensor(x)


def _read(t: Tensor, what: str) -> np.ndarray:
    """``t.data`` for a comparison; while tc.compile traces, a value read is refused."""
    if counts.tracing is not None:
        counts.tracing(t, f"a comparison ({what})")
    return t._data


def _fmt(a: np.ndarray) -> str:
    text = np.array2string(a, precision=4, threshold=6, edgeitems=2, separator=", ")
    return " ".join(text.split())

