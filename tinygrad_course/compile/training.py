"""``Model.fit(..., compile=True)``: each training step compiled once per batch shape, run by
``tc.compile_step`` (forward, backward and the optimizer's update, no graph recorded)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from ..engine.tensor import Tensor
from ..optim import Optimizer
from .step import compile_step

__all__ = ["compiled_full_batch", "compiled_batch_step"]


def compiled_full_batch(forward: Callable[[], Tensor], opt: Optimizer) -> Callable[[], float]:
    """One full-batch step of ``forward()`` (X and Y captured, the parameters read at each
    call); returns the cost before the update, as the eager step does."""
    step = compile_step(forward, opt)

    def run() -> float:
        cost = step().item()
        opt.zero_grad()
        return cost
    return run


def compiled_batch_step(net: Callable[[Any], Tensor], cost: Callable[[Tensor, Any], Tensor],
                        course_cost: bool, opt: Optimizer) -> Callable[[Tensor, Tensor], float]:
    """One mini-batch step of ``cost(net(xb), yb)``. The course's cross-entropy gets ``1 - Y``
    as an argument: computed from a batch's labels inside the function, it would be frozen."""
    if not course_cost:
        step = compile_step(lambda xb, yb: cost(net(xb), yb), opt)
        args: Callable[[Tensor, Tensor], tuple[Any, ...]] = lambda xb, yb: (xb, yb)  # noqa: E731
    else:
        from ..losses import _bce

        def course(xb: Tensor, y: Any, one_minus_y: Any) -> Tensor:
            return _bce(net(xb), y, one_minus_y, -1.0 / xb.shape[1])
        step = compile_step(course, opt)
        args = lambda xb, yb: (xb, yb.data, 1 - yb.data)  # noqa: E731

    def run(xb: Tensor, yb: Tensor) -> float:
        value = step(*args(xb, yb)).item()
        opt.zero_grad()
        return value
    return run
