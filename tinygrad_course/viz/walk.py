"""Iterative walks over a computation graph for pictures: which tensors, in what order, named how.

This is the one walk of the package: every picture, the chain rule and the step-by-step page
read its ``order``. Graphs can be a million ops deep, so nothing here recurses: breadth-first
search picks the tensors nearest the root (up to a cap), and an explicit-stack depth-first
search orders them.
"""

from __future__ import annotations

from collections import deque
from functools import cached_property

from ..engine.tensor import Tensor

__all__ = ["GraphWalk", "count_upto"]


class GraphWalk:
    """The tensors of ``root``'s graph that a picture shows, parents before their consumers.

    >>> a = Tensor(2.0, requires_grad=True, name="a")
    >>> e = (a + 1) * a
    >>> w = GraphWalk(e)
    >>> [w.names[id(t)] for t in w.order]
    ['a', 't1', 'J']

    An unnamed scalar root is a cost, so it is called ``J`` (as the course does), unless some
    tensor of the graph already has that name.
    """

    def __init__(self, root: Tensor, max_nodes: int | None = None) -> None:
        if not isinstance(root, Tensor):
            raise TypeError(f"expected a Tensor to draw, got {type(root).__name__}")
        if max_nodes is not None and max_nodes < 1:
            raise ValueError(f"max_nodes must be at least 1 (got {max_nodes})")
        self.root = root
        kept, self.total, total_ops = _nearest(root, max_nodes)
        self.kept: set[int] = {id(t) for t in kept}
        self.order = _parents_first(root, self.kept)
        self.left_out = self.total - len(self.order)
        self.left_out_ops = total_ops - sum(1 for t in self.order if t.op is not None)
        self.index = {id(t): k for k, t in enumerate(self.order)}
        self.names = _names(self.order, root)

    @cached_property
    def consumers(self) -> dict[int, list[tuple[Tensor, int]]]:
        """Who consumes each tensor, in the order of ``order``: ``(consumer, input position)``
        (worked out on first use: plain drawing does not need it)."""
        consumers: dict[int, list[tuple[Tensor, int]]] = {}
        for t in self.order:
            for i, x in enumerate(t.inputs):
                if isinstance(x, Tensor) and id(x) in self.kept:
                    consumers.setdefault(id(x), []).append((t, i))
        return consumers

    def truncated(self, t: Tensor) -> bool:
        """Whether some input of ``t`` was left out of the picture."""
        return any(isinstance(x, Tensor) and id(x) not in self.kept for x in t.inputs)

    def find(self, name: str) -> Tensor:
        """The drawn tensor called ``name`` (given or generated)."""
        for t in self.order:
            if self.names[id(t)] == name:
                return t
        known = ", ".join(self.names[id(t)] for t in self.order[:30])
        raise ValueError(f"no tensor named {name!r} in this graph; its tensors are: {known}")


def _nearest(root: Tensor, limit: int | None, stop: bool = False
             ) -> tuple[list[Tensor], int, int]:
    """The ``limit`` tensors nearest ``root`` (breadth first), the total count, the op count;
    with ``stop``, the walk ends once ``limit + 1`` tensors are seen.

    Every kept tensor has a path to the root through kept tensors, since BFS keeps by distance.
    """
    seen = {id(root)}
    queue = deque([root])
    kept: list[Tensor] = []
    total = ops = 0
    while queue:
        if stop and limit is not None and len(seen) > limit:
            return kept, limit + 1, ops
        t = queue.popleft()
        total += 1
        if limit is None or len(kept) < limit:
            kept.append(t)
        if t.op is not None:
            ops += 1
        for x in t.inputs:
            if isinstance(x, Tensor) and id(x) not in seen:
                seen.add(id(x))
                queue.append(x)
    return kept, total, ops


def _parents_first(root: Tensor, kept: set[int]) -> list[Tensor]:
    """Kept tensors in topological order, inputs in argument order (so ``c`` before ``d``)."""
    order: list[Tensor] = []
    seen: set[int] = set()
    stack: list[tuple[Tensor, bool]] = [(root, False)]
    while stack:
        t, expanded = stack.pop()
        if expanded:
            order.append(t)
            continue
        if id(t) in seen:
            continue
        seen.add(id(t))
        stack.append((t, True))
        for x in reversed(t.inputs):  # reversed: the first input is expanded first
            if isinstance(x, Tensor) and id(x) in kept and id(x) not in seen:
                stack.append((x, False))
    return order


def _names(order: list[Tensor], root: Tensor) -> dict[int, str]:
    """Given names, else ``J`` for a scalar root and short generated ones (t1, t2, ...) that no
    given name uses."""
    taken = {t.name for t in order if t.name}
    names: dict[int, str] = {}
    if not root.name and root.size == 1 and "J" not in taken:
        names[id(root)] = "J"
        taken.add("J")
    k = 0
    for t in order:
        if id(t) in names:
            continue
        if t.name:
            names[id(t)] = t.name
            continue
        k += 1
        while f"t{k}" in taken:
            k += 1
        names[id(t)] = f"t{k}"
    return names


def count_upto(root: Tensor, limit: int) -> int:
    """How many tensors ``root``'s graph has, counting no further than ``limit + 1`` (the walk
    of :class:`GraphWalk`, stopped early).

    >>> x = Tensor(1.0, requires_grad=True)
    >>> count_upto(x * 2 + 1, 100), count_upto(x * 2 + 1, 1)
    (3, 2)
    """
    return _nearest(root, limit, stop=True)[1]
