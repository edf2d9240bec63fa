"""How a Tensor shows itself in Jupyter: its repr, and for small graphs the picture of them."""

from __future__ import annotations

import re

from ..engine.tensor import Tensor
from .escape import esc
from .render import GraphTooLarge, GraphvizMissing, dot_available, render_source
from .walk import count_upto

__all__ = ["tensor_html", "INLINE_GRAPH_LIMIT"]

# Graphs up to this many tensors are drawn under the repr; bigger ones would slow the notebook.
INLINE_GRAPH_LIMIT = 40


def tensor_html(t: Tensor) -> str:
    """HTML for a tensor: its repr, plus a folded-away picture of the graph that made it.

    >>> html_text = tensor_html(Tensor([1.0, 2.0], name="x"))
    >>> html_text.startswith("<pre") and "name=&#x27;x&#x27;" in html_text
    True
    """
    parts = [f'<pre style="margin:0">{esc(repr(t))}</pre>']
    if t.op is not None and dot_available():
        n = count_upto(t, INLINE_GRAPH_LIMIT)
        if n <= INLINE_GRAPH_LIMIT:
            from .draw import draw_graph
            try:
                svg = render_source(draw_graph(t).source, "svg", timeout=5).decode("utf-8")
            except (GraphvizMissing, GraphTooLarge, RuntimeError):
                return parts[0]
            svg = re.sub(r"^.*?(?=<svg)", "", svg, flags=re.S)  # drop the XML prolog
            parts.append(f"<details><summary>computation graph ({n} tensors)</summary>"
                         f"{svg}</details>")
        else:
            parts.append(f"<small>computation graph of more than {INLINE_GRAPH_LIMIT} tensors: "
                         "use tinygrad_course.draw_graph(t, max_nodes=...)</small>")
    return "".join(parts)
