"""``Model.fit(..., compile=True)``: the training step's cost, compiled once per batch shape."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from ..engine.tensor import Tensor
from .api import compile

__all__ = ["compiled_full_batch", "compiled_batch_cost"]


def compiled_full_batch(forward: Callable[[], Tensor]) -> Callable[[], Tensor]:
    """``forward()`` (X and Y captured, the parameters read at each call), compiled."""
    return compile(forward)


def compiled_batch_cost(net: Callable[[Any], Tensor], cost: Callable[[Tensor, Any], Tensor],
                        course_cost: bool) -> Callable[[Tensor, Tensor], Tensor]:
    """``cost(net(xb), yb)`` compiled. The course's cross-entropy gets ``1 - Y`` as an
    argument: computed from a batch's labels inside the function, it would be frozen."""
    if not course_cost:
        return compile(lambda xb, yb: cost(net(xb), yb))
    from ..losses import _bce

    def course(xb: Tensor, y: Any, one_minus_y: Any) -> Tensor:
        return _bce(net(xb), y, one_minus_y, -1.0 / xb.shape[1])
    step = compile(course)
    return lambda xb, yb: step(xb, yb.data, 1 - yb.data)
