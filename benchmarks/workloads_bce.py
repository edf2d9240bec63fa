"""W1-W3: the course's binary classifiers (cross-entropy cost), trained by full-batch descent.

W1 logistic regression on 12288×209 inputs (week 2), W2 the deep [12288, 20, 7, 5, 1]
relu/sigmoid net (week 4), W3 the planar (2, 4, 1) tanh/sigmoid net on 400 points (week 3).
The inputs are synthetic with the course's shapes and value ranges (pixels in [0, 1], the
"flower" for W3), made from a fixed seed, so the benchmark needs no data files.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from tinygrad_course import Tensor
from tinygrad_course.losses import binary_cross_entropy

from .backends import installed_impls, require, skip_notes
from .harness import Factory, Runner, Workload

__all__ = ["W1", "W2", "W3", "make_net_data"]

ITERS = {  # gradient-descent steps per timed run, by size
    "W1": {"tiny": 3, "quick": 20, "full": 100},
    "W2": {"tiny": 2, "quick": 10, "full": 40},
    "W3": {"tiny": 5, "quick": 300, "full": 1500},
}


@dataclass
class NetData:
    """Inputs ``X`` (n_x, m), labels ``Y`` (1, m), initial parameters and the schedule.

    ``params`` is ``[w, b]`` for logistic regression (``w`` is (n_x, 1): the course uses
    ``w.T @ X``) and ``[W1, b1, W2, b2, ...]`` for the nets.
    """

    X: np.ndarray
    Y: np.ndarray
    params: list[np.ndarray]
    hidden: str  # "relu" or "tanh" (the nets); "" for logistic regression
    lr: float
    iters: int


def _pictures(rng: np.random.Generator, m: int = 209, n_x: int = 12288
              ) -> tuple[np.ndarray, np.ndarray]:
    """Cat-sized inputs in [0, 1] with labels from a hidden linear rule (learnable, balanced)."""
    X = rng.random((n_x, m))
    score = rng.standard_normal(n_x) @ (X - 0.5)
    return X, (score > np.median(score)).astype(np.float64).reshape(1, m)


def _flower(rng: np.random.Generator, m: int = 400) -> tuple[np.ndarray, np.ndarray]:
    """The course's planar "flower" data set (load_planar_dataset), as columns."""
    n, X, Y = m // 2, np.zeros((m, 2)), np.zeros((m, 1))
    for j in range(2):
        ix = slice(n * j, n * (j + 1))
        t = np.linspace(j * 3.12, (j + 1) * 3.12, n) + rng.standard_normal(n) * 0.2
        r = 4 * np.sin(4 * t) + rng.standard_normal(n) * 0.2
        X[ix] = np.c_[r * np.sin(t), r * np.cos(t)]
        Y[ix] = j
    return X.T.copy(), Y.T.copy()


def make_net_data(key: str, size: str) -> NetData:
    """The data and initial parameters of W1, W2 or W3 (deterministic)."""
    rng = np.random.default_rng(1)
    iters = ITERS[key][size]
    if key == "W1":
        X, Y = _pictures(rng)
        return NetData(X, Y, [np.zeros((X.shape[0], 1)), np.zeros((1, 1))], "", 0.005, iters)
    if key == "W2":
        X, Y = _pictures(rng)
        dims, hidden, lr = [X.shape[0], 20, 7, 5, 1], "relu", 0.0075
        # initialize_parameters_deep of the course's week 4 assignment: randn / sqrt(n[l-1])
        scale = [1 / np.sqrt(n) for n in dims[:-1]]
    else:
        X, Y = _flower(rng)
        dims, hidden, lr = [2, 4, 1], "tanh", 1.2
        scale = [0.01] * (len(dims) - 1)  # the planar assignment: randn * 0.01
    params: list[np.ndarray] = []
    for n, n_prev, s in zip(dims[1:], dims[:-1], scale):
        params += [rng.standard_normal((n, n_prev)) * s, np.zeros((n, 1))]
    return NetData(X, Y, params, hidden, lr, iters)


# --- hand-written numpy: the course's vectorized formulas, the floor ------------------------
def _sigmoid(z: np.ndarray) -> np.ndarray:
    return 1 / (1 + np.exp(-z))


def _cost(A: np.ndarray, Y: np.ndarray) -> float:
    return float(-np.sum(Y * np.log(A) + (1 - Y) * np.log(1 - A)) / Y.shape[1])


