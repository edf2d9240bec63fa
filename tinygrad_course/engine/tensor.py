"""The Tensor: a numpy array that remembers the op and the parents that made it."""

from __future__ import annotations

from typing import Any

import numpy as np

from ..errors import ShapeError
from .dtypes import to_array
from .mode import counts
from .ops import elementwise as E
from .ops import linalg as L
from .ops import movement as M
from .ops import reduce as R
from .ops.registry import Op
from .shapes import normalize_axes, normalize_index

__all__ = ["Tensor"]

_new = object.__new__


class Tensor:
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

    # Lean on purpose: small nets are bound by the cost of making these objects.
    __slots__ = ("data", "grad", "requires_grad", "_node", "_meta", "__weakref__")
    __array_ufunc__ = None  # ndarray (op) Tensor defers to our reflected operators
    __hash__ = object.__hash__  # == is elementwise, yet tensors stay usable as dict keys

    data: np.ndarray
    grad: Any
    requires_grad: bool
    _node: tuple[Op, tuple[Any, ...], tuple[Any, ...], dict[str, Any] | None, int] | None
    _meta: dict[str, Any] | None

    def __init__(self, data: Any, requires_grad: bool = False, name: str | None = None,
                 dtype: Any = None) -> None:
        if isinstance(data, Tensor):
            data = data.data
        self.data = to_array(data, dtype, copy=bool(requires_grad))
        self.grad = None
        self.requires_grad = bool(requires_grad)
        self._node = None
        self._meta = None if name is None else {"name": str(name)}

    # --- what a tensor is ------------------------------------------------------------------
    @property
    def name(self) -> str | None:
        """A label for pictures and error messages (``W[1]``, ``Z[2]``); optional."""
        return None if self._meta is None else self._meta.get("name")

    @name.setter
    def name(self, value: str | None) -> None:
        if self._meta is None:
            self._meta = {}
        self._meta["name"] = None if value is None else str(value)

    @property
    def op(self) -> Op | None:
        """The primitive that produced this tensor (``None`` for a leaf)."""
        return None if self._node is None else self._node[0]

    @property
    def inputs(self) -> tuple[Any, ...]:
        """Everything the op consumed, constants included, in argument order."""
        return () if self._node is None else self._node[1]

    @property
    def parents(self) -> tuple[Tensor, ...]:
        """The tensors this one was computed from (its parents in the graph)."""
        return tuple(x for x in self.inputs if isinstance(x, Tensor))

    @property
    def op_args(self) -> dict[str, Any]:
        """The op's static arguments (``axis``, ``shape``, ...)."""
        return {} if self._node is None or self._node[3] is None else dict(self._node[3])

    @property
    def is_leaf(self) -> bool:
        return self._node is None

    shape = property(lambda self: self.data.shape, doc="Shape, as numpy's.")
    ndim = property(lambda self: self.data.ndim, doc="Number of dimensions.")
    size = property(lambda self: self.data.size, doc="Number of elements.")
    dtype = property(lambda self: self.data.dtype, doc="float32 or float64.")
    T = property(lambda self: self.transpose(), doc="Transpose (reverses the axes).")

    def item(self) -> float:
        """The value of a one-element tensor as a Python float."""
        if counts.tracing is not None:
            counts.tracing(self, "item()")
        if self.data.size != 1:
            raise ValueError(f"item() needs a tensor with one element, this one has shape "
                             f"{self.shape}")
        return float(self.data.reshape(()))

    def numpy(self) -> np.ndarray:
        """The underlying array (shared, not copied)."""
        if counts.tracing is not None:
            counts.tracing(self, "numpy()")
        return self.data

    def __array__(self, dtype: Any = None, copy: bool | None = None) -> np.ndarray:
        if counts.tracing is not None:
            counts.tracing(self, "np.asarray(tensor)")
        if copy:
            return np.array(self.data, dtype=dtype)
        return self.data if dtype is None else self.data.astype(dtype, copy=False)

    def __len__(self) -> int:
        return len(self.data)

    def __bool__(self) -> bool:
        if counts.tracing is not None:
            counts.tracing(self, "bool(tensor)")
        return bool(self.data)

    def __repr__(self) -> str:
        parts = [_fmt(self.data)]
        if self.ndim > 1 or self.size > 6:
            parts.append(f"shape={self.shape}")
        if self.dtype != np.float64:
            parts.append(f"dtype={self.dtype}")
        if self.name:
            parts.append(f"name={self.name!r}")
        if self._node is not None:
            parts.append(f"op={self._node[0].name}")
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
    def __neg__(self) -> Tensor: return _unary(E.NEG, self)
    def __pos__(self) -> Tensor: return self

    # Comparisons are not differentiable: they return plain boolean arrays.
    def __lt__(self, other: Any) -> Any: return _read(self, '<') < _raw(other)
    def __le__(self, other: Any) -> Any: return _read(self, '<=') <= _raw(other)
    def __gt__(self, other: Any) -> Any: return _read(self, '>') > _raw(other)
    def __ge__(self, other: Any) -> Any: return _read(self, '>=') >= _raw(other)
    def __eq__(self, other: Any) -> Any: return _read(self, '==') == _raw(other)
    def __ne__(self, other: Any) -> Any: return _read(self, '!=') != _raw(other)

    # --- elementwise functions -------------------------------------------------------------
    def exp(self) -> Tensor: return _unary(E.EXP, self)
    def log(self) -> Tensor: return _unary(E.LOG, self)
    def sqrt(self) -> Tensor: return _unary(E.SQRT, self)
    def abs(self) -> Tensor: return _unary(E.ABS, self)
    def sigmoid(self) -> Tensor: return _unary(E.SIGMOID, self)
    def tanh(self) -> Tensor: return _unary(E.TANH, self)
    def relu(self) -> Tensor: return _unary(E.RELU, self)

    def leaky_relu(self, slope: float = 0.01) -> Tensor:
        return _unary(E.LEAKY_RELU, self, {"slope": float(slope)})

    def clip(self, lo: float | None, hi: float | None) -> Tensor:
        """Limit values to ``[lo, hi]``; the gradient is zero where a value was clipped."""
        lo_ = -np.inf if lo is None else float(lo)
        hi_ = np.inf if hi is None else float(hi)
        if lo_ > hi_:
            raise ValueError(f"clip: lo ({lo}) is greater than hi ({hi})")
        return _unary(E.CLIP, self, {"lo": lo_, "hi": hi_})

    # --- reductions ------------------------------------------------------------------------
    def sum(self, axis: Any = None, keepdims: bool = False) -> Tensor:
        return _unary(R.SUM, self, {"axis": normalize_axes(axis, self.ndim, "sum"),
                                    "keepdims": bool(keepdims)})

    def mean(self, axis: Any = None, keepdims: bool = False) -> Tensor:
        return _unary(R.MEAN, self, {"axis": normalize_axes(axis, self.ndim, "mean"),
                                     "keepdims": bool(keepdims)})

    def max(self, axis: Any = None, keepdims: bool = False) -> Tensor:
        if self.size == 0:
            raise ValueError("max of an empty tensor has no value")
        return _unary(R.MAX, self, {"axis": normalize_axes(axis, self.ndim, "max"),
                                    "keepdims": bool(keepdims)})

    # --- shape -----------------------------------------------------------------------------
    def reshape(self, *shape: Any) -> Tensor:
        new = tuple(shape[0]) if len(shape) == 1 and isinstance(shape[0], (tuple, list)) \
            else shape
        return apply(M.RESHAPE, (self,), {"shape": tuple(int(n) for n in new)})

    def transpose(self, *axes: Any) -> Tensor:
        if len(axes) == 1 and isinstance(axes[0], (tuple, list)):
            axes = tuple(axes[0])
        perm = tuple(reversed(range(self.ndim))) if not axes else tuple(int(a) for a in axes)
        if sorted(a % max(self.ndim, 1) for a in perm) != list(range(self.ndim)):
            raise ShapeError(f"transpose: {perm} is not a permutation of the {self.ndim} axes "
                             f"of a tensor of shape {self.shape}")
        return _unary(M.TRANSPOSE, self, {"axes": tuple(a % self.ndim for a in perm)})

    def __getitem__(self, index: Any) -> Tensor:
        return _unary(M.GETITEM, self, {"index": normalize_index(index, self.shape)})

    # --- autograd --------------------------------------------------------------------------
    def backward(self, gradient: Any = None, create_graph: bool = False) -> None:
        """Backpropagate from this tensor: fill ``.grad`` of every tensor it depends on."""
        from .backward import backward
        backward(self, gradient, create_graph)

    def zero_grad(self) -> None:
        """Forget this tensor's gradient (``.grad = None``)."""
        self.grad = None

    def detach(self) -> Tensor:
        """The same values (shared memory) cut from the graph: no gradient flows through."""
        t = _new(Tensor)
        t.data, t.grad, t.requires_grad, t._node, t._meta = self.data, None, False, None, None
        return t


def _raw(x: Any) -> Any:
    return x.data if isinstance(x, Tensor) else x


def _read(t: Tensor, what: str) -> np.ndarray:
    """``t.data`` for a comparison; while tc.compile traces, a value read is refused."""
    if counts.tracing is not None:
        counts.tracing(t, f"a comparison ({what})")
    return t.data


def _fmt(a: np.ndarray) -> str:
    text = np.array2string(a, precision=4, threshold=6, edgeitems=2, separator=", ")
    return " ".join(text.split())


# The recording functions need the class above, so they are imported last (see record.py).
from .record import _binary, _unary, apply  # noqa: E402
