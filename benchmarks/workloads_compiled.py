"""The compiled column (``tc.compile``) and JAX's ``jit`` as a peer, for W1-W5.

Each writes the same math as the engine's version. The compiled step and the jitted step are
made once per data set (the harness's untimed warm-up round pays the trace/compile), and the
parameters are arguments, so every timed run starts from the same initial values.
"""

from __future__ import annotations

from typing import Any

import numpy as np

import tinygrad_course as tc
from tinygrad_course import Tensor
from tinygrad_course.engine.ops.loss import SOFTMAX_CROSS_ENTROPY
from tinygrad_course.engine.record import apply
from tinygrad_course.losses import binary_cross_entropy
from tinygrad_course.optim import SGD

from .backends import require
from .harness import Runner

__all__ = ["bce_compiled", "bce_jax", "mlp_compiled", "mlp_jax", "chain_compiled",
           "chain_jax", "jax_module"]

_made: dict[tuple[str, int], Any] = {}  # (kind, id(data)) -> the compiled/jitted step


def _once(kind: str, d: Any, make: Any) -> Any:
    key = (kind, id(d))
    if key not in _made:
        _made.clear() if len(_made) > 16 else None
        _made[key] = (d, make())  # keep d alive so that its id is not reused
    return _made[key][1]


def jax_module() -> Any:
    """jax with float64 enabled (the course's workloads are float64)."""
    jax = require("jax")
    jax.config.update("jax_enable_x64", True)
    return jax


# --- W1-W3 -----------------------------------------------------------------------------------
def _bce_forward(hidden: str, X: Any, Y: Any, ps: tuple[Tensor, ...]) -> Tensor:
    if hidden:
        A = X
        L = len(ps) // 2
        for i in range(L):
            Z = ps[2 * i] @ A + ps[2 * i + 1]
            A = Z.sigmoid() if i == L - 1 else (Z.relu() if hidden == "relu" else Z.tanh())
    else:
        A = (ps[0].T @ X + ps[1]).sigmoid()
    return binary_cross_entropy(A, Y)


def bce_compiled(d: Any) -> Runner:
    """W1-W3 as ``fit(compile=True)`` runs them: ``tc.compile_step`` of the cost (X and Y
    captured, parameters as arguments) with SGD; the trace is shared by every run."""
    X, Y, lr = Tensor(d.X), d.Y, d.lr
    cost_fn = _once("bce", d, lambda: tc.compile(lambda *ps: _bce_forward(d.hidden, X, Y, ps)))
    ps = [Tensor(p, requires_grad=True) for p in d.params]
    step = tc.compile_step(cost_fn, SGD(ps, lr=lr))

    def run() -> np.ndarray:
        for _ in range(d.iters):
            cost = step(*ps)
        return np.array([float(cost.data)])
    return run


def bce_jax(d: Any) -> Runner:
    jax = jax_module()
    jnp = jax.numpy
    X, Y, m, lr = jnp.asarray(d.X), jnp.asarray(d.Y), d.X.shape[1], d.lr

    def cost_of(ps: list[Any]) -> Any:
        if d.hidden:
            A = X
            L = len(ps) // 2
            for i in range(L):
                Z = ps[2 * i] @ A + ps[2 * i + 1]
                if i == L - 1:
                    A = 1 / (1 + jnp.exp(-Z))
                else:
                    A = jnp.maximum(Z, 0) if d.hidden == "relu" else jnp.tanh(Z)
        else:
            A = 1 / (1 + jnp.exp(-(ps[0].T @ X + ps[1])))
        return -jnp.sum(Y * jnp.log(A) + (1 - Y) * jnp.log(1 - A)) / m

    def make() -> Any:
        vg = jax.value_and_grad(cost_of)

        def step(ps: list[Any]) -> Any:
            cost, grads = vg(ps)
            return cost, [p - lr * g for p, g in zip(ps, grads)]
        return jax.jit(step)
    step = _once("bce-jax", d, make)
    ps0 = [jnp.asarray(p) for p in d.params]

    def run() -> np.ndarray:
        ps = ps0
        for _ in range(d.iters):
            cost, ps = step(ps)
        return np.array([float(cost)])
    return run


