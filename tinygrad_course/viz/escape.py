"""The one escaping function for every user string (names, layer labels) in every picture.

A tensor's name or a layer's label can hold anything, ``<a href="javascript:...">`` included.
The same text reaches Graphviz HTML-like labels, Graphviz attributes (tooltips), the SVG that
``dot`` writes, the step-by-step HTML page and Jupyter's ``_repr_html_``; it goes through
:func:`esc` once, on its way into a label, and nowhere else.
"""

from __future__ import annotations

import html
import re

__all__ = ["esc"]

# Beyond HTML: Graphviz decodes entities and *then* reads ``\\N``, ``\\G``, ``\\l`` as its own
# escapes, in every label and attribute, so a backslash is shown as the look-alike ``⧵``
# (U+29F5); control characters (a NUL or ESC would corrupt DOT/XML) as their symbols (``␀``).
_EXTRA = {ord("\\"): "⧵", **{c: f"&#{0x2400 + c};" for c in range(32)}, 0x7F: "&#9249;"}
# Text without any character that either step changes is returned as it is: most labels (names,
# numbers) have none, and one search is ~10x cheaper than escaping and translating.
_CHANGED = re.compile(r"[&<>\"'\\\x00-\x1f\x7f]")


def esc(text: object) -> str:
    """``text`` as inert markup: safe in a Graphviz HTML-like label, in any Graphviz attribute,
    in SVG, in HTML text and in HTML attribute values.

    Graphviz passes ``<...>`` through as an HTML label; the result never starts with ``<``.
    A backslash is shown as ``⧵`` and control characters as their symbols (``␀``).

    >>> esc('<a href="javascript:alert(1)">W</a>')
    '&lt;a href=&quot;javascript:alert(1)&quot;&gt;W&lt;/a&gt;'
    >>> esc("a\\\\N"), esc("x\\ny")
    ('a⧵N', 'x&#9226;y')
    """
    s = str(text)
    if _CHANGED.search(s) is None:
        return s
    return html.escape(s, quote=True).translate(_EXTRA)
