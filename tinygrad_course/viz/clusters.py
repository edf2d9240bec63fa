"""Layer clusters for graph pictures, from the calls recorded by ``scope.mark_call``."""

from __future__ import annotations

from dataclasses import dataclass, field

from ..engine.tensor import Tensor
from ..nn import scope
from .labels import shape_text
from .walk import GraphWalk

__all__ = ["Cluster", "find_clusters"]


@dataclass(eq=False)
class Cluster:
    """One layer call: its label, output, drawn members and the cluster it sits in (if any)."""

    key: int
    label: str
    output: Tensor
    members: list[Tensor]
    parent: Cluster | None = None
    children: list[Cluster] = field(default_factory=list)

    @property
    def depth(self) -> int:
        """How many clusters this one sits in."""
        n, p = 0, self.parent
        while p is not None:
            n, p = n + 1, p.parent
        return n

    def params(self, owner: dict[int, Cluster]) -> list[Tensor]:
        """The layer's own parameters (those of layers nested in it belong to them)."""
        return [t for t in self.members
                if t.is_leaf and t.requires_grad and owner.get(id(t)) is self]

    def title(self, names: dict[int, str], owner: dict[int, Cluster]) -> str:
        """``Linear 1: W[1] (4, 2) · b[1] (4, 1)``: the label and the layer's parameters."""
        params = self.params(owner)
        if not params:
            return self.label
        return self.label + ": " + " · ".join(
            f"{names[id(t)]} {shape_text(t.shape)}" for t in params)


def find_clusters(walk: GraphWalk) -> tuple[list[Cluster], dict[int, Cluster]]:
    """The drawn layer calls, smallest first, and the innermost cluster of each tensor.

    Calls may nest (a model made of layers): a cluster's parent is the smallest larger
    cluster that holds its output.
    """
    clusters: list[Cluster] = []
    for t in walk.order:
        call = scope.call_of(t)
        if call is None:
            continue
        members = [m for m in scope.members(t) if id(m) in walk.kept]
        members.sort(key=lambda m: walk.index[id(m)])
        clusters.append(Cluster(id(t), call[0], t, members))
    # Smallest first: a tensor belongs to the first (innermost) cluster that lists it, and
    # every cluster is complete before a larger one takes it in as a child.
    clusters.sort(key=lambda c: (len(c.members), walk.index[c.key]))
    owner: dict[int, Cluster] = {}
    for c in clusters:
        for m in c.members:
            inner = owner.get(id(m))
            if inner is None:
                owner[id(m)] = c
            elif m is inner.output and inner.parent is None and inner is not c:
                inner.parent = c
                c.children.append(inner)
    return clusters, owner