# --- W4 --------------------------------------------------------------------------------------
def _mlp_cost(X: Tensor, Y: np.ndarray, W1: Tensor, b1: Tensor, W2: Tensor, b2: Tensor,
              W3: Tensor, b3: Tensor) -> Tensor:
    A1 = (W1 @ X + b1).relu()
    A2 = (W2 @ A1 + b2).relu()
    Z3 = W3 @ A2 + b3
    # The fused cost with the labels as an argument (softmax_cross_entropy would copy them
    # with astype, a value tc.compile refuses to freeze).
    return apply(SOFTMAX_CROSS_ENTROPY, (Z3, Y), {"scale": -1.0 / X.shape[1]})


def mlp_compiled(d: Any) -> Runner:
    from .workloads_mlp import LR, _result
    cost_fn = _once("mlp", d, lambda: tc.compile(_mlp_cost))
    batches = [(Tensor(X), Y) for X, Y in d.batches]
    ps = [Tensor(p, requires_grad=True) for p in d.params]
    step = tc.compile_step(cost_fn, SGD(ps, lr=LR))

    def run() -> np.ndarray:
        losses = []
        for k in range(d.steps):
            X, Y = batches[k % len(batches)]
            losses.append(float(step(X, Y, *ps).data))
        return _result(losses)
    return run


def mlp_jax(d: Any) -> Runner:
    from .workloads_mlp import LR, _result
    jax = jax_module()
    jnp = jax.numpy

    def cost_of(ps: list[Any], X: Any, Y: Any) -> Any:
        W1, b1, W2, b2, W3, b3 = ps
        A1 = jnp.maximum(W1 @ X + b1, 0)
        A2 = jnp.maximum(W2 @ A1 + b2, 0)
        Z3 = W3 @ A2 + b3
        return -jnp.sum(Y * jax.nn.log_softmax(Z3, axis=0)) / X.shape[1]

    def make() -> Any:
        vg = jax.value_and_grad(cost_of)

        def step(ps: list[Any], X: Any, Y: Any) -> Any:
            cost, grads = vg(ps, X, Y)
            return cost, [p - np.float32(LR) * g for p, g in zip(ps, grads)]
        return jax.jit(step)
    step = _once("mlp-jax", d, make)
    batches = [(jnp.asarray(X), jnp.asarray(Y)) for X, Y in d.batches]
    ps0 = [jnp.asarray(p) for p in d.params]

    def run() -> np.ndarray:
        losses, ps = [], ps0
        for k in range(d.steps):
            X, Y = batches[k % len(batches)]
            cost, ps = step(ps, X, Y)
            losses.append(float(cost))
        return _result(losses)
    return run


# --- W5 --------------------------------------------------------------------------------------
def _chain(d: Any) -> Any:
    def f(x: Tensor) -> Tensor:
        y = x
        for t in range(d.triples):
            c, a = d.pairs[t & 1]
            y = (y * c + a).tanh()
        return y.sum()
    return tc.compile(f)


def chain_compiled(d: Any) -> tuple[np.ndarray, float, float]:
    """The chain compiled once (the first call traces; see _once), then forward + backward."""
    from .backends import clock
    f = _once("chain", d, lambda: _chain(d))
    t0 = clock()
    x = Tensor(d.x0, requires_grad=True)
    loss = f(x)
    t1 = clock()
    loss.backward()
    t2 = clock()
    return np.concatenate([[float(loss.data)], x.grad.ravel()]), t1 - t0, t2 - t1


def chain_jax(d: Any) -> tuple[np.ndarray, float, float]:
    """The chain as a JAX user writes it: ``lax.fori_loop`` over the alternating triples
    (XLA took minutes to compile the 10,000-op chain unrolled)."""
    from .backends import clock
    jax = jax_module()
    jnp = jax.numpy

    def make() -> Any:
        (c0, a0), (c1, a1) = [(jnp.asarray(c), jnp.asarray(a)) for c, a in d.pairs]

        def two(_: Any, y: Any) -> Any:
            return jnp.tanh(jnp.tanh(y * c0 + a0) * c1 + a1)

        def f(x: Any) -> Any:
            y = jax.lax.fori_loop(0, d.triples // 2, two, x)
            if d.triples % 2:
                y = jnp.tanh(y * c0 + a0)
            return jnp.sum(y)
        return jax.jit(jax.value_and_grad(f))
    vg = _once("chain-jax", d, make)
    t0 = clock()
    loss, g = vg(jnp.asarray(d.x0))
    out = np.concatenate([[float(loss)], np.asarray(g).ravel()])
    return out, clock() - t0, 0.0
