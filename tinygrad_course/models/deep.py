"""Week 4: the L-layer network ``[LINEAR -> RELU] * (L-1) -> LINEAR -> SIGMOID``."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np

from ..nn import init as _init
from ..nn.layers import Linear, Module, Sequential, Sigmoid, activation
from .base import Model

__all__ = ["DeepNN"]


class DeepNN(Model):
    """An L-layer network for ``layer_dims = [n_x, n[1], ..., n[L]]``.

    ``init="course_deep"`` (the default) is the week-4 application's draw: one legacy
    ``np.random.seed(seed)`` (default 1) then, layer by layer,
    ``W[l] = randn(n[l], n[l-1]) / sqrt(n[l-1])``, biases zero. Other inits:
    ``nn.init.SCHEMES`` (``"he"`` suits relu layers; ``"course"`` is an old alias of
    ``"course_deep"`` here).

    >>> net = DeepNN([5, 4, 3, 1])
    >>> [p.name for p in net.parameters()]
    ['W[1]', 'b[1]', 'W[2]', 'b[2]', 'W[3]', 'b[3]']
    """

    def __init__(self, layer_dims: Sequence[int], hidden_activation: str = "relu",
                 init: str = "course_deep", seed: _init.Seed = 1, dtype: Any = np.float64) -> None:
        for n in layer_dims:  # int(3.7) would quietly build a 3-unit layer
            if isinstance(n, bool) or not isinstance(n, (int, np.integer)) or n < 1:
                raise ValueError(f"DeepNN: every layer size in layer_dims must be a positive "
                                 f"int (n[l] units), got {n!r} in {list(layer_dims)}")
        dims = [int(n) for n in layer_dims]
        if len(dims) < 2:
            raise ValueError(f"layer_dims needs at least [n_x, n_y], got {list(layer_dims)}")
        self.layer_dims = dims
        self.hidden_activation = hidden_activation
        layers: list[Module] = []
        for l in range(1, len(dims)):
            layers.append(Linear(dims[l - 1], dims[l], init="zeros", dtype=dtype))
            layers.append(activation(hidden_activation) if l < len(dims) - 1 else Sigmoid())
        self.net = Sequential(*layers)
        _init.initialize(self.net, "course_deep" if init == "course" else init, seed)

    def extra_repr(self) -> str:
        return f"layer_dims={self.layer_dims}, hidden_activation={self.hidden_activation!r}"
