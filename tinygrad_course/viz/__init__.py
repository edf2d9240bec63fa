"""Computation-graph pictures: values, gradients and the local derivative on every edge.

``draw_graph`` returns a Graphviz graph (inline in Jupyter), ``render`` writes svg/png/pdf/dot
(within a time and size budget: ``GraphTooLarge`` says which knob to turn),
``chain_rule`` writes out one gradient as the chain rule's sum, and ``save_backward_steps``
makes a self-contained HTML page that steps through backprop one tensor at a time.
"""

from __future__ import annotations

from ..engine.tensor import Tensor
from .chain import ChainRule, chain_rule
from .draw import draw_graph
from .jupyter import tensor_html
from .render import GraphTooLarge, GraphvizMissing, dot_available, render
from .steps import save_backward_steps

__all__ = ["ChainRule", "GraphTooLarge", "GraphvizMissing", "chain_rule", "dot_available",
           "draw_graph", "render", "save_backward_steps", "tensor_html"]

# Jupyter shows a tensor through ``_repr_html_``. Attached here, as a class attribute, so the
# engine module stays free of drawing code; nothing on the op/backward path looks at it.
Tensor._repr_html_ = tensor_html  # type: ignore[attr-defined]
