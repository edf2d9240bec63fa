"""Names in the generated module: the course's (``W[1]`` -> ``W1``), unique, and bound objects."""

from __future__ import annotations

import keyword
import re
from typing import Any

import numpy as np

__all__ = ["Bindings", "identifier"]


class Bindings:
    """Names of the generated module: the objects it refers to (numpy, constants, rule
    functions) and every variable name taken, so that no two things share a name."""

    def __init__(self) -> None:
        self.names: dict[str, Any] = {"np": np}
        self._ids: dict[int, str] = {id(np): "np"}
        self.taken: set[str] = {"np"}
        self._next: dict[str, int] = {}
        self.notes: list[str] = []

    def fresh(self, hint: str) -> str:
        base = identifier(hint)
        name = base
        if name in self.taken:  # base_2, base_3, ...: a counter per base keeps this O(1)
            k = self._next.get(base, 2)
            while f"{base}_{k}" in self.taken:
                k += 1
            self._next[base] = k + 1
            name = f"{base}_{k}"
        self.taken.add(name)
        return name

    def bind(self, obj: Any, hint: str) -> str:
        if id(obj) in self._ids:
            return self._ids[id(obj)]
        name = self.fresh(hint)
        self.names[name] = obj
        self._ids[id(obj)] = name
        if isinstance(obj, np.ndarray):
            self.notes.append(f"{name}: {obj.dtype} array of shape {obj.shape}, "
                              "captured at trace time")
        return name


def identifier(text: str) -> str:
    """``W[1]`` -> ``W1``, ``Z[2]`` -> ``Z2``; anything else made a valid Python name.

    >>> identifier("W[1]"), identifier("A[L-1]"), identifier("lambda"), identifier("2x")
    ('W1', 'AL_1', 'lambda_', 't2x')
    """
    name = re.sub(r"\W", "_", str(text).replace("[", "").replace("]", ""))
    name = re.sub(r"_+", "_", name).strip("_") or "t"
    if name[0].isdigit():
        name = "t" + name
    return name + "_" if keyword.iskeyword(name) or name == "np" else name
