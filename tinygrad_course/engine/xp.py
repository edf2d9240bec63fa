"""The two array namespaces a derivative rule runs in: ``NUMPY`` (first order) and ``TENSOR``.

A rule ``vjp(xp, g, out, *args)`` is written once, with Python operators and the functions
below. Ordinary backward passes ``NUMPY`` and plain arrays; ``backward(create_graph=True)``
passes ``TENSOR`` and Tensors, so the rule records a graph of its own and the gradient can be
differentiated again. One rule, both orders.

The contract (checked by tests/engine/test_xp.py): both namespaces offer exactly the names in
``NAMES``, and each function means the same on both - it returns the same numbers, as an array
under ``NUMPY`` and as a Tensor (recorded) under ``TENSOR``:

- ``const(x)``: the values of ``x`` as a constant array (cut from the graph), for masks.
- ``exp(x)``, ``log(x)``: elementwise.
- ``reshape(x, shape)``, ``transpose(x, axes)``, ``getitem(x, index)``: as numpy's.
- ``broadcast_to(x, shape)`` and its adjoint ``unbroadcast(x, shape)`` (sum back to shape).
- ``scatter(x, index, shape)``: zeros of ``shape`` with ``x`` added at ``index`` (the adjoint
  of ``getitem``; repeated indices add up).
- ``matmul(a, b)``: numpy's ``@``.
- ``hand_over(da, dz, rule)`` and ``handed(g)``: a rule may hand the next rule back a
  gradient it computed better (the cross-entropy gives the sigmoid's rule the course's exact
  ``dZ = (A - Y)/m``, where ``dA·σ'(Z)`` vanishes at saturated outputs). ``dz`` is a function
  of no arguments, ``rule`` its text (for generated code). Under ``NUMPY`` ``hand_over``
  returns ``da`` carrying ``dz()`` and ``handed`` gives it back (None for any other gradient,
  e.g. a sum of several); under ``TENSOR`` nothing is handed over: gradients of gradients
  take the plain chain rule.

The Tensor side records ops, so this module sits above recording (record.py) and below
backward.py, the only module that chooses between the two.
"""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any

import numpy as np

from .ops import elementwise as E
from .ops import linalg as L
from .ops import movement as M
from .ops.loss import ThroughSigmoid
from .ops.registry import _scatter, unbroadcast
from .record import TensorBase, _binary, _unary, apply, raw

__all__ = ["NUMPY", "TENSOR", "NAMES"]

NAMES = frozenset({"const", "exp", "log", "reshape", "transpose", "broadcast_to", "unbroadcast",
                   "scatter", "getitem", "matmul", "hand_over", "handed"})


def _const(x: Any) -> Any:
    return x


def _hand_over(da: Any, dz: Any, rule: str) -> Any:
    through = np.asarray(da).view(ThroughSigmoid)
    through.dz = dz()
    return through


def _handed(g: Any) -> Any:
    return g.dz if type(g) is ThroughSigmoid else None


NUMPY = SimpleNamespace(
    const=_const,
    exp=np.exp,
    log=np.log,
    # Methods rather than np.reshape/np.transpose: those are Python wrappers, and this is the
    # hot path of every backward.
    reshape=lambda x, shape: x.reshape(shape),
    transpose=lambda x, axes: x.transpose(axes),
    broadcast_to=np.broadcast_to,
    unbroadcast=unbroadcast,
    scatter=_scatter,
    getitem=lambda x, index: x[index],
    matmul=np.matmul,
    hand_over=_hand_over,
    handed=_handed,
)


def _is_tensor(x: Any) -> bool:
    return isinstance(x, TensorBase)


TENSOR = SimpleNamespace(
    const=raw,
    exp=lambda x: _unary(E.EXP, x) if _is_tensor(x) else np.exp(x),
    log=lambda x: _unary(E.LOG, x) if _is_tensor(x) else np.log(x),
    reshape=lambda x, shape: apply(M.RESHAPE, (x,), {"shape": tuple(shape)}),
    transpose=lambda x, axes: apply(M.TRANSPOSE, (x,), {"axes": tuple(axes)}),
    broadcast_to=lambda x, shape: apply(M.BROADCAST_TO, (x,), {"shape": tuple(shape)}),
    unbroadcast=lambda x, shape: (x if tuple(x.shape) == tuple(shape)
                                  else apply(M.SUM_TO, (x,), {"shape": tuple(shape)})),
    scatter=lambda x, index, shape: apply(M.SCATTER, (x,), {"index": index,
                                                           "shape": tuple(shape)}),
    getitem=lambda x, index: apply(M.GETITEM, (x,), {"index": index}),
    matmul=lambda a, b: _binary(L.MATMUL, a, b),
    hand_over=lambda da, dz, rule: da,
    handed=lambda g: None,
)
