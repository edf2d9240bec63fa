"""How long ``tc.compile`` takes to trace and generate the code of a training step, beside
the step itself (issue 13's target: under 50 ms for the L-layer step, amortized within 20
steps). Run: ``python -m benchmarks.trace_time`` (pinned to one core, CPU time, best of 5)."""

from __future__ import annotations

import os
import time
from typing import Any

import tinygrad_course as tc
from tinygrad_course import Tensor
from tinygrad_course.optim import SGD

from .workloads_bce import make_net_data
from .workloads_compiled import _bce_forward

__all__ = ["measure"]


def _best(f: Any, n: int = 5) -> float:
    times = []
    for _ in range(n):
        t0 = time.process_time()
        f()
        times.append(time.process_time() - t0)
    return min(times)


def measure(key: str) -> dict[str, float]:
    """Seconds: trace + codegen, one eager step (forward + backward), one compiled step
    (forward + backward + update, ``tc.compile_step``)."""
    d = make_net_data(key, "tiny")
    X, Y = Tensor(d.X), d.Y
    ps = [Tensor(p, requires_grad=True) for p in d.params]

    def fn(*ps: Tensor) -> Tensor:
        return _bce_forward(d.hidden, X, Y, ps)

    def eager() -> None:
        fn(*ps).backward()

    def trace() -> None:
        tc.compile(fn).entry(*ps)

    # The training form (fit(compile=True)): forward, backward and an SGD update with a
    # learning rate so small that the parameters stay where they are.
    step = tc.compile_step(fn, SGD(ps, lr=1e-300))
    step(*ps)

    def compiled() -> None:
        step(*ps)
    return {"trace": _best(trace), "eager_step": _best(eager), "compiled_step": _best(compiled)}


if __name__ == "__main__":
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {min(os.sched_getaffinity(0))})
    for key, what in (("W2", "L-layer [12288,20,7,5,1], m=209"), ("W3", "planar (2,4,1), m=400"),
                      ("W1", "logistic regression 12288x209")):
        r = measure(key)
        saved = r["eager_step"] - r["compiled_step"]
        print(f"{key} {what}: trace+codegen {r['trace'] * 1e3:.1f} ms = "
              f"{r['trace'] / r['eager_step']:.1f} eager steps; eager step "
              f"{r['eager_step'] * 1e3:.2f} ms, compiled step {r['compiled_step'] * 1e3:.2f} ms"
              + (f"; paid back after {r['trace'] / saved:.0f} steps" if saved > 0 else ""))
