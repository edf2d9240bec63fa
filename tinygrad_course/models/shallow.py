"""Week 3: a network with one hidden layer, ``(n_x, n_h, n_y)``, tanh (or relu) then sigmoid."""

from __future__ import annotations

from typing import Any

import numpy as np

from ..nn import init as _init
from ..nn.layers import Linear, Sequential, Sigmoid
from ..nn.layers import activation as make_activation
from .base import Model

__all__ = ["ShallowNN"]


class ShallowNN(Model):
    """``Z1 = W1 @ X + b1; A1 = g(Z1); Z2 = W2 @ A1 + b2; A2 = sigmoid(Z2)``.

    ``init="course_small"`` (the default) is the course's draw: a legacy
    ``np.random.seed(seed)`` then ``W1 = randn(n_h, n_x) * 0.01`` and
    ``W2 = randn(n_y, n_h) * 0.01``, biases zero. The week-4 two-layer model uses ``seed=1``
    (the default); the week-3 planar notebook uses ``seed=2``. Other inits:
    ``nn.init.SCHEMES`` (``"course"`` is an old alias of ``"course_small"`` here).

    >>> net = ShallowNN(2, 4)
    >>> [(name, p.shape) for name, p in net.named_parameters()]
    [('W[1]', (4, 2)), ('b[1]', (4, 1)), ('W[2]', (1, 4)), ('b[2]', (1, 1))]
    """

    def __init__(self, n_x: int, n_h: int, n_y: int = 1, activation: str = "tanh",
                 init: str = "course_small", seed: _init.Seed = 1, dtype: Any = np.float64) -> None:
        self.activation = activation
        self.net = Sequential(Linear(n_x, n_h, dtype=dtype, init="zeros"),
                              make_activation(activation),
                              Linear(n_h, n_y, dtype=dtype, init="zeros"), Sigmoid())
        _init.initialize(self.net, "course_small" if init == "course" else init, seed)

    def extra_repr(self) -> str:
        return (f"n_x={self.n_x}, n_h={self.linears[0].n_out}, n_y={self.n_y}, "
                f"activation={self.activation!r}")