def numpy_factory(d: NetData) -> Runner:
    """Forward, cost and backward by hand; dZ[L] = A[L] - Y; no dA[0] (nobody needs dX)."""
    X, Y, m, lr = d.X, d.Y, d.X.shape[1], d.lr
    ps = [p.copy() for p in d.params]

    def run_logreg() -> np.ndarray:
        w, b = ps
        for _ in range(d.iters):
            A = _sigmoid(w.T @ X + b)
            cost = _cost(A, Y)
            dZ = A - Y
            w -= lr * (X @ dZ.T) / m
            b -= lr * np.sum(dZ) / m
        return np.array([cost])

    def run_net() -> np.ndarray:
        L = len(ps) // 2
        for _ in range(d.iters):
            caches, A = [], X
            for i in range(L):
                Z = ps[2 * i] @ A + ps[2 * i + 1]
                caches.append((A, Z))
                if i == L - 1:
                    A = _sigmoid(Z)
                else:
                    A = np.maximum(Z, 0) if d.hidden == "relu" else np.tanh(Z)
            cost = _cost(A, Y)
            dZ = A - Y
            for i in reversed(range(L)):
                A_prev, _ = caches[i]
                dW = dZ @ A_prev.T / m
                db = np.sum(dZ, axis=1, keepdims=True) / m
                if i > 0:
                    dA = ps[2 * i].T @ dZ
                    Z_prev = caches[i - 1][1]
                    dZ = dA * (Z_prev > 0) if d.hidden == "relu" else dA * (1 - A_prev ** 2)
                ps[2 * i] -= lr * dW
                ps[2 * i + 1] -= lr * db
        return np.array([cost])

    return run_net if d.hidden else run_logreg


# --- the engine: the same math written with Tensor ops, gradients by backward() -------------
def engine_factory(d: NetData) -> Runner:
    X, Y, lr = Tensor(d.X), Tensor(d.Y), d.lr
    ps = [Tensor(p, requires_grad=True) for p in d.params]

    def run() -> np.ndarray:
        for _ in range(d.iters):
            if d.hidden:
                A = X
                for i in range(len(ps) // 2):
                    Z = ps[2 * i] @ A + ps[2 * i + 1]
                    if i == len(ps) // 2 - 1:
                        A = Z.sigmoid()
                    else:
                        A = Z.relu() if d.hidden == "relu" else Z.tanh()
            else:
                A = (ps[0].T @ X + ps[1]).sigmoid()
            cost = binary_cross_entropy(A, Y)  # the library's cost (one fused op)
            cost.backward()
            for p in ps:  # gradient descent on .data: nothing recorded
                p.data -= lr * p.grad
                p.zero_grad()
        return np.array([cost.item()])

    return run


# --- PyTorch and HIPS autograd (optional): the same math with their autodiff ---------------
def torch_factory(d: NetData) -> Runner:
    torch = require("torch")
    X, Y, lr = torch.from_numpy(d.X), torch.from_numpy(d.Y), d.lr
    ps = [torch.tensor(p, requires_grad=True) for p in d.params]

    def run() -> np.ndarray:
        for _ in range(d.iters):
            if d.hidden:
                A = X
                for i in range(len(ps) // 2):
                    Z = ps[2 * i] @ A + ps[2 * i + 1]
                    if i == len(ps) // 2 - 1:
                        A = torch.sigmoid(Z)
                    else:
                        A = torch.relu(Z) if d.hidden == "relu" else torch.tanh(Z)
            else:
                A = torch.sigmoid(ps[0].T @ X + ps[1])
            cost = torch.nn.functional.binary_cross_entropy(A, Y)  # torch's fused cost
            cost.backward()
            with torch.no_grad():
                for p in ps:
                    p -= lr * p.grad
                    p.grad = None
        return np.array([cost.item()])

    return run


def autograd_factory(d: NetData) -> Runner:
    ag, anp = require("autograd"), require("autograd.numpy")
    X, Y, m, lr = d.X, d.Y, d.X.shape[1], d.lr

    def cost_of(ps: list[Any]) -> Any:
        if d.hidden:
            A = X
            for i in range(len(ps) // 2):
                Z = anp.dot(ps[2 * i], A) + ps[2 * i + 1]
                if i == len(ps) // 2 - 1:
                    A = 1 / (1 + anp.exp(-Z))
                else:
                    A = anp.maximum(Z, 0) if d.hidden == "relu" else anp.tanh(Z)
        else:
            A = 1 / (1 + anp.exp(-(anp.dot(ps[0].T, X) + ps[1])))
        return -anp.sum(Y * anp.log(A) + (1 - Y) * anp.log(1 - A)) / m

    step = ag.value_and_grad(cost_of)
    ps0 = [p.copy() for p in d.params]

    def run() -> np.ndarray:
        ps = ps0
        for _ in range(d.iters):
            cost, grads = step(ps)
            ps = [p - lr * g for p, g in zip(ps, grads)]
        return np.array([cost])

    return run


def _impls() -> dict[str, Factory]:
    from .workloads_compiled import bce_compiled, bce_jax
    return installed_impls(engine=engine_factory, numpy=numpy_factory, torch=torch_factory,
                           autograd=autograd_factory, compiled=bce_compiled, jax=bce_jax)


def _workload(key: str, title: str, target: float, compiled_target: float) -> Workload:
    return Workload(key, title, lambda size: make_net_data(key, size), _impls(), rtol=1e-6,
                    target=target, notes=skip_notes(), compiled_target=compiled_target)


W1 = _workload("W1", "logistic regression 12288×209, float64", 1.05, 1.00)
W2 = _workload("W2", "deep net [12288,20,7,5,1] relu/sigmoid, float64", 1.05, 1.00)
W3 = _workload("W3", "planar net (2,4,1) tanh/sigmoid, 400 examples", 2.5, 1.10)
