"""A Griffe extension for the API reference: doctest examples in docstrings become highlighted
``pycon`` code, and Sphinx roles (``:func:`x` ``) become plain code spans.

Our docstrings are written for ``help()`` and doctest, not for one documentation tool; this
keeps them that way and still renders them well.
"""

from __future__ import annotations

import re
from typing import Any

import griffe

ROLE = re.compile(r":(?:func|class|meth|mod|attr|data|exc|obj):`(~?)([^`]+)`")


def _role(m: re.Match[str]) -> str:
    target = m[2].split(".")[-1] if m[1] else m[2]
    return f"`{target}`"


def fence_doctests(text: str) -> str:
    """Wrap each run of ``>>>`` lines (with their expected output, up to a blank line) in a
    ``pycon`` fence, and turn Sphinx roles into code spans.

    >>> fence_doctests("Add.\\n\\n>>> 1 + 1\\n2\\n\\nSee :func:`~a.b`.").splitlines()
    ['Add.', '', '```pycon', '>>> 1 + 1', '2', '```', '', 'See `b`.']
    """
    out: list[str] = []
    in_example = False
    for line in text.split("\n"):
        stripped = line.strip()
        if not in_example and stripped.startswith(">>>"):
            indent = line[: len(line) - len(line.lstrip())]
            out.append(f"{indent}```pycon")
            in_example = True
        elif in_example and not stripped:
            out.append(f"{indent}```")
            in_example = False
        out.append(line if in_example else ROLE.sub(_role, line))
    if in_example:
        out.append(f"{indent}```")
    return "\n".join(out)


class DoctestFences(griffe.Extension):
    """Rewrite every docstring with :func:`fence_doctests` as Griffe loads it."""

    def on_instance(self, *, obj: griffe.Object, **kwargs: Any) -> None:
        if obj.docstring is not None:
            obj.docstring.value = fence_doctests(obj.docstring.value)
