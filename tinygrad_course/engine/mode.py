"""Global switches of the engine: gradient recording, anomaly detection, strict shapes."""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Iterator
from typing import Any

__all__ = ["no_grad", "enable_grad", "is_grad_enabled", "strict_shapes", "state"]

class _State(threading.local):
    """Per-thread flags read on every op, so they are plain attributes (cheap to read)."""

    def __init__(self) -> None:
        self.grad_enabled = True
        self.strict_shapes = False
        self.anomaly = False


state = _State()


class _Counts:
    """Process-wide counts of threads inside ``no_grad`` / ``detect_anomaly``.

    Reading a thread-local costs about as much as a small numpy op, so the hot path first
    reads these plain attributes and consults ``state`` only when some thread changed a flag.
    """

    __slots__ = ("no_grad", "anomaly", "tracing")

    def __init__(self) -> None:
        self.no_grad = 0
        self.anomaly = 0
        # While tc.compile traces a function: called with what was read (``item()``) before a
        # Tensor's value is read, so that it can refuse (see compile/trace.py); else None.
        self.tracing: Any = None


counts = _Counts()
_lock = threading.Lock()


def _set(flag: str, enabled: bool) -> bool:
    """Set this thread's ``flag`` and keep ``counts`` (threads with the flag in its non-default
    state) in step; return the previous value."""
    previous = getattr(state, flag)
    if previous != enabled:
        counter, default = _COUNTED[flag]
        with _lock:
            setattr(counts, counter, getattr(counts, counter) + (1 if previous == default else -1))
        setattr(state, flag, enabled)
    return bool(previous)


# flag on ``state`` -> (its counter on ``counts``, its default value)
_COUNTED = {"grad_enabled": ("no_grad", True), "anomaly": ("anomaly", False)}


def _set_grad_enabled(enabled: bool) -> bool:
    return _set("grad_enabled", enabled)


def _set_anomaly(enabled: bool) -> bool:
    return _set("anomaly", enabled)


class _GradMode(contextlib.ContextDecorator):
    """Set gradient recording for a ``with`` block or a decorated function.

    Reusable and re-entrant, as ``torch.no_grad()`` is: each entry pushes the previous state
    on a per-thread stack and its exit pops it, so ``with g: with g: ...`` and a ``g`` kept
    and reused restore recording exactly. (A ``contextlib.contextmanager`` generator would be
    single-use; see docs/architecture.md, Decisions.)
    """

    def __init__(self, enabled: bool) -> None:
        self.enabled = enabled
        self._stacks = threading.local()

    def __enter__(self) -> None:
        stack = self._stacks.__dict__.setdefault("previous", [])
        stack.append(_set_grad_enabled(self.enabled))

    def __exit__(self, *exc: object) -> None:
        _set_grad_enabled(self._stacks.previous.pop())


def no_grad() -> _GradMode:
    """Stop recording the graph, in this thread, inside a ``with`` block or decorated function.

    >>> from tinygrad_course import Tensor, no_grad
    >>> w = Tensor(2.0, requires_grad=True)
    >>> with no_grad():
    ...     y = w * 3
    >>> y.requires_grad
    False
    """
    return _GradMode(False)


def enable_grad() -> _GradMode:
    """Turn recording back on inside a ``no_grad`` block.

    >>> from tinygrad_course import Tensor
    >>> w = Tensor(1.0, requires_grad=True)
    >>> with no_grad():
    ...     with enable_grad():
    ...         y = w * 3
    >>> y.requires_grad
    True
    """
    return _GradMode(True)


def is_grad_enabled() -> bool:
    """Whether operations in this thread are being recorded for backward.

    >>> is_grad_enabled()
    True
    >>> with no_grad():
    ...     print(is_grad_enabled())
    False
    """
    return state.grad_enabled


@contextlib.contextmanager
def strict_shapes() -> Iterator[None]:
    """Make the rank-1 broadcasting warning an error (a ``ShapeError``) inside the block.

    >>> import numpy as np
    >>> from tinygrad_course import Tensor, strict_shapes, ShapeError
    >>> a = Tensor(np.ones(3))          # rank 1: shape (3,)
    >>> b = Tensor(np.ones((3, 1)))     # a column
    >>> with strict_shapes():
    ...     try:
    ...         a + b
    ...     except ShapeError as e:
    ...         print("refused")
    refused
    """
    previous = state.strict_shapes
    state.strict_shapes = True
    try:
        yield
    finally:
        state.strict_shapes = previous
