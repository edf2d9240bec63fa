"""Layers in the course's notation: ``Linear`` (Z = W @ A_prev + b), activations, Sequential."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any, ClassVar

import numpy as np

from ..engine.dtypes import SUPPORTED_DTYPES
from ..engine.tensor import Tensor, as_tensor
from . import init as _init
from .module import Module

__all__ = ["Linear", "Sigmoid", "Tanh", "ReLU", "LeakyReLU", "Sequential", "Activation",
           "ACTIVATIONS", "activation", "linears"]


class Linear(Module):
    """A fully connected layer: ``Z = W @ A_prev + b``.

    ``W`` is ``(n_out, n_in)`` and ``b`` is ``(n_out, 1)``; ``A_prev`` is ``(n_in, m)`` with one
    example per column, so ``Z`` is ``(n_out, m)``. ``init`` is one of ``nn.init.SCHEMES``
    (``b`` always starts at zeros, as in the course).

    >>> import numpy as np
    >>> layer = Linear(2, 3, init="zeros")
    >>> layer.W.shape, layer.b.shape
    ((3, 2), (3, 1))
    >>> layer(Tensor(np.ones((2, 5)))).shape
    (3, 5)
    """

    _leaf = True

    def __init__(self, n_in: int, n_out: int, init: str = "xavier", seed: _init.Seed = None,
                 dtype: Any = np.float64) -> None:
        for what, n in (("n_in", n_in), ("n_out", n_out)):
            if isinstance(n, bool) or not isinstance(n, (int, np.integer)) or n < 1:
                raise ValueError(f"Linear: {what} must be a positive int, got {n!r}")
        if np.dtype(dtype) not in SUPPORTED_DTYPES:
            raise TypeError(f"Linear: dtype must be float32 or float64, got {np.dtype(dtype)}")
        self.n_in, self.n_out = int(n_in), int(n_out)
        rng = _init.make_rng(seed, legacy=init.startswith("course"))
        self.W = Tensor(_init.draw(init, (self.n_out, self.n_in), rng, dtype),
                        requires_grad=True, name="W")
        self.b = Tensor(np.zeros((self.n_out, 1), dtype=dtype), requires_grad=True, name="b")
        self.set_index(None)

    def set_index(self, l: int | None) -> None:
        """Give the layer its course index ``l``: names ``W[l]``, ``b[l]``, ``Z[l]``."""
        self.index = l
        suffix = "" if l is None else f"[{l}]"
        self.W.name, self.b.name = "W" + suffix, "b" + suffix
        self.label = "Linear" if l is None else f"Linear {l}"
        self.out_name = None if l is None else f"Z[{l}]"

    def forward(self, A_prev: Any) -> Tensor:
        return self.W @ A_prev + self.b

    def extra_repr(self) -> str:
        return f"n_in={self.n_in}, n_out={self.n_out}"

    def shape_note(self) -> str:
        z = "Z" if self.index is None else f"Z[{self.index}]"
        return (f"{self.W.name} {self.W.shape}, {self.b.name} {self.b.shape} -> "
                f"{z} ({self.n_out}, m)")


class Activation(Module):
    """An elementwise activation ``A = g(Z)``; its output is named ``A[l]`` inside a net."""

    _leaf = True
    symbol: ClassVar[str] = "g"

    def __init__(self) -> None:
        self.set_index(None)

    def set_index(self, l: int | None) -> None:
        """Give the activation the index of the layer it belongs to (names ``A[l]``)."""
        self.index = l
        self.label = type(self).__name__ if l is None else f"{type(self).__name__} {l}"
        self.out_name = None if l is None else f"A[{l}]"

    def forward(self, Z: Any) -> Tensor:
        raise NotImplementedError

    def shape_note(self) -> str:
        return "" if self.index is None else f"A[{self.index}] = {self.symbol}(Z[{self.index}])"


class Sigmoid(Activation):
    """``A = 1 / (1 + exp(-Z))``, the course's output unit for yes/no questions.

    >>> Sigmoid()(Tensor([0.0])).data.tolist()
    [0.5]
    """

    symbol = "sigmoid"

    def forward(self, Z: Any) -> Tensor:
        return as_tensor(Z).sigmoid()


class Tanh(Activation):
    """``A = tanh(Z)``, the course's hidden unit in week 3."""

    symbol = "tanh"

    def forward(self, Z: Any) -> Tensor:
        return as_tensor(Z).tanh()


