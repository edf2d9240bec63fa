"""``detect_anomaly()``: stop at the first op whose value or gradient is NaN or infinite."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from typing import Any

import numpy as np

from ..errors import AnomalyError
from .callsite import creation_site
from .meta import get_meta, set_meta
from .mode import _set_anomaly

__all__ = ["detect_anomaly"]


@contextlib.contextmanager
def detect_anomaly() -> Iterator[None]:
    """Check every op's output and every gradient for NaN/inf inside the block.

    The error names the op, its input shapes and the line of your code that created it.
    Backward also re-runs each op's forward from the values it saved, which catches arrays
    written in place after recording (``w.data[0] = 5``), at the price of one more forward.

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
    set_meta(t, "site", site)
    bad = _bad(t.data)
    if bad is not None:
        raise AnomalyError(f"forward of {op.name} produced {bad} (input shapes: "
                           f"{_shapes(inputs)})\n  created at {site}")


def check_backward(node: Any, vjp: Any, grad: Any) -> None:
    """Refuse a non-finite gradient that ``vjp`` sent from ``node`` into one of its inputs."""
    bad = _bad(getattr(grad, "data", grad))
    if bad is not None:
        # Every op's vjps[i] is one fixed function (Variadic ones included), so the input's
        # position is found by identity.
        i = next(k for k, (_, f) in enumerate(zip(node._inputs, node._op.vjps)) if f is vjp)
        site = get_meta(node, "site", "<recorded outside detect_anomaly>")
        raise AnomalyError(f"backward of {node._op.name} produced {bad} in the gradient of "
                           f"input {i} (input shapes: {_shapes(node._inputs)})\n"
                           f"  created at {site}")


def check_unchanged(node: Any) -> None:
    """Re-run ``node``'s forward from the values it saved and refuse a different result: an
    array written in place after recording (``x.data[0] = 5``, a caller's array). Costs one
    forward per op, so only ``detect_anomaly()`` does it."""
    op, kw = node._op, node._kwargs or {}
    with np.errstate(all="ignore"):
        again = np.asarray(op.forward(*node._values, **kw))
    if again.shape == node.data.shape and np.array_equal(again, node.data, equal_nan=True):
        return
    site = get_meta(node, "site", "<recorded outside detect_anomaly>")
    raise AnomalyError(
        f"the inputs of {op.name} (input shapes: {_shapes(node._inputs)}) were changed in place "
        "after it was recorded, so its gradient would be wrong; compute the cost again after "
        f"changing data\n  created at {site}")
