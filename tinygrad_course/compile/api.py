"""``tc.compile(fn)``: trace once per signature, then run the generated forward and backward.

The compiled call appears in the graph as ONE op (``compiled:<fn>``) whose inputs are the
Tensor/array arguments and the parameters the function closed over, and whose vjp is the
generated backward: it composes with eager code, ``backward()`` fills ``.grad`` exactly as
eager would, and ``draw_graph`` shows it as one node.
"""

from __future__ import annotations

import inspect
import linecache
import warnings
from collections import OrderedDict
from collections.abc import Callable
from typing import Any

import numpy as np

from ..engine.ops.registry import Op
from ..engine.record import apply
from ..engine.tensor import Tensor
from .codegen import numpy_namespace
from .program import Generated, generate
from .trace import CompileError, Trace, trace, tracing

__all__ = ["compile", "Compiled", "show_code", "CACHE_SIZE"]

CACHE_SIZE = 8  # signatures kept per compiled function (least recently used goes first)
_NUMPY = numpy_namespace()


class _Call:
    """One call's state: what forward saved for backward, and the gradients once computed."""

    __slots__ = ("entry", "saved", "g", "grads", "aux")

    def __init__(self, entry: _Entry) -> None:
        self.entry = entry
        self.saved: tuple[Any, ...] = ()
        self.g: Any = None
        self.grads: tuple[Any, ...] = ()
        self.aux: tuple[Any, ...] = ()

    def __repr__(self) -> str:
        return f"<call of {self.entry.label}>"


class _Entry:
    """The code generated for one signature."""

    def __init__(self, label: str, fn: Callable[..., Any], tr: Trace, gen: Generated) -> None:
        self.label, self.fn, self.trace, self.gen = label, fn, tr, gen
        self.pattern: list[Any] = []  # the arguments of the traced call (inputs by position)
        self.seed: np.ndarray | None = None  # dJ/dJ for compile_step, made at its first call
        self.captured = tr.captured
        self.guard = [(t._data.shape, t._data.dtype) for t in tr.captured]
        filename = f"<tc.compile {label} #{id(self):x}>"
        linecache.cache[filename] = (len(gen.source), None, gen.source.splitlines(True),
                                     filename)
        namespace = dict(gen.names)
        exec(_builtin_compile(gen.source, filename, "exec"), namespace)
        self.forward, self.backward = namespace["forward"], namespace["backward"]
        slot_of = {k: i for i, k in enumerate(gen.grad_params)}
        n = len(tr.params)
        self.grad_slot = [slot_of.get(k) for k in range(n)]
        self.op = Op(name=f"compiled:{label}", symbol=label, forward=self._forward,
                     vjps=tuple(self._vjp(k) for k in range(n)),
                     rules=("generated backward",) * n, elementwise=False)

    def _call_args(self, inputs: list[Any]) -> list[Any]:
        it = iter(inputs)
        return [next(it) if isinstance(a, (Tensor, np.ndarray)) else a for a in self.pattern]

    def _forward(self, *arrays: Any, ctx: _Call) -> Any:
        out, aux, saved = self.forward(*arrays)
        ctx.saved = saved
        ctx.aux = aux
        return out

    def _vjp(self, k: int) -> Callable[..., Any]:
        def vjp(xp: Any, g: Any, out: Any, *vals: Any, ctx: _Call) -> Any:
            if xp is not _NUMPY:
                return self._eager_vjp(k, g, vals)
            if ctx.g is not g:
                ctx.grads = self.backward(g, *ctx.saved)
                ctx.g = g
            return ctx.grads[self.grad_slot[k]]  # type: ignore[index]
        return vjp

    def _eager_vjp(self, k: int, g: Any, vals: tuple[Any, ...]) -> Any:
        """create_graph=True: the generated backward is plain numpy, so this one backward
        runs the function eagerly instead (gradients of gradients stay exact)."""
        from ..engine.backward import gradients
        warnings.warn(f"tc.compile: {self.label} is differentiated with create_graph=True; "
                      "this backward runs the function eagerly", stacklevel=4)
        inputs = list(vals)
        out = self.fn(*self._call_args(inputs))
        out = out[0] if isinstance(out, (tuple, list)) else out
        root = (out * g).sum()
        return gradients(root, [inputs[k]], create_graph=True)[0]


def _builtin_compile(source: str, filename: str, mode: str) -> Any:
    import builtins
    return builtins.compile(source, filename, mode)


