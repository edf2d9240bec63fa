"""Tracing: run the user's function once on stand-ins for its arguments and keep the graph.

Every Tensor argument is replaced by a stand-in that requires grad, so that every op on it is
recorded (ops on tensors that need no gradient are otherwise not recorded at all). Reading a
value while tracing (``item()``, ``bool(t)``, a comparison, ``np.asarray(t)``) raises
:class:`CompileError` naming the user's line: the compiled code would freeze that value. The
function then runs a second time with every input nudged; a constant of the graph that moved
was computed from tensor values outside the graph (through ``.data``) and is refused too.
"""

from __future__ import annotations

import os
import sys
import threading
from dataclasses import dataclass
from typing import Any

import numpy as np

from ..engine.mode import counts, enable_grad
from ..engine.tensor import Tensor
from .codegen import same
from .graph import backward_order as topological_order

__all__ = ["CompileError", "Trace", "trace", "user_line", "tracing"]

_PACKAGE = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
_local = threading.local()


class CompileError(RuntimeError):
    """``tc.compile`` cannot turn this function into straight-line code (the message says
    why, where, and what to do instead).

    >>> import tinygrad_course as tc
    >>> f = tc.compile(lambda x: x * 2 if x.item() > 0 else x)   # a branch on a value
    >>> try:
    ...     f(tc.Tensor(1.0))
    ... except CompileError as e:
    ...     print(str(e)[:40])
    tc.compile: item() reads a tensor's valu
    """


def tracing() -> bool:
    """Whether this thread is tracing a function for ``tc.compile`` right now."""
    return getattr(_local, "depth", 0) > 0


def user_line() -> str:
    """``file:line: code`` of the innermost frame outside this package (the user's line)."""
    f = sys._getframe(1)
    while f is not None and os.path.abspath(f.f_code.co_filename).startswith(_PACKAGE):
        f = f.f_back  # type: ignore[assignment]
    if f is None:
        return "an unknown line"
    import linecache
    code = linecache.getline(f.f_code.co_filename, f.f_lineno).strip()
    return f"{f.f_code.co_filename}:{f.f_lineno}" + (f": {code}" if code else "")


def _refuse(t: Tensor, what: str) -> None:
    if not tracing():
        return  # another thread is tracing; this one is eager
    raise CompileError(
        f"tc.compile: {what} reads a tensor's value while the function is being traced, at "
        f"{user_line()}. Compiled code runs the same numpy lines on every call, so a value "
        "read now (or a Python `if` on it) would be frozen. Use tensor ops instead (e.g. "
        "tc.where(mask, a, b), .clip, .maximum), move the read outside the compiled function, "
        "or call the function without tc.compile.")


@dataclass
class Trace:
    """The recorded graph of one call."""

    outputs: list[Tensor]
    params: list[tuple[str, Any]]  # (name, graph leaf or argument array), call order
    arg_slots: list[int]  # param position of each array/Tensor argument
    captured: list[Tensor]  # leaves requiring grad that the function closed over
    need: set[Tensor]  # leaves whose gradient the caller wants


def _stand_in(x: Any, name: str) -> Any:
    if isinstance(x, Tensor):
        t = Tensor(np.empty(0, dtype=x.dtype))
        t._data, t.requires_grad = x._data, True
        t.name = x.name or name
        return t
    return x


_lock = threading.Lock()
_threads = [0]  # threads tracing now: the value-read check stays on while any is


def _run(fn: Any, args: tuple[Any, ...], names: list[str]) -> tuple[list[Any], list[Tensor]]:
    stand = [_stand_in(a, n) for a, n in zip(args, names)]
    with _lock:
        _threads[0] += 1
        counts.tracing = _refuse
    _local.depth = getattr(_local, "depth", 0) + 1
    try:
        with enable_grad():
            result = fn(*stand)
    finally:
        _local.depth -= 1
        with _lock:
            _threads[0] -= 1
            if _threads[0] == 0:
                counts.tracing = None
    outs = list(result) if isinstance(result, (tuple, list)) else [result]
    if not outs or not all(isinstance(o, Tensor) for o in outs):
        kinds = ", ".join(type(o).__name__ for o in outs)
        raise CompileError(f"tc.compile: the function must return a Tensor or a tuple of "
                           f"Tensors (values computed at trace time would be frozen); it "
                           f"returned {kinds or 'nothing'}")
    return stand, outs


