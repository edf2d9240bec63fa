"""``detect_anomaly()``: stop at the first op whose value or gradient is NaN or infinite."""

from __future__ import annotations

import contextlib
import os
import sys
from collections.abc import Iterator
from typing import Any

import numpy as np

from ..errors import AnomalyError
from .mode import _set_anomaly

__all__ = ["detect_anomaly"]

_PACKAGE_DIR = os.path.dirname(os.path.abspath(__file__))


@contextlib.contextmanager
def detect_anomaly() -> Iterator[None]:
    """Check every op's output and every gradient for NaN/inf inside the block.

    The error names the op, its input shapes and the line of your code that created it.

    >>> from tinygrad_course import Tensor, detect_anomaly, AnomalyError
    >>> import numpy as np
    >>> a = Tensor([1.0, 0.0], requires_grad=True)
    >>> with detect_anomaly(), np.errstate(divide="ignore"):
    ...     try:
    ...         cost = -a.log().sum()
    ...     except AnomalyError as e:
    ...         print(str(e).splitlines()[0])
    forward of log produced -inf (input shapes: (2,))
    """
    previous = _set_anomaly(True)
    try:
        yield
    finally:
        _set_anomaly(previous)


def creation_site() -> str:
    """``file:line`` of the innermost frame outside this package (the user's code)."""
    frame = sys._getframe(1)
    while frame is not None and os.path.abspath(frame.f_code.co_filename).startswith(
            _PACKAGE_DIR):
        frame = frame.f_back  # type: ignore[assignment]
    return "<unknown>" if frame is None else f"{frame.f_code.co_filename}:{frame.f_lineno}"


def _bad(values: Any) -> str | None:
    arr = np.asarray(values)
    if arr.dtype.kind != "f" or np.isfinite(arr).all():
        return None
    if np.isnan(arr).any():
        return "NaN"
    return "-inf" if np.isneginf(arr).any() else "inf"


def _shapes(inputs: tuple[Any, ...]) -> str:
    return ", ".join(str(np.shape(getattr(x, "data", x))) for x in inputs)


def check_forward(t: Any, op: Any, inputs: tuple[Any, ...]) -> None:
    """Record where ``t`` was made and refuse a non-finite value."""
    site = creation_site()
    if t._meta is None:
        t._meta = {}
    t._meta["site"] = site
    bad = _bad(t.data)
    if bad is not None:
        raise AnomalyError(f"forward of {op.name} produced {bad} (input shapes: "
                           f"{_shapes(inputs)})\n  created at {site}")


def check_backward(node: Any, op: Any, vjp: Any, grad: Any) -> None:
    """Refuse a non-finite gradient that ``vjp`` sent from ``node`` into one of its inputs."""
    bad = _bad(getattr(grad, "data", grad))
    if bad is not None:
        i = next(k for k, (_, f) in enumerate(zip(node._node[1], op.vjps)) if f is vjp)
        site = (node._meta or {}).get("site", "<recorded outside detect_anomaly>")
        raise AnomalyError(f"backward of {op.name} produced {bad} in the gradient of input "
                           f"{i} (input shapes: {_shapes(node._node[1])})\n"
                           f"  created at {site}")
