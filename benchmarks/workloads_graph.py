"""W5-W7: long chains of tiny ops (per-op overhead), a million-op chain, and drawing a graph.

The chain repeats ``y = tanh(y * C + A)`` then ``y = tanh(y / C - A / C)`` on a 4×4 tensor
(so mul, add and tanh in equal parts) and ends with ``sum``: 3·k + 1 ops. The constants keep the
values and the gradient well inside float64's normal range (no overflow, no slow subnormals).
"""

from __future__ import annotations

import statistics
from dataclasses import dataclass
from typing import Any

import numpy as np

from tinygrad_course import Tensor

from .backends import available, clock, fresh_heap, require, skip_notes
from .harness import Factory, Row, Runner, Workload

__all__ = ["CHAIN_OPS", "W5", "ChainData", "chain_impls", "make_chain_data",
           "time_draw"]

# Ops per chain (tanh/mul/add triples plus the final sum), by workload and size.
CHAIN_OPS = {
    "W5": {"tiny": 301, "quick": 10_000, "full": 10_000},
    "W6": {"tiny": 3_001, "quick": 100_000, "full": 1_000_000},
    "W7": {"tiny": 301, "quick": 10_000, "full": 10_000},
}
CHAIN_REPEAT = {"tiny": 1, "quick": 3, "full": 5}  # W5: chains per timed run (steadier timing)


@dataclass
class ChainData:
    """The chain's input ``x0`` (4, 4), its constants, and its length."""

    x0: np.ndarray
    pairs: tuple[tuple[np.ndarray, np.ndarray], tuple[np.ndarray, np.ndarray]]
    triples: int
    repeat: int = 1

    @property
    def n_ops(self) -> int:
        """Ops in one chain times the chains in one run (per-op figures divide by this)."""
        return (3 * self.triples + 1) * self.repeat

    @property
    def title_fields(self) -> dict[str, str]:
        """What the workload's title says about this size (the ops in one chain)."""
        return {"ops": f"{3 * self.triples + 1:,}"}


def make_chain_data(key: str, size: str) -> ChainData:
    """A deterministic chain of ``CHAIN_OPS[key][size]`` ops."""
    rng = np.random.default_rng(5)
    C = rng.uniform(0.5, 2.0, (4, 4))
    A = rng.uniform(-0.02, 0.02, (4, 4))
    x0 = rng.standard_normal((4, 4)) * 0.5
    triples = (CHAIN_OPS[key][size] - 1) // 3
    return ChainData(x0, ((C, A), (1 / C, -A / C)), triples,
                     CHAIN_REPEAT[size] if key == "W5" else 1)


Phased = tuple[np.ndarray, float, float]  # (output and gradient, forward s, backward s)


def chain_numpy(d: ChainData) -> Phased:
    """The floor: keep each tanh output, then g ← g·(1 - out²)·C back along the chain."""
    t0 = clock()
    y, outs = d.x0, []
    for t in range(d.triples):
        c, a = d.pairs[t & 1]
        y = np.tanh(y * c + a)
        outs.append(y)
    loss = y.sum()
    t1 = clock()
    g = np.ones_like(y)
    for t in range(d.triples - 1, -1, -1):
        out = outs[t]
        g = g * (1 - out * out) * d.pairs[t & 1][0]
    t2 = clock()
    return np.concatenate([[loss], g.ravel()]), t1 - t0, t2 - t1


def chain_engine(d: ChainData) -> Phased:
    t0 = clock()
    x = Tensor(d.x0, requires_grad=True)
    y = x
    for t in range(d.triples):
        c, a = d.pairs[t & 1]
        y = (y * c + a).tanh()
    loss = y.sum()
    t1 = clock()
    loss.backward()
    t2 = clock()
    return np.concatenate([[loss.item()], x.grad.ravel()]), t1 - t0, t2 - t1


def chain_torch(d: ChainData) -> Phased:
    torch = require("torch")
    pairs = [(torch.from_numpy(c), torch.from_numpy(a)) for c, a in d.pairs]
    t0 = clock()
    x = torch.tensor(d.x0, requires_grad=True)
    y = x
    for t in range(d.triples):
        c, a = pairs[t & 1]
        y = torch.tanh(y * c + a)
    loss = y.sum()
    t1 = clock()
    loss.backward()
    t2 = clock()
    assert x.grad is not None
    return np.concatenate([[loss.item()], x.grad.numpy().ravel()]), t1 - t0, t2 - t1


def chain_autograd(d: ChainData) -> Phased:
    """HIPS autograd records and differentiates in one call: all of it counts as forward."""
    ag, anp = require("autograd"), require("autograd.numpy")

    def f(x: Any) -> Any:
        y = x
        for t in range(d.triples):
            c, a = d.pairs[t & 1]
            y = anp.tanh(y * c + a)
        return anp.sum(y)

    t0 = clock()
    loss, g = ag.value_and_grad(f)(d.x0)
    return np.concatenate([[loss], g.ravel()]), clock() - t0, 0.0


def chain_impls(with_autograd: bool = True) -> dict[str, Any]:
    """The chain in each library that is importable, by name."""
    from .workloads_compiled import chain_compiled, chain_jax
    impls: dict[str, Any] = {"engine": chain_engine, "numpy": chain_numpy,
                             "compiled": chain_compiled}
    if available("jax"):
        impls["jax"] = chain_jax
    if available("torch"):
        impls["torch"] = chain_torch
    if with_autograd and available("autograd"):
        impls["autograd"] = chain_autograd
    return impls


def _repeated(chain: Any) -> Factory:
    def factory(d: ChainData) -> Runner:
        def run() -> np.ndarray:
            for _ in range(d.repeat):
                out = chain(d)[0]
            return out
        return run
    return factory


W5 = Workload(
    "W5", "chain of {ops} ops on 4×4, forward+backward", lambda size: make_chain_data("W5", size),
    {name: _repeated(fn) for name, fn in chain_impls().items()}, rtol=1e-9, target=3.0,
    compiled_target=1.2, compiled_vs_jax=False,
    per_op=True,
    notes=skip_notes())


def time_draw(size: str, repeats: int, warmup: int = 1) -> Row:
    """W7: build the DOT source of a 10,000-tensor graph (the chain without its sum: 9,999 ops,
    after backward so gradients are drawn too) with ``tinygrad_course.viz.draw_graph``."""
    d = make_chain_data("W7", size)
    tensors = 3 * d.triples + 1
    row = Row("W7", f"DOT of a {tensors:,}-tensor graph (draw_graph)", "s", target="< 1 s")
    try:
        from tinygrad_course.viz import draw_graph
    except ImportError as e:
        row.notes.append(f"not available: tinygrad_course.viz.draw_graph does not import ({e})")
        return row
    x = Tensor(d.x0, requires_grad=True)
    y = x
    for t in range(d.triples):
        c, a = d.pairs[t & 1]
        y = (y * c + a).tanh()
    y.backward(np.ones_like(y.data))
    times = []
    for rnd in range(warmup + repeats):
        with fresh_heap():
            t0 = clock()
            source = draw_graph(y, max_nodes=None).source
            seconds = clock() - t0
        if rnd >= warmup:
            times.append(seconds)
    row.samples["engine"] = times
    row.values["engine"] = statistics.median(times)
    row.passed = row.values["engine"] < 1.0
    row.extra = {"size": size, "tensors": tensors, "dot_chars": len(source)}
    return row
