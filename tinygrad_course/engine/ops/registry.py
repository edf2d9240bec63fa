"""The op registry: every primitive states its forward and its local derivative side by side.

An op's ``vjps[i](xp, g, out, *args, **kw)`` returns the gradient for input ``i`` given the
upstream gradient ``g`` (the chain rule's "dout"). ``xp`` is the array namespace the rule runs
in (engine/xp.py): plain numpy for ordinary backward, or Tensor functions when
``create_graph=True`` so that gradients are themselves differentiable. Elementwise ops may
return a gradient of the broadcast shape; the engine reduces it to the input's shape with
:func:`unbroadcast`.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

__all__ = ["Op", "REGISTRY", "defop", "unbroadcast", "Variadic"]

Vjp = Callable[..., Any]

REGISTRY: dict[str, Op] = {}


@dataclass(frozen=True, eq=False)
class Op:
    """One primitive: ``forward(*arrays, **kw)`` and one vjp per input position.

    ``rules`` gives, per input, the local derivative as text (for graph pictures and docs);
    ``symbol`` is how the op is drawn (``*`` for mul).
    """

    name: str
    symbol: str
    forward: Callable[..., Any]
    vjps: Sequence[Vjp]
    rules: Sequence[str]
    elementwise: bool = False

    def __repr__(self) -> str:
        return f"Op({self.name!r})"


class Variadic(Sequence[Vjp]):
    """The vjps of an op with any number of inputs (concatenate, stack): ``vjps[i]``.

    Each rule is made once and kept, so ``vjps[i]`` is the same function every time (tools
    find an input's position by identity, as for any other op).
    """

    def __init__(self, make: Callable[[int], Vjp]) -> None:
        self._make = make
        self._made: list[Vjp] = []

    def __getitem__(self, i: Any) -> Any:
        if not isinstance(i, int) or i < 0:
            raise IndexError(i)
        made = self._made
        while len(made) <= i:
            made.append(self._make(len(made)))
        return made[i]

    def __len__(self) -> int:  # unbounded; reported as 0 so sweeps know to skip counting
        return 0

    def __iter__(self) -> Iterator[Vjp]:  # zip(inputs, op.vjps) takes as many as there are
        return map(self.__getitem__, itertools.count())


def defop(name: str, symbol: str, forward: Callable[..., Any], vjps: Sequence[Vjp],
          rules: Sequence[str], *, elementwise: bool = False) -> Op:
    """Register a primitive and return it. Names are unique."""
    if name in REGISTRY:
        raise ValueError(f"op {name!r} is already registered")
    op = Op(name, symbol, forward, vjps, rules, elementwise)
    REGISTRY[name] = op
    return op


def unbroadcast(g: np.ndarray, shape: tuple[int, ...]) -> np.ndarray:
    """Sum a broadcast gradient back to ``shape`` (the one helper every op relies on).

    >>> unbroadcast(np.ones((3, 4)), (3, 1)).ravel().tolist()
    [4.0, 4.0, 4.0]
    >>> unbroadcast(np.ones((2, 3)), ()).item()
    6.0
    """
    if g.shape == shape:
        return g
    lead = g.ndim - len(shape)
    axes = tuple(range(lead)) + tuple(
        i + lead for i, n in enumerate(shape) if n == 1 and g.shape[i + lead] != 1)
    if axes:
        g = np.add.reduce(g, axis=axes, keepdims=True)  # the C reduction, no Python wrapper
    return g.reshape(shape)


def _scatter(g: np.ndarray, index: Any, shape: tuple[int, ...]) -> np.ndarray:
    """Zeros of ``shape`` with ``g`` added at ``index``; repeated indices accumulate."""
    out = np.zeros(shape, dtype=g.dtype)
    if _is_basic_index(index):
        out[index] = g  # a basic index never repeats an element: plain assignment is exact
    else:
        np.add.at(out, index, g)
    return out


def _is_basic_index(index: Any) -> bool:
    parts = index if isinstance(index, tuple) else (index,)
    return all(p is None or p is Ellipsis or isinstance(p, (int, np.integer, slice))
               for p in parts)
