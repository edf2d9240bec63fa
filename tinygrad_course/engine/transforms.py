"""Functional autograd for learners who think in functions: ``grad`` and ``value_and_grad``."""

from __future__ import annotations

import threading
from collections.abc import Callable, Sequence
from typing import Any

import numpy as np

from .backward import gradients
from .mode import enable_grad
from .ops import movement as M
from .record import apply
from .tensor import Tensor

__all__ = ["grad", "value_and_grad"]


def _argnums(argnums: int | Sequence[int], n: int) -> tuple[int, ...]:
    nums = (argnums,) if isinstance(argnums, int) else tuple(argnums)
    for k in nums:
        if not -n <= k < n:
            raise ValueError(f"argnums {k} is out of range for a function called with {n} "
                             "arguments")
    return tuple(k % n for k in nums)


class _Nesting(threading.local):
    """How many ``grad`` calls are running ``f`` in this thread (the nesting level)."""

    level = 0


_nesting = _Nesting()


def _target(x: Any) -> tuple[Tensor, bool]:
    """A fresh tensor to differentiate with respect to, and whether ``x`` is in a graph.

    Each call gets its own target, as JAX and HIPS autograd give each trace its own box: an
    outer tensor passed in is wrapped in a recorded identity, so the gradient flows back to
    it, yet this call's derivative sees only this call's variable (no perturbation
    confusion when ``x`` is also used through a closure).
    """
    if isinstance(x, Tensor) and x.requires_grad:
        return apply(M.RESHAPE, (x,), {"shape": x.shape}), True
    data = x.data if isinstance(x, Tensor) else x
    return Tensor(data, requires_grad=True), False


def value_and_grad(f: Callable[..., Any], argnums: int | Sequence[int] = 0
                   ) -> Callable[..., tuple[Any, Any]]:
    """Return a function computing ``(f(*args), df/dargs[argnums])``.

    ``f`` must return a scalar. Gradients come back as numpy arrays (Tensors when nested in
    another ``grad``, so higher derivatives work).

    >>> import numpy as np
    >>> v, g = value_and_grad(lambda w: (w * w).sum())(np.array([1.0, 2.0]))
    >>> float(v.item()), g.tolist()
    (5.0, [2.0, 4.0])
    """
    def wrapped(*args: Any) -> tuple[Any, Any]:
        nums = _argnums(argnums, len(args))
        call = list(args)
        # Nested when called inside another grad's function (its closures may hold that grad's
        # tensors) or on tensors of a graph: the gradient must then stay differentiable.
        nested = _nesting.level > 0
        for k in nums:
            call[k], in_graph = _target(args[k])
            nested = nested or in_graph
        targets = [call[k] for k in nums]
        with enable_grad():
            _nesting.level += 1
            try:
                out = f(*call)
            finally:
                _nesting.level -= 1
            if not isinstance(out, Tensor):
                raise TypeError(f"grad: the function returned {type(out).__name__}; it must "
                                "return a scalar Tensor computed from its arguments")
            if out.size != 1:
                raise ValueError(f"grad: the function must return a scalar, got shape "
                                 f"{out.shape}; reduce it with .sum() or .mean()")
            found = (gradients(out, targets, create_graph=nested) if out.requires_grad
                     else [None] * len(targets))
        # No dependence: zeros (a constant Tensor when nested, so the outer grad can use it).
        grads = [(Tensor(np.zeros_like(t.data)) if nested else np.zeros_like(t.data))
                 if g is None else g for t, g in zip(targets, found)]
        value = out if nested else out.data
        return value, (grads[0] if isinstance(argnums, int) else tuple(grads))

    return wrapped


def grad(f: Callable[..., Any], argnums: int | Sequence[int] = 0) -> Callable[..., Any]:
    """Return a function computing the gradient of scalar ``f`` with respect to ``argnums``.

    >>> from tinygrad_course import grad
    >>> d_tanh = grad(lambda x: x.tanh())
    >>> round(float(d_tanh(0.5)), 6)  # 1 - tanh(0.5)**2
    0.786448
    >>> round(float(grad(d_tanh)(0.5).item()), 6)  # second derivative: -2 tanh (1 - tanh**2)
    -0.726862
    """
    vg = value_and_grad(f, argnums)

    def wrapped(*args: Any) -> Any:
        return vg(*args)[1]

    return wrapped