class ReLU(Activation):
    """``A = max(0, Z)``, the course's hidden unit in week 4."""

    symbol = "relu"

    def forward(self, Z: Any) -> Tensor:
        return as_tensor(Z).relu()


class LeakyReLU(Activation):
    """``A = Z`` where positive, else ``slope * Z``.

    >>> LeakyReLU(0.1)(Tensor([-2.0, 3.0])).data.tolist()
    [-0.2, 3.0]
    """

    symbol = "leaky_relu"

    def __init__(self, slope: float = 0.01) -> None:
        self.slope = float(slope)
        super().__init__()

    def forward(self, Z: Any) -> Tensor:
        return as_tensor(Z).leaky_relu(self.slope)

    def extra_repr(self) -> str:
        return f"slope={self.slope}"


ACTIVATIONS: dict[str, type[Activation]] = {
    "sigmoid": Sigmoid, "tanh": Tanh, "relu": ReLU, "leaky_relu": LeakyReLU}


def activation(name: str) -> Activation:
    """An activation layer by name (``"tanh"``, ``"relu"``, ``"sigmoid"``, ``"leaky_relu"``)."""
    try:
        return ACTIVATIONS[name]()
    except (KeyError, TypeError):
        raise ValueError(f"unknown activation {name!r}; choose one of "
                         f"{', '.join(ACTIVATIONS)}") from None


class Sequential(Module):
    """Layers applied in order. Numbers the layers as the course does: the l-th ``Linear`` and
    the activations after it get index ``l`` (names ``W[l]``, ``b[l]``, ``Z[l]``, ``A[l]``).

    >>> net = Sequential(Linear(2, 4), Tanh(), Linear(4, 1), Sigmoid())
    >>> [p.name for p in net.parameters()]
    ['W[1]', 'b[1]', 'W[2]', 'b[2]']
    """

    def __init__(self, *layers: Module) -> None:
        if len(layers) == 1 and isinstance(layers[0], (list, tuple)):
            layers = tuple(layers[0])
        for layer in layers:
            if not isinstance(layer, Module):
                raise TypeError(f"Sequential takes Modules, got {type(layer).__name__}")
        self.layers = list(layers)
        l = 0
        for layer in self.layers:
            if isinstance(layer, Linear):
                l += 1
                layer.set_index(l)
            elif isinstance(layer, Activation):
                layer.set_index(l if l > 0 else None)

    def forward(self, A: Any) -> Any:
        """Call each layer in turn (each leaf layer marks its call for graph pictures)."""
        return self.run(A, record=True)

    def run(self, A: Any, record: bool = False) -> Any:
        """Apply the layers; without ``record`` their calls are not marked nor their outputs
        named: the training loop's path, whose graphs nobody draws."""
        for layer in self.layers:
            A = layer(A) if record else layer.forward(A)
        return A

    def named_children(self) -> Iterator[tuple[str, Module]]:
        for i, layer in enumerate(self.layers):
            yield str(i), layer

    def __len__(self) -> int:
        return len(self.layers)

    def __getitem__(self, i: int) -> Module:
        return self.layers[i]

    def __iter__(self) -> Iterator[Module]:
        return iter(self.layers)


def linears(module: Module | Iterable[Any]) -> list[Linear]:
    """Every ``Linear`` inside ``module`` (or an iterable of modules), in order."""
    found: list[Linear] = []
    stack: list[Any] = [module] if isinstance(module, Module) else list(module)[::-1]
    while stack:
        m = stack.pop()
        if isinstance(m, Linear):
            found.append(m)
        elif isinstance(m, Module):
            stack.extend(child for _, child in reversed(list(m.named_children())))
    return found
