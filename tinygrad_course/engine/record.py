"""Recording: what a Tensor is to the engine (data, grad, node) and the functions every op runs.

Every op goes through ``_unary``, ``_binary`` or ``apply``. They are the hot path of the whole
library (small nets are bound by per-op overhead), hence the inlined object construction and
the cheap ``type(x) is ...`` tests before ``isinstance``. The result of an op has the class of
its first Tensor input, so this module never needs the user-facing ``Tensor`` class (defined
above it, in tensor.py): the imports point one way.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from ..errors import ShapeError, broadcast_error, matmul_error
from . import anomaly
from .dtypes import SUPPORTED_DTYPES, check_operand
from .mode import counts, state
from .ops import linalg as L
from .ops.registry import Op
from .shapes import warn_rank_one, warn_rank_one_matmul
from .versions import handed_out, mark_modified, next_seq

__all__ = ["TensorBase", "apply", "raw", "make"]

_new = object.__new__
_FLOATS = frozenset(SUPPORTED_DTYPES)
_MATMUL = L.MATMUL

_GRAD_DOC = """The gradient of what ``backward()`` was called on, same shape (None before).

>>> w = Tensor([1.0, 2.0], requires_grad=True)
>>> (w * w).sum().backward()
>>> w.grad
array([2., 4.])
"""
_REQUIRES_GRAD_DOC = """Whether operations on this tensor are recorded for ``backward()``.

