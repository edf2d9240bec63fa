"""``tc.compile_step(fn, optimizer)``: a whole training step (forward, backward, update) as
generated code, with no graph recorded at all."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

from ..engine.meta import set_meta
from ..engine.record import make
from ..engine.tensor import Tensor
from ..engine.versions import mark_modified, settle
from ..optim import Optimizer
from .api import CACHE_SIZE, Compiled
from .trace import CompileError, tracing

__all__ = ["compile_step", "CompiledStep"]

_ALREADY = ("this cost comes from tc.compile_step, which has already run backward and the "
            "optimizer's update (the gradients are in .grad); call the step again for the next "
            "one")


def _owned(g: Any) -> Any:
    # .grad is the user's to change in place: never a view of another array (the rule
    # backward follows for leaves).
    if isinstance(g, np.ndarray) and (g.base is not None or not g.flags.writeable):
        return g.copy()
    return g if isinstance(g, np.ndarray) else np.asarray(g)


class CompiledStep:
    """A training step compiled by :func:`compile_step`: call it like ``fn``.

    Each call runs the generated forward and backward for the arguments' signature, puts this
    step's gradient in ``.grad`` of every parameter the cost depends on (replacing what was
    there, as ``zero_grad()`` then ``backward()`` would) and lets the optimizer update its
    parameters in place with the same rule as ``optimizer.step()``. Returns the cost as a
    Tensor that requires no grad. ``source(*args)`` is the generated code.
    """

    def __init__(self, fn: Callable[..., Any], optimizer: Optimizer,
                 cache_size: int = CACHE_SIZE) -> None:
        if not isinstance(optimizer, Optimizer):
            raise TypeError(f"tc.compile_step needs an Optimizer (tc.optim.SGD, Momentum, "
                            f"Adam), got {type(optimizer).__name__}")
        # An existing tc.compile function shares its traces (one per signature)
        self.compiled = fn if isinstance(fn, Compiled) else Compiled(fn, cache_size)
        self.optimizer = optimizer
        self.slot = {p: k for k, p in enumerate(optimizer.params)}
        self.__doc__ = getattr(fn, "__doc__", None)
        self.__wrapped__ = fn

    def __call__(self, *args: Any) -> Tensor:
        if tracing():
            raise CompileError("tc.compile_step: a training step cannot run inside a function "
                               "that tc.compile is tracing")
        e = self.compiled.entry(*args)
        inputs: list[Any] = [a for a in args if isinstance(a, (Tensor, np.ndarray))]
        inputs += e.captured
        arrays = [x._data if isinstance(x, Tensor) else x for x in inputs]
        J, _, saved = e.forward(*arrays)
        if J.size != 1:
            raise CompileError(f"tc.compile_step: the function must return a scalar cost; "
                               f"it returned shape {J.shape}")
        seed = e.seed
        if seed is None or seed.dtype != J.dtype or seed.shape != J.shape:
            seed = e.seed = np.ones_like(J)  # dJ/dJ = 1, made once per signature
            seed.flags.writeable = False
        grads = e.backward(seed, *saved)
        settle()  # a backward pass is over, as after J.backward()
        opt = self.optimizer
        opt.begin()
        slot = self.slot
        for k, g in zip(e.gen.grad_params, grads):
            p: Tensor = inputs[k]  # a gradient is computed for Tensors only
            p.grad = g = _owned(g)
            s = slot.get(p)
            if s is not None:
                opt.update(s, p._data, g)
                mark_modified(p)  # as optimizer.step() does: older graphs refuse backward
        cost = make(Tensor, J)  # the generated forward's own array: no checks needed
        set_meta(cost, "no_backward", _ALREADY)
        return cost

    def source(self, *args: Any) -> str:
        """The generated forward and backward for these arguments (see ``Compiled.source``)."""
        return self.compiled.source(*args)

    def __repr__(self) -> str:
        return f"<tc.compile_step of {self.compiled.label} with {self.optimizer!r}>"


def compile_step(fn: Callable[..., Any], optimizer: Optimizer, *,
                 cache_size: int = CACHE_SIZE) -> CompiledStep:
    """A training step: ``fn`` (the cost, as for :func:`~tinygrad_course.compile`) compiled
    with its backward, followed by ``optimizer``'s update, all without recording a graph.
    ``fn`` may already be a ``tc.compile`` function: the step then shares its traces.

    Same numbers as ``J = fn(*args); J.backward(); optimizer.step()``, bit for bit, at the
    speed of the generated numpy alone (the eager engine's per-op and per-step work is gone).

    >>> import numpy as np, tinygrad_course as tc
    >>> W = tc.Tensor(np.ones((1, 2)), requires_grad=True, name="W[1]")
    >>> X, Y = tc.Tensor(np.eye(2)), np.array([[1.0, 0.0]])
    >>> step = tc.compile_step(lambda: ((W @ X - Y) ** 2).mean(), tc.optim.SGD([W], lr=0.5))
    >>> [round(step().item(), 4) for _ in range(3)]
    [0.5, 0.125, 0.0312]
    >>> W.data.round(4).tolist(), W.grad.round(4).tolist()
    ([[1.0, 0.125]], [[0.0, 0.25]])
    """
    return CompiledStep(fn, optimizer, cache_size)
