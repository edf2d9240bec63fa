"""Optimizers that update parameters in place from their ``.grad``: the course's gradient
descent (``SGD``), gradient descent with momentum, and Adam."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import numpy as np

from .engine.tensor import Tensor
from .engine.versions import mark_modified

__all__ = ["Optimizer", "SGD", "Momentum", "Adam", "make_optimizer"]


class Optimizer:
    """Holds the parameters and the learning rate; subclasses define ``step``."""

    def __init__(self, params: Iterable[Tensor], lr: float) -> None:
        self.params = list(params)
        if not self.params:
            raise ValueError(f"{type(self).__name__} got no parameters to optimize")
        for p in self.params:
            if not isinstance(p, Tensor) or not p.is_leaf:
                raise TypeError(f"{type(self).__name__} optimizes leaf Tensors (parameters), "
                                f"got {p!r}")
        lr = float(lr)
        if not np.isfinite(lr) or lr <= 0:
            raise ValueError(f"learning rate must be a positive number, got {lr}")
        self.lr = lr

    def zero_grad(self) -> None:
        """Forget the gradients (they accumulate across ``backward`` calls)."""
        for p in self.params:
            p.grad = None

    def step(self) -> None:
        """Update every parameter that has a gradient, in place (then ``zero_grad()``)."""
        self.begin()
        update = self.update
        for k, p in enumerate(self.params):
            g = p.grad
            if g is not None:
                update(k, p._data, g)  # in place: the graph of this step is already consumed
                # Stamped, so that a graph recorded before this step and not differentiated
                # yet refuses backward instead of giving a wrong gradient.
                mark_modified(p)

    def begin(self) -> None:
        """Called once per step before the updates (Adam counts its steps here)."""

    def update(self, k: int, W: np.ndarray, dW: np.ndarray) -> None:
        """The rule: change the array ``W`` of parameter ``k`` in place, given ``dW``. The
        same rule serves ``step()`` and ``tc.compile_step`` (compiled training steps)."""
        raise NotImplementedError(
            f"{type(self).__name__} defines no update(k, W, dW): the rule that changes one "
            "parameter's array in place, which step() and tc.compile_step run")

    def __repr__(self) -> str:
        return f"{type(self).__name__}(lr={self.lr}, {len(self.params)} parameters)"


class SGD(Optimizer):
    """The course's gradient descent: ``W = W - learning_rate * dW`` for every parameter.

    >>> w = Tensor([1.0], requires_grad=True)
    >>> (w * w).sum().backward()
    >>> SGD([w], lr=0.1).step()
    >>> w.data.tolist()
    [0.8]
    """

    def update(self, k: int, W: np.ndarray, dW: np.ndarray) -> None:
        W -= self.lr * dW


class Momentum(Optimizer):
    """Gradient descent with momentum (course 2): ``v = beta v + (1 - beta) dW;
    W = W - learning_rate * v``, with ``v`` starting at zeros."""

    def __init__(self, params: Iterable[Tensor], lr: float, beta: float = 0.9) -> None:
        super().__init__(params, lr)
        if not 0 <= beta < 1:
            raise ValueError(f"momentum beta must be in [0, 1), got {beta}")
        self.beta = float(beta)
        self.v = [np.zeros_like(p.data) for p in self.params]

    def update(self, k: int, W: np.ndarray, dW: np.ndarray) -> None:
        v = self.v[k]
        v *= self.beta
        v += (1 - self.beta) * dW
        W -= self.lr * v


class Adam(Optimizer):
    """Adam as course 2 writes it: momentum ``v`` and RMS ``s`` with bias correction,
    ``W = W - learning_rate * v_corrected / (sqrt(s_corrected) + epsilon)``."""

    def __init__(self, params: Iterable[Tensor], lr: float = 0.001, beta1: float = 0.9,
                 beta2: float = 0.999, epsilon: float = 1e-8) -> None:
        super().__init__(params, lr)
        for name, b in (("beta1", beta1), ("beta2", beta2)):
            if not 0 <= b < 1:
                raise ValueError(f"Adam {name} must be in [0, 1), got {b}")
        self.beta1, self.beta2, self.epsilon = float(beta1), float(beta2), float(epsilon)
        self.t = 0
        self.v = [np.zeros_like(p.data) for p in self.params]
        self.s = [np.zeros_like(p.data) for p in self.params]

    def begin(self) -> None:
        self.t += 1

    def update(self, k: int, W: np.ndarray, dW: np.ndarray) -> None:
        b1, b2, t = self.beta1, self.beta2, self.t
        c1, c2 = 1 - b1 ** t, 1 - b2 ** t
        v, s = self.v[k], self.s[k]
        v *= b1
        v += (1 - b1) * dW
        s *= b2
        s += (1 - b2) * (dW * dW)
        W -= self.lr * (v / c1) / (np.sqrt(s / c2) + self.epsilon)


def make_optimizer(spec: Any, params: Iterable[Tensor], lr: float) -> Optimizer:
    """An optimizer from a name (``"sgd"``, ``"momentum"``, ``"adam"``) or pass one through."""
    if isinstance(spec, Optimizer):
        return spec
    table: dict[str, type[Optimizer]] = {"sgd": SGD, "gd": SGD, "momentum": Momentum,
                                         "adam": Adam}
    if not isinstance(spec, str) or spec.lower() not in table:
        raise ValueError(f"unknown optimizer {spec!r}; choose 'sgd', 'momentum' or 'adam', or "
                         "pass an Optimizer")
    return table[spec.lower()](params, lr)
