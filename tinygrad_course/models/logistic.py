"""Week 2: logistic regression as a one-neuron network, ``A = sigmoid(W @ X + b)``."""

from __future__ import annotations

from typing import Any

import numpy as np

from ..nn import init as _init
from ..nn.layers import Linear, Sequential, Sigmoid
from .base import Model

__all__ = ["LogisticRegression"]


class LogisticRegression(Model):
    """One sigmoid unit: ``W`` is ``(1, n_x)`` (the course's ``w.T``) and ``b`` is ``(1, 1)``.

    ``init="zeros"`` (the default) starts from zeros, as the week-2 notebook does; any of
    ``nn.init.SCHEMES`` works (``"course"`` is an old alias of ``"zeros"`` here).

    >>> import numpy as np
    >>> X = np.array([[0.0, 1.0, 2.0, 3.0]]); Y = np.array([[0, 0, 1, 1]])
    >>> model = LogisticRegression(1)
    >>> history = model.fit(X, Y, num_iterations=500, learning_rate=1.0)
    >>> round(history.costs[0], 6), model.predict(X).tolist()
    (0.693147, [[0, 0, 1, 1]])
    """

    def __init__(self, n_x: int, init: str = "zeros", seed: _init.Seed = None,
                 dtype: Any = np.float64) -> None:
        scheme = "zeros" if init == "course" else init
        self.net = Sequential(Linear(n_x, 1, init=scheme, seed=seed, dtype=dtype), Sigmoid())

    @property
    def W(self) -> Any:
        """The weights ``(1, n_x)``: the course's ``w`` transposed."""
        return self.linears[0].W

    @property
    def b(self) -> Any:
        """The bias ``(1, 1)``."""
        return self.linears[0].b

    def extra_repr(self) -> str:
        return f"n_x={self.n_x}"
