"""How graph pictures look: the styles of tensors, ops, constants, edges and layer clusters."""

from __future__ import annotations

from typing import Any

from ..engine.tensor import Tensor
from .escape import esc

__all__ = ["CLUSTER_STYLE", "CONST_EDGE", "CONST_STYLE", "EDGE_STYLE", "FILL", "GRAPH_STYLE",
           "OP_STYLE", "PATH_COLOR", "TENSOR_STYLE", "kind_of", "op_style"]

# Leaves, parameters and intermediates look different; the root stands out.
FILL = {"output": "#ffe08a", "parameter": "#cfe3ff", "input": "#e6e6e6",
        "intermediate": "#ffffff"}
PATH_COLOR = "#d62728"
# Whatever most nodes or edges share is a default of the graph or of an unnamed subgraph (a
# scope for defaults, no effect on the layout), so each statement states only what differs:
# graphviz's quoting of each attribute is most of the time a 10,000-tensor picture takes.
# Ids too: dot expands ``\N`` to the node's name and ``\T``/``\H`` to an edge's two ends.
GRAPH_STYLE = {"fontname": "Helvetica", "nodesep": "0.25", "ranksep": "0.35"}
TENSOR_STYLE = {"fontname": "Helvetica", "fontsize": "11", "shape": "box", "id": "\\N",
                "style": "rounded,filled", "fillcolor": FILL["intermediate"],
                "tooltip": "intermediate"}
EDGE_STYLE = {"fontname": "Helvetica", "fontsize": "9", "arrowsize": "0.7", "id": "E_\\T_\\H"}
CLUSTER_STYLE = {"style": "rounded,dashed", "color": "#7a7a7a", "fontsize": "11",
                 "labeljust": "l"}
# In each subgraph, one scope per kind of op (see op_style) and one for the constants.
OP_STYLE = {"shape": "circle", "style": "filled", "fillcolor": "#f2f2f2", "margin": "0.02",
            "width": "0.3", "height": "0.3"}
CONST_STYLE = {"shape": "plaintext", "style": "", "fontcolor": "#666666", "fontsize": "10",
               "tooltip": "constant"}
CONST_EDGE = {"color": "#999999", "style": "dashed"}


def op_style(op: Any) -> dict[str, str]:
    """The node defaults of one kind of op: OP_STYLE, its symbol as label, its name as tooltip,
    and an ellipse for a symbol too long for a small circle."""
    style = {**OP_STYLE, "label": esc(op.symbol), "tooltip": esc(op.name)}
    if len(op.symbol) > 2:
        style["shape"] = "ellipse"
    return style


def kind_of(t: Tensor, root: Tensor) -> str:
    """``output``, ``parameter`` (a leaf that wants a gradient), ``input`` or ``intermediate``."""
    if t is root:
        return "output"
    if t.is_leaf:
        return "parameter" if t.requires_grad else "input"
    return "intermediate"