def trace(fn: Any, args: tuple[Any, ...], names: list[str]) -> Trace:
    """Record ``fn(*args)`` and check that nothing in it depends on values read aside."""
    stand, outs = _run(fn, args, names)
    if outs[0].is_leaf:
        raise CompileError("tc.compile: the function's first output is one of its inputs (no "
                           "operation to compile)")
    leaves: list[Tensor] = []  # in the order the forward pass first uses them
    seen: set[Tensor] = set()
    for t in reversed(_nodes(outs)):
        for x in t.inputs:
            if isinstance(x, Tensor) and x.requires_grad and x.is_leaf and x not in seen:
                seen.add(x)
                leaves.append(x)
    proxies = {id(s): k for k, s in enumerate(stand) if isinstance(s, Tensor)}
    captured = [t for t in leaves if id(t) not in proxies]
    params: list[tuple[str, Any]] = []
    arg_slots = []
    need: set[Tensor] = set()
    for k, (a, s) in enumerate(zip(args, stand)):
        if isinstance(a, (Tensor, np.ndarray)):
            arg_slots.append(len(params))
            params.append((names[k], s))
            if isinstance(a, Tensor) and a.requires_grad:
                need.add(s)
    for t in captured:
        params.append((t.name or "p", t))
        need.add(t)
    _check_constants(fn, args, names, outs, captured)
    return Trace(outs, params, arg_slots, captured, need)


def _nudge(a: np.ndarray) -> np.ndarray:
    return a + (np.abs(a) + 1) * a.dtype.type(1e-3) if a.dtype.kind == "f" else a


def _check_constants(fn: Any, args: tuple[Any, ...], names: list[str], outs: list[Tensor],
                     captured: list[Tensor]) -> None:
    """Trace again with every input nudged: the graph must have the same ops and constants."""
    nudged = tuple(Tensor(_nudge(a._data), requires_grad=a.requires_grad, name=a.name)
                   if isinstance(a, Tensor) else
                   (_nudge(a) if isinstance(a, np.ndarray) else a) for a in args)
    saved = [t._data for t in captured]
    try:
        for t in captured:
            t._data = _nudge(t._data)  # the slot: nothing is stamped as changed
        _, outs2 = _run(fn, nudged, names)
    finally:
        for t, d in zip(captured, saved):
            t._data = d
    first = _nodes(outs)
    second = _nodes(outs2)
    own = {id(a._data if isinstance(a, Tensor) else a) for a in args}
    own |= {id(a._data if isinstance(a, Tensor) else a) for a in nudged}
    if [t.op for t in first] != [t.op for t in second]:
        raise CompileError(
            "tc.compile: the function ran different operations when its inputs changed "
            "(Python control flow depends on tensor values); compiled code would follow the "
            "first path only. Keep the control flow fixed, or call it without tc.compile.")
    for t1, t2 in zip(first, second):
        pairs = [(f"input {i}", x, y) for i, (x, y) in enumerate(zip(t1.inputs, t2.inputs))]
        kw2 = t2.op_args
        pairs += [(f"argument {k!r}", v, kw2.get(k)) for k, v in t1.op_args.items()]
        for where, x, y in pairs:
            if (isinstance(x, Tensor) and x.requires_grad) or id(x) in own:
                continue
            if _moved(x, y):
                op_name = getattr(t1.op, "name", "?")
                raise CompileError(
                    f"tc.compile: {where} of the {op_name} op is computed from tensor "
                    f"values outside the graph (through .data or numpy), so the compiled "
                    f"code would freeze it. Compute it with tensor ops, pass it in as a "
                    f"constant captured from outside, or call the function without "
                    f"tc.compile.")


def _moved(x: Any, y: Any) -> bool:
    if isinstance(x, Tensor):
        x = x._data
    if isinstance(y, Tensor):
        y = y._data
    if isinstance(x, np.ndarray) or isinstance(y, np.ndarray):
        return not (isinstance(x, np.ndarray) and isinstance(y, np.ndarray) and same(x, y))
    try:
        return bool(x != y)
    except Exception:
        return False


def _nodes(outs: list[Tensor]) -> list[Tensor]:
    found: list[Tensor] = []
    seen: set[Tensor] = set()
    for o in outs:
        for t in topological_order(o):
            if not t.is_leaf and t not in seen:
                seen.add(t)
                found.append(t)
    return found
