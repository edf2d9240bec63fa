"""The chain rule written out for one input: de/db = de/dc·dc/db + de/dd·dd/db = 2·1 + 3·1 = 5."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from ..engine.backward import gradients
from ..engine.tensor import Tensor
from .labels import fmt_number, local_derivative
from .walk import GraphWalk

__all__ = ["ChainRule", "Term", "ChainContext", "chain_rule"]


@dataclass(frozen=True)
class Term:
    """One consumer's share: d root/d consumer · d consumer/d input (numbers when scalar)."""

    consumer: str
    upstream: float | None
    local: float | None


@dataclass(frozen=True)
class ChainRule:
    """The gradient of ``root`` with respect to ``target`` as a sum over its consumers."""

    root: str
    target: str
    terms: tuple[Term, ...]
    value: float | None
    text: str
    on_path: frozenset[int]
    path_edges: frozenset[tuple[int, int]]

    def __str__(self) -> str:
        return self.text


class ChainContext:
    """Everything needed to explain any tensor of one graph: its walk and d root / d tensor.

    The gradients are computed once here (``autograd.gradients`` writes no ``.grad``), so
    explaining every tensor of a graph, as the step-by-step page does, costs one backward.
    """

    def __init__(self, walk: GraphWalk) -> None:
        self.walk = walk
        root = walk.root
        self.grads: dict[int, Any] = {}
        if root.size == 1 and root.requires_grad:
            values = gradients(root, walk.order)
            self.grads = {id(t): g for t, g in zip(walk.order, values) if g is not None}

    def on_path(self, x: Tensor) -> set[int]:
        """Tensors on some path from ``x`` to the root (``x`` and everything made from it)."""
        start = self.walk.index[id(x)]
        on = {id(x)}
        for t in self.walk.order[start + 1:]:
            if any(isinstance(p, Tensor) and id(p) in on for p in t.inputs):
                on.add(id(t))
        return on

    def explain(self, x: Tensor) -> ChainRule:
        """The chain rule for d root / d x, with numbers where every factor is a scalar."""
        walk = self.walk
        if id(x) not in walk.kept:
            raise ValueError("that tensor is not part of the drawn graph (is it an input of the "
                             "root, and within max_nodes of it?)")
        names = walk.names
        rn, xn = names[id(walk.root)], names[id(x)]
        on = self.on_path(x)
        edges = frozenset((id(p), id(t)) for t in walk.order if id(t) in on
                          for p in t.inputs if isinstance(p, Tensor) and id(p) in on)
        head = f"d{rn}/d{xn}"
        if x is walk.root:
            return ChainRule(rn, xn, (), 1.0, f"{head} = 1", frozenset(on), edges)
        terms = []
        for y, i in walk.consumers.get(id(x), []):
            up = self.grads.get(id(y))
            local = local_derivative(y, i)
            terms.append(Term(names[id(y)], _scalar(up), _scalar(local)))
        if not terms:
            text = f"{head} = 0 ({rn} does not depend on {xn})"
            return ChainRule(rn, xn, (), 0.0, text, frozenset(on), edges)
        symbolic = " + ".join(f"d{rn}/d{t.consumer}·d{t.consumer}/d{xn}" for t in terms)
        value: float | None = None
        text = f"{head} = {symbolic}"
        pairs = [(t.upstream, t.local) for t in terms]
        known = [(u, v) for u, v in pairs if u is not None and v is not None]
        if len(known) == len(pairs):
            value = float(sum(u * v for u, v in known))
            numbers = " + ".join(f"{fmt_number(u)}·{fmt_number(v)}" for u, v in known)
            text += f" = {numbers} = {fmt_number(value)}"
        return ChainRule(rn, xn, tuple(terms), value, text, frozenset(on), edges)


def _scalar(v: Any) -> float | None:
    if v is None:
        return None
    arr = np.asarray(v)
    return float(arr.reshape(())) if arr.size == 1 else None


def chain_rule(root: Tensor, x: Tensor | str, max_nodes: int | None = None) -> ChainRule:
    """d root / d x as the course writes it: a sum over the consumers of ``x``.

    ``x`` is a tensor of the graph or its name. Numbers appear where all factors are scalars.

    >>> a = Tensor(2.0, requires_grad=True, name="a")
    >>> b = Tensor(1.0, requires_grad=True, name="b")
    >>> c = a + b; c.name = "c"
    >>> d = b + 1; d.name = "d"
    >>> e = c * d; e.name = "e"
    >>> print(chain_rule(e, b))
    de/db = de/dc·dc/db + de/dd·dd/db = 2·1 + 3·1 = 5
    """
    walk = GraphWalk(root, max_nodes)
    target = walk.find(x) if isinstance(x, str) else x
    return ChainContext(walk).explain(target)
