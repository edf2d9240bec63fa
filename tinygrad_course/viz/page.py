"""The step-by-step page: the template files of ``viz/templates`` filled with one SVG and its
frames. The page is self-contained (styles, script and picture inline; no network)."""

from __future__ import annotations

import json
from collections.abc import Sequence
from importlib.resources import files
from typing import Any

from .escape import esc
from .labels import GRAD_COLOR

__all__ = ["page_html"]


def _template(name: str) -> str:
    return (files(__package__) / "templates" / name).read_text(encoding="utf-8")


def _json_for_script(data: Any) -> str:
    """JSON that cannot end its ``<script>`` element early (``</script>`` in a caption)."""
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def page_html(title: str, svg: str, frames: Sequence[dict[str, Any]]) -> str:
    """One HTML page showing ``svg`` (inline SVG markup) step by step: each frame is
    ``{"caption": str, "revealed": [node ids], "active": [edge ids], "focus": node id}``."""
    if not frames:
        raise ValueError("page_html needs at least one frame")
    js = _template("steps.js").replace("@@GRAD_COLOR@@", GRAD_COLOR)
    # Plain replacement, not str.format: the CSS and script are full of braces. The template
    # is cut at its markers first and user text (the title) goes in last, so nothing a user
    # wrote is ever taken for a marker.
    before, after = _template("steps.html").split("@@SVG@@")
    head, tail = after.split("@@FRAMES@@")

    def fill(part: str) -> str:
        return (part.replace("@@CSS@@", _template("steps.css")).replace("@@JS@@", js)
                .replace("@@LAST@@", str(len(frames) - 1)).replace("@@TITLE@@", esc(title)))

    return fill(before) + svg + fill(head) + _json_for_script(list(frames)) + fill(tail)