def _key(args: tuple[Any, ...]) -> tuple[Any, ...]:
    key: list[Any] = []
    for a in args:
        if isinstance(a, Tensor):
            key.append((a._data.shape, a._data.dtype, a.requires_grad))
        elif isinstance(a, np.ndarray):
            key.append(("array", a.shape, a.dtype))
        else:
            try:
                hash(a)
            except TypeError:
                raise CompileError(f"tc.compile: an argument of type {type(a).__name__} is "
                                   "neither a Tensor, an array nor a hashable constant") from None
            key.append(("static", type(a), a))
    return tuple(key)


class Compiled:
    """A function compiled by :func:`compile`: call it like the original.

    ``source(*args)`` is the generated code for those arguments' signature; ``eager`` the
    original function.
    """

    def __init__(self, fn: Callable[..., Any], cache_size: int = CACHE_SIZE) -> None:
        self.eager = fn
        self.label = getattr(fn, "__name__", "fn").replace("<lambda>", "lambda")
        self.cache: OrderedDict[tuple[Any, ...], _Entry] = OrderedDict()
        self.cache_size = cache_size
        self.traces = 0
        try:
            params = list(inspect.signature(fn).parameters.values())
        except (TypeError, ValueError):
            params = []
        self._names = [p.name for p in params
                       if p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD)]
        self.__doc__ = getattr(fn, "__doc__", None)
        self.__wrapped__ = fn

    def _arg_names(self, n: int) -> list[str]:
        return [self._names[k] if k < len(self._names) else f"arg{k}" for k in range(n)]

    def entry(self, *args: Any) -> _Entry:
        """The generated code for these arguments' signature (traced now if new)."""
        key = _key(args)
        e = self.cache.get(key)
        if e is not None and all(t._data.shape == s and t._data.dtype == d and t.requires_grad
                                 for t, (s, d) in zip(e.captured, e.guard)):
            self.cache.move_to_end(key)
            return e
        tr = trace(self.eager, args, self._arg_names(len(args)))
        e = _Entry(self.label, self.eager, tr, generate(tr.outputs, tr.params, tr.need))
        self.traces += 1
        e.pattern = list(args)
        self.cache[key] = e
        while len(self.cache) > self.cache_size:
            self.cache.popitem(last=False)
        return e

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        if kwargs:
            raise TypeError(f"tc.compile: pass the arguments of {self.label} by position (a "
                            f"signature is the positional arguments); got {sorted(kwargs)}")
        if tracing():  # inside another compiled function's trace: be its eager ops
            return self.eager(*args)
        e = self.entry(*args)
        inputs = [a for a in args if isinstance(a, (Tensor, np.ndarray))] + e.captured
        ctx = _Call(e)
        out = apply(e.op, tuple(inputs), {"ctx": ctx})
        if not e.gen.n_aux:
            return out
        aux, ctx.aux = ctx.aux, ()
        return (out, *(Tensor(a) for a in aux))

    def source(self, *args: Any) -> str:
        """The generated forward and backward for these arguments, as Python source."""
        return self.entry(*args).gen.source

    def __repr__(self) -> str:
        return f"<tc.compile of {self.label}: {len(self.cache)} signature(s) cached>"


def compile(fn: Callable[..., Any] | None = None, *, cache_size: int = CACHE_SIZE) -> Any:
    """Compile ``fn`` (Tensors in, a Tensor or a tuple of Tensors out) to straight-line numpy.

    The first call for a signature (argument shapes, dtypes, which require grad) traces
    ``fn`` eagerly and generates one forward and one backward function; later calls run
    them. ``backward()`` on the result fills ``.grad`` bit-for-bit as eager would.

    >>> import numpy as np, tinygrad_course as tc
    >>> W = tc.Tensor(np.ones((2, 3)), requires_grad=True, name="W[1]")
    >>> step = tc.compile(lambda X: (W @ X).tanh().sum())
    >>> J = step(tc.Tensor(np.full((3, 4), 0.1)))
    >>> J.backward()
    >>> round(J.item(), 6), W.grad.shape
    (2.330501, (2, 3))
    """
    if fn is None:
        return lambda f: Compiled(f, cache_size)
    return Compiled(fn, cache_size)


def show_code(fn: Callable[..., Any], *args: Any) -> str:
    """The source ``tc.compile(fn)`` generates for ``fn(*args)`` (forward and backward).

    >>> import numpy as np, tinygrad_course as tc
    >>> x = tc.Tensor(np.ones(3), requires_grad=True, name="x")
    >>> print(tc.show_code(lambda x: (x * x).sum(), x).split("def backward")[1])
    (dJ, x):
        t = np.broadcast_to(dJ.reshape((1,)), (3,))  # sum: 1
        dx = t * x + t * x  # mul: b; mul: a
        return (dx,)
    <BLANKLINE>
    """
    c = fn if isinstance(fn, Compiled) else Compiled(fn)
    return c.source(*args)
