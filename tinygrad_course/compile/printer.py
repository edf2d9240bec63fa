"""Print a DAG of symbolic expressions as straight-line Python, one assignment per line.

A value used once is written inline (``Z1 = W1 @ X + b1``); a named value, one used more than
once, or one whose text grows long gets its own line. Parentheses only where Python's
precedence needs them. Each line's comment gathers the comments of what was inlined into it.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from .symbolic import ATOM, Sym

__all__ = ["emit"]

_HOLE = re.compile(r"\{(\d+)\}")
_LONG = 90  # an inlined expression longer than this gets a line of its own


def emit(roots: list[tuple[str, Sym]], fresh: Callable[[str], str], temp: str = "t"
         ) -> list[str]:
    """Lines computing every root; ``roots`` are (name, expression) in the order wanted."""
    order, uses = _post_order([s for _, s in roots])
    for name, s in roots:
        if s.name is None and s.children:
            s.name = name
    text: dict[int, tuple[str, int, list[str]]] = {}  # id -> (inline text, prec, comments)
    lines: list[str] = []
    for s in order:
        if not s.children:
            text[id(s)] = (s.name or s.template, ATOM if s.name else s.prec, [])
            continue
        notes: list[str] = []
        pieces = []
        for child, need in zip(s.children, s.needs):
            t, p, c = text[id(child)]
            notes += c
            pieces.append(f"({t})" if p < need else t)
        body = _fill(s.template, pieces)
        if s.comment:
            notes.append(s.comment)
        if s.name is None and (uses[id(s)] > 1 or len(body) > _LONG):
            s.name = fresh(temp)
        if s.name is None:
            text[id(s)] = (body, s.prec, notes)
            continue
        lines.append(_line(f"{s.name} = {body}", notes))
        text[id(s)] = (s.name, ATOM, [])
    for name, s in roots:  # a root that is another value under another name: an alias
        current = text[id(s)][0]
        if current != name:
            lines.append(f"{name} = {current}")
    return lines


def _fill(template: str, pieces: list[str]) -> str:
    return _HOLE.sub(lambda m: pieces[int(m.group(1))], template)


def _line(code: str, notes: list[str]) -> str:
    seen: list[str] = []
    for n in notes:
        if n not in seen:
            seen.append(n)
    return f"{code}  # {'; '.join(seen)}" if seen else code


def _post_order(roots: list[Sym]) -> tuple[list[Sym], dict[int, int]]:
    """Children before parents (iteratively), and how many times each value is used."""
    uses: dict[int, int] = {}
    order: list[Sym] = []
    done: set[int] = set()
    for r in roots:
        uses[id(r)] = uses.get(id(r), 0) + 1
        stack: list[tuple[Sym, bool]] = [(r, False)]
        while stack:
            s, expanded = stack.pop()
            if expanded:
                order.append(s)
                continue
            if id(s) in done:
                continue
            done.add(id(s))
            stack.append((s, True))
            for c in reversed(s.children):
                uses[id(c)] = uses.get(id(c), 0) + 1
                if id(c) not in done:
                    stack.append((c, False))
    return order, uses