>>> Tensor(1.0).requires_grad, Tensor(1.0, requires_grad=True).requires_grad
(False, True)
"""


class TensorBase:
    """The engine's view of a Tensor: its array, its gradient, and how it was made.

    A recorded tensor is its own graph node, with named fields: ``_op`` applied to
    ``_inputs`` (Tensors and constants, in argument order) whose arrays were ``_values``,
    with static ``_kwargs``; ``_seq`` is its creation number (inputs are always created before
    their outputs). A leaf has ``_op = None`` and leaves the other four unset. (A separate
    node object cost 0.1-0.3 µs more per op: measured, see docs/engine.md.)

    ``_meta`` holds optional labels (name, layer call, creation site); only meta.py's
    ``get_meta`` / ``set_meta`` touch it.

    The array lives in ``_data``, which the engine reads directly; ``data`` is the user's door
    to it, watched for changes made in place after recording (see ``data``).
    """

    # Lean on purpose: small nets are bound by the cost of making these objects.
    # A dict gives the two public fields a docstring (``help(Tensor.grad)``).
    __slots__ = {"_data": None, "grad": _GRAD_DOC, "requires_grad": _REQUIRES_GRAD_DOC,
                 "_op": None, "_inputs": None, "_values": None, "_kwargs": None, "_seq": None,
                 "_meta": None, "__weakref__": None}

    _data: np.ndarray
    grad: Any
    requires_grad: bool
    _op: Op | None
    _inputs: tuple[Any, ...]
    _values: tuple[Any, ...]
    _kwargs: dict[str, Any] | None
    _seq: int
    _meta: dict[str, Any] | None

    @property
    def data(self) -> np.ndarray:
        """The values, a numpy array (shared, not copied).

        Handing it out while a recorded graph waits for ``backward()`` lets the caller change
        values that graph saved (``x.data[0] = 5``). So, only then and only for a tensor that
        requires grad, a copy is kept and ``backward()`` compares it with the values it finds:
        a change is an error, not a wrong gradient. After ``backward()`` (the usual place for
        ``w.data -= lr * w.grad``) nothing is copied: one int compare.

        >>> Tensor([1.0, 2.0]).data
        array([1., 2.])
        """
        if self.requires_grad:
            handed_out(self)
        return self._data

    @data.setter
    def data(self, value: np.ndarray) -> None:
        # A new array (``w.data = ...``) is a change: graphs recorded before it cannot be
        # differentiated. The same array (``w.data -= ...`` ends here) was watched by the getter.
        if value is not self._data:
            mark_modified(self)
        self._data = value

    @property
    def op(self) -> Op | None:
        """The primitive that produced this tensor (``None`` for a leaf).

        >>> w = Tensor(2.0, requires_grad=True)
        >>> (w * w).op.name, w.op
        ('mul', None)
        """
        return self._op

    @property
    def inputs(self) -> tuple[Any, ...]:
        """Everything the op consumed, constants included, in argument order.

        >>> w = Tensor(2.0, requires_grad=True)
        >>> len((w * 3.0).inputs)
        2
        """
        return () if self._op is None else self._inputs

    @property
    def parents(self) -> tuple[Any, ...]:
        """The tensors this one was computed from (its parents in the graph).

        >>> w = Tensor(2.0, requires_grad=True)
        >>> (w * 3.0).parents == (w,)
        True
        """
        return tuple(x for x in self.inputs if isinstance(x, TensorBase))

    @property
    def op_args(self) -> dict[str, Any]:
        """The op's static arguments (``axis``, ``shape``, ...).

        >>> w = Tensor([[1.0, 2.0]], requires_grad=True)
        >>> w.sum(axis=1).op_args
        {'axis': (1,), 'keepdims': False}
        """
        return {} if self._op is None or self._kwargs is None else dict(self._kwargs)

    @property
    def is_leaf(self) -> bool:
        """True for a tensor no recorded op produced (parameters, data, constants).

        >>> w = Tensor(2.0, requires_grad=True)
        >>> w.is_leaf, (w * w).is_leaf
        (True, False)
        """
        return self._op is None


def raw(x: Any) -> Any:
    """The array inside a Tensor; anything else as it is."""
    return x._data if isinstance(x, TensorBase) else x


def make(cls: type, data: np.ndarray, requires_grad: bool = False) -> Any:
    """A new leaf of class ``cls`` around ``data`` (no copy, no checks: engine use only)."""
    t: Any = _new(cls)
    t._data, t.grad, t.requires_grad, t._op, t._meta = data, None, requires_grad, None, None
    return t


def _unary(op: Op, a: Any, kw: dict[str, Any] | None = None) -> Any:
    ad = a._data
    out = op.forward(ad, **kw) if kw else op.forward(ad)
    if type(out) is not np.ndarray:
        out = np.asarray(out)  # numpy returns scalars from 0-d operations
    t: Any = _new(a.__class__)
    t._data, t.grad, t.requires_grad, t._op, t._meta = out, None, False, None, None
    if a.requires_grad and (not counts.no_grad or state.grad_enabled):
        t.requires_grad = True
        t._op, t._inputs, t._values, t._kwargs, t._seq = op, (a,), (ad,), kw, next_seq()
    if counts.anomaly and state.anomaly:
        anomaly.check_forward(t, op, (a,))
    return t


def _binary(op: Op, a: Any, b: Any) -> Any:
    # Constants are not checked before the op: numpy rejects what it cannot use, and a result
    # that is not float32/float64 betrays the rest (complex, object, strings), so the checks
    # cost one dtype test on the hot path and run in full only to explain an error.
    if isinstance(a, TensorBase):
        ad, need, cls = a._data, a.requires_grad, a.__class__
    else:
        ad, need, cls = a, False, None
    if isinstance(b, TensorBase):
        bd = b._data
        need = need or b.requires_grad
        if cls is None:
            cls = b.__class__
    else:
        bd = b
    try:
        out = op.forward(ad, bd)
    except (ValueError, TypeError):
        raise _binary_error(op, a, b) from None
    if type(out) is not np.ndarray:
        out = np.asarray(out)
    if out.dtype not in _FLOATS:
        raise _binary_error(op, a, b)
    if out.ndim > 1 and op.elementwise and (
            (type(ad) is np.ndarray and ad.ndim == 1) or (type(bd) is np.ndarray and bd.ndim == 1)):
        warn_rank_one(np.shape(ad), np.shape(bd), out.shape)
    elif op is _MATMUL and (  # the lecture's np.dot(a, a.T) with a rank-1 a; 2-D pays 2 compares
            (ad.ndim if type(ad) is np.ndarray else np.ndim(ad)) == 1
            or (bd.ndim if type(bd) is np.ndarray else np.ndim(bd)) == 1):
        warn_rank_one_matmul(np.shape(ad), np.shape(bd), out.shape)
    t: Any = _new(cls)  # type: ignore[arg-type]  # cls is set: a Tensor method called us
    t._data, t.grad, t.requires_grad, t._op, t._meta = out, None, False, None, None
    if need and (not counts.no_grad or state.grad_enabled):
        t.requires_grad = True
        t._op, t._inputs, t._values, t._kwargs, t._seq = op, (a, b), (ad, bd), None, next_seq()
    if counts.anomaly and state.anomaly:
        anomaly.check_forward(t, op, (a, b))
    return t


def _binary_error(op: Op, a: Any, b: Any) -> Exception:
    """Why ``op(a, b)`` failed: a bad operand (TypeError) or shapes that do not fit."""
    vals = []
    for x in (a, b):
        vals.append(x._data if isinstance(x, TensorBase) else check_operand(x, op.name))
    shapes = np.shape(vals[0]), np.shape(vals[1])
    if op is L.MATMUL:
        return matmul_error(*shapes, a, b)
    if np.result_type(*vals).kind != "f":  # e.g. a matmul of two constant int arrays
        return TypeError(f"{op.name}: operands of dtypes {np.result_type(*vals)} give no "
                         "float32/float64 result")
    return broadcast_error(op.name, *shapes)


def apply(op: Op, inputs: tuple[Any, ...], kw: dict[str, Any] | None = None) -> Any:
    """Run any registered op on Tensors and constants (at least one Tensor), recording it when
    a gradient is needed. The result has the class of the first Tensor input.

    >>> from tinygrad_course import Tensor
    >>> from tinygrad_course.engine.ops import REGISTRY
    >>> apply(REGISTRY["mul"], (Tensor(3.0), 2.0)).item()
    6.0
    """
    need = False
    cls: type | None = None
    stored = []
    for x in inputs:
        if isinstance(x, TensorBase):
            need = need or x.requires_grad
            if cls is None:
                cls = x.__class__
        else:
            x = check_operand(x, op.name)
        stored.append(x)
    if cls is None:
        raise TypeError(f"{op.name}: apply needs at least one Tensor input")
    vals = tuple(raw(x) for x in stored)
    try:
        out = op.forward(*vals, **kw) if kw else op.forward(*vals)
    except ValueError as e:
        shapes = ", ".join(str(np.shape(v)) for v in vals)
        raise ShapeError(f"{op.name}: {e} (input shapes: {shapes})") from None
    if type(out) is not np.ndarray:
        out = np.asarray(out)
    t: Any = _new(cls)
    t._data, t.grad, t.requires_grad, t._op, t._meta = out, None, False, None, None
    if need and (not counts.no_grad or state.grad_enabled):
        t.requires_grad = True
        t._op, t._inputs, t._values, t._kwargs, t._seq = op, tuple(stored), vals, kw, next_seq()
    if counts.anomaly and state.anomaly:
        anomaly.check_forward(t, op, tuple(stored))
    return t
