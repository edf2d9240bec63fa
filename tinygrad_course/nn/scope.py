"""Layer scopes for graph pictures, recorded lazily so the hot path pays almost nothing.

A module call records only ``(label, boundary)`` on its output; which tensors belong to the
layer is worked out when somebody asks (drawing), by walking back from the output until the
boundary (the call's inputs and the layer's parameters).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from ..engine.meta import get_meta, set_meta
from ..engine.tensor import Tensor

__all__ = ["mark_call", "call_of", "members"]


def mark_call(output: Tensor, label: str, boundary: Iterable[Any]) -> None:
    """Record that ``output`` was made by a layer labelled ``label`` (``"Linear 1"``) from the
    tensors in ``boundary`` (its inputs; parameters belong to the layer and are not listed)."""
    set_meta(output, "call", (label, tuple(boundary)))  # filtered when read: calls are hot


def call_of(t: Tensor) -> tuple[str, tuple[Tensor, ...]] | None:
    """The ``(label, boundary)`` recorded on ``t`` by :func:`mark_call`, if any."""
    call = get_meta(t, "call")
    if call is None:
        return None
    return call[0], tuple(x for x in call[1] if isinstance(x, Tensor))


def members(output: Tensor) -> list[Tensor]:
    """Tensors made inside the call that produced ``output`` (output and parameters included),
    found by an iterative walk that stops at the call's inputs."""
    call = call_of(output)
    if call is None:
        return []
    stop = {id(t) for t in call[1]}
    found: list[Tensor] = []
    seen: set[int] = set()
    stack = [output]
    while stack:
        t = stack.pop()
        if id(t) in seen or id(t) in stop:
            continue
        seen.add(id(t))
        found.append(t)
        for p in t.parents:
            stack.append(p)
    return found
