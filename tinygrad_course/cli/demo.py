"""``tinygrad-course demo``: the course's first computation graph, forward and backward."""

from __future__ import annotations

import argparse
from typing import Any

from ..tensor import Tensor


def register(sub: Any) -> None:
    p = sub.add_parser("demo", help="the seed example e = (a+b)*(b+1) with its gradients")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    a = Tensor(2.0, requires_grad=True, name="a")
    b = Tensor(1.0, requires_grad=True, name="b")
    c = a + b
    c.name = "c"
    d = b + 1
    d.name = "d"
    e = c * d
    e.name = "e"
    e.backward()
    print("The course's computation graph: c = a + b, d = b + 1, e = c * d")
    print(f"forward:  a = 2, b = 1 -> c = {c.item():g}, d = {d.item():g}, e = {e.item():g}")
    print(f"backward: de/dc = {c.grad.item():g}, de/dd = {d.grad.item():g}, "
          f"de/da = {a.grad.item():g}, de/db = {b.grad.item():g}")
    return 0
