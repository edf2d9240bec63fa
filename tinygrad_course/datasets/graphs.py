"""The course's worked computation graphs, ready-made: the first one is ``e = (a+b)*(b+1)``."""

from __future__ import annotations

from ..engine.tensor import Tensor

__all__ = ["seed_graph"]


def seed_graph(a: float = 2.0, b: float = 1.0, backward: bool = False) -> dict[str, Tensor]:
    """The course's first graph, every tensor named as in its figure: ``c = a + b``,
    ``d = b + 1``, ``e = c * d``; with ``backward=True``, after ``e.backward()``.

    >>> g = seed_graph(backward=True)
    >>> g["e"].item(), g["a"].grad.item(), g["b"].grad.item()
    (6.0, 2.0, 5.0)
    """
    t = {"a": Tensor(a, requires_grad=True, name="a"),
         "b": Tensor(b, requires_grad=True, name="b")}
    t["c"] = t["a"] + t["b"]
    t["d"] = t["b"] + 1
    t["e"] = t["c"] * t["d"]
    for name in "cde":
        t[name].name = name
    if backward:
        t["e"].backward()
    return t
