"""W4: a 784-256-128-10 relu MLP with a softmax cross-entropy cost, float32, minibatches of 64.

The data are synthetic (28×28-sized inputs labelled by a hidden random "teacher" layer, fixed
seed) and split into contiguous (784, 64) minibatches before timing, as a data loader would;
every implementation runs the same sequence of minibatch SGD steps.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from tinygrad_course import Tensor
from tinygrad_course.losses import softmax_cross_entropy

from .backends import installed_impls, require, skip_notes
from .harness import Factory, Runner, Workload

__all__ = ["W4", "make_mlp_data"]

DIMS = (784, 256, 128, 10)
BATCH = 64
STEPS = {"tiny": 3, "quick": 40, "full": 200}  # minibatch steps per timed run
LR = 0.05


@dataclass
class MLPData:
    """Minibatches ``(X (784, 64), Y one-hot (10, 64))`` and initial ``[W1, b1, W2, ...]``."""

    batches: list[tuple[np.ndarray, np.ndarray]]
    params: list[np.ndarray]
    steps: int


def make_mlp_data(size: str) -> MLPData:
    """Deterministic float32 data: at most 32 distinct minibatches, cycled for longer runs."""
    rng = np.random.default_rng(4)
    steps = STEPS[size]
    n_batches = min(steps, 32)
    m = BATCH * n_batches
    X = rng.standard_normal((DIMS[0], m)).astype(np.float32)
    teacher = rng.standard_normal((DIMS[-1], DIMS[0])).astype(np.float32)
    labels = np.argmax(teacher @ X, axis=0)
    Y = np.zeros((DIMS[-1], m), dtype=np.float32)
    Y[labels, np.arange(m)] = 1
    batches = [(np.ascontiguousarray(X[:, k * BATCH:(k + 1) * BATCH]),
                np.ascontiguousarray(Y[:, k * BATCH:(k + 1) * BATCH])) for k in range(n_batches)]
    params: list[np.ndarray] = []
    for n, n_prev in zip(DIMS[1:], DIMS[:-1]):  # He initialization for relu layers
        W = rng.standard_normal((n, n_prev)) * np.sqrt(2 / n_prev)
        params += [W.astype(np.float32), np.zeros((n, 1), dtype=np.float32)]
    return MLPData(batches, params, steps)


def _result(losses: list[float]) -> np.ndarray:
    return np.array([losses[-1], float(np.mean(losses))])


def numpy_factory(d: MLPData) -> Runner:
    """Hand-written forward/backward: dZ[3] = (softmax - Y) / m, relu masks, no dX."""
    ps = [p.copy() for p in d.params]

    def run() -> np.ndarray:
        losses = []
        W1, b1, W2, b2, W3, b3 = ps
        for step in range(d.steps):
            X, Y = d.batches[step % len(d.batches)]
            m = X.shape[1]
            Z1 = W1 @ X + b1
            A1 = np.maximum(Z1, 0)
            Z2 = W2 @ A1 + b2
            A2 = np.maximum(Z2, 0)
            Z3 = W3 @ A2 + b3
            shifted = Z3 - Z3.max(axis=0, keepdims=True)  # stable softmax
            E = np.exp(shifted)
            S = E.sum(axis=0, keepdims=True)
            losses.append(float(-np.sum(Y * (shifted - np.log(S))) / m))
            dZ3 = (E / S - Y) / m
            dZ2 = (W3.T @ dZ3) * (Z2 > 0)
            dZ1 = (W2.T @ dZ2) * (Z1 > 0)
            for p, g in ((W3, dZ3 @ A2.T), (b3, dZ3.sum(axis=1, keepdims=True)),
                         (W2, dZ2 @ A1.T), (b2, dZ2.sum(axis=1, keepdims=True)),
                         (W1, dZ1 @ X.T), (b1, dZ1.sum(axis=1, keepdims=True))):
                p -= LR * g
        return _result(losses)

    return run


def engine_factory(d: MLPData) -> Runner:
    batches = [(Tensor(X), Tensor(Y)) for X, Y in d.batches]
    ps = [Tensor(p, requires_grad=True) for p in d.params]

    def run() -> np.ndarray:
        losses = []
        W1, b1, W2, b2, W3, b3 = ps
        for step in range(d.steps):
            X, Y = batches[step % len(batches)]
            A1 = (W1 @ X + b1).relu()
            A2 = (W2 @ A1 + b2).relu()
            Z3 = W3 @ A2 + b3
            cost = softmax_cross_entropy(Z3, Y)  # the library's cost (one fused op)
            cost.backward()
            for p in ps:
                p.data -= LR * p.grad
                p.zero_grad()
            losses.append(cost.item())
        return _result(losses)

    return run


def torch_factory(d: MLPData) -> Runner:
    torch = require("torch")
    batches = [(torch.from_numpy(X), torch.from_numpy(Y)) for X, Y in d.batches]
    ps = [torch.tensor(p, requires_grad=True) for p in d.params]

    def run() -> np.ndarray:
        losses = []
        W1, b1, W2, b2, W3, b3 = ps
        for step in range(d.steps):
            X, Y = batches[step % len(batches)]
            A1 = torch.relu(W1 @ X + b1)
            A2 = torch.relu(W2 @ A1 + b2)
            Z3 = W3 @ A2 + b3
            # torch's fused cost; its layout is (m, C), ours (C, m)
            cost = torch.nn.functional.cross_entropy(Z3.T, Y.T)
            cost.backward()
            with torch.no_grad():
                for p in ps:
                    p -= LR * p.grad
                    p.grad = None
            losses.append(cost.item())
        return _result(losses)

    return run


def autograd_factory(d: MLPData) -> Runner:
    ag, anp = require("autograd"), require("autograd.numpy")

    def cost_of(ps: list[Any], X: np.ndarray, Y: np.ndarray) -> Any:
        W1, b1, W2, b2, W3, b3 = ps
        A1 = anp.maximum(anp.dot(W1, X) + b1, 0)
        A2 = anp.maximum(anp.dot(W2, A1) + b2, 0)
        Z3 = anp.dot(W3, A2) + b3
        top = anp.max(Z3, axis=0, keepdims=True)  # stable log-sum-exp (its gradient cancels)
        lse = top + anp.log(anp.sum(anp.exp(Z3 - top), axis=0, keepdims=True))
        return -anp.sum(Y * (Z3 - lse)) / X.shape[1]

    step_fn = ag.value_and_grad(cost_of)

    def run() -> np.ndarray:
        losses, ps = [], [p.copy() for p in d.params]
        for step in range(d.steps):
            X, Y = d.batches[step % len(d.batches)]
            cost, grads = step_fn(ps, X, Y)
            ps = [p - np.float32(LR) * g for p, g in zip(ps, grads)]
            losses.append(float(cost))
        return _result(losses)

    return run


def _impls() -> dict[str, Factory]:
    from .workloads_compiled import mlp_compiled, mlp_jax
    return installed_impls(engine=engine_factory, numpy=numpy_factory, torch=torch_factory,
                           autograd=autograd_factory, compiled=mlp_compiled, jax=mlp_jax)


W4 = Workload("W4", "MLP 784-256-128-10 softmax CE, float32, batch 64", make_mlp_data, _impls(),
              rtol=1e-3, target=1.15, compiled_target=1.00,
              notes=skip_notes())
