"""The order in which eager backward visits a graph, for code that must match it bit for bit."""

from __future__ import annotations

from typing import Any

from ..engine.record import TensorBase

__all__ = ["backward_order"]


def backward_order(root: Any) -> list[Any]:
    """Every tensor ``root`` depends on that requires grad: recorded ones newest first (the
    order eager backward runs their rules, so gradients add up in the same order), then the
    leaves. Iterative: long chains are fine.

    The creation number is a recorded tensor's ``_seq`` (engine/record.py): inputs are always
    created before their outputs, so newest-first is a valid reverse topological order and it
    is exactly the order backward's heap takes.
    """
    found: list[tuple[int, Any]] = []
    leaves: list[Any] = []
    seen = {id(root)}
    stack = [root]
    while stack:
        t = stack.pop()
        if t.is_leaf:
            leaves.append(t)
            continue
        found.append((t._seq, t))
        for x in t.inputs:
            if isinstance(x, TensorBase) and x.requires_grad and id(x) not in seen:
                seen.add(id(x))
                stack.append(x)
    found.sort(key=lambda pair: pair[0], reverse=True)
    return [t for _, t in found] + leaves
