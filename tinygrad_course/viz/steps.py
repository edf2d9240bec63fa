"""``save_backward_steps``: backprop one tensor at a time, as steps over one laid-out picture."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from ..engine.tensor import Tensor
from .chain import ChainContext
from .draw import Drawing
from .labels import fmt_number
from .page import page_html
from .render import RENDER_TIMEOUT, dot_available, render_source

__all__ = ["Frame", "backward_frames", "save_backward_steps", "DEFAULT_STEP_NODES"]

# Past a few hundred tensors a step-by-step page stops teaching (and the layout gets slow).
DEFAULT_STEP_NODES = 200


@dataclass(frozen=True)
class Frame:
    """One step: the gradients known so far, the edges used in this step, and what it says."""

    revealed: frozenset[int]
    active: frozenset[tuple[int, int]]
    focus: Tensor | None
    caption: str


def backward_frames(ctx: ChainContext) -> list[Frame]:
    """Step 0 is the forward pass; then one step per tensor in backward order (root first):
    its gradient appears, computed from its consumers' gradients along the active edges."""
    walk = ctx.walk
    root_name = walk.names[id(walk.root)]
    frames = [Frame(frozenset(), frozenset(), None,
                    f"Forward pass: every value is computed, from the inputs to {root_name} = "
                    f"{_value(walk.root)}. No gradient yet.")]
    revealed: set[int] = set()
    # Reversed parents-first order: every consumer comes before the tensors it consumes.
    for t in reversed(walk.order):
        if id(t) not in ctx.grads:
            continue  # data and constants get no gradient
        revealed.add(id(t))
        if t is walk.root:
            caption = f"Backward starts at the output: d{root_name}/d{root_name} = 1"
            active: frozenset[tuple[int, int]] = frozenset()
        else:
            caption = ctx.explain(t).text
            active = frozenset((id(t), id(y)) for y, _ in walk.consumers.get(id(t), []))
        frames.append(Frame(frozenset(revealed), active, t, caption))
    return frames


def _value(t: Tensor) -> str:
    return fmt_number(t.data.reshape(())) if t.size == 1 else f"a {t.shape} tensor"


def save_backward_steps(root: Tensor, path: str | Path, *, title: str | None = None,
                        rankdir: str = "LR", engine: str = "auto",
                        max_nodes: int | None = DEFAULT_STEP_NODES,
                        timeout: float | None = RENDER_TIMEOUT) -> Path:
    """Write one self-contained HTML page stepping through backprop from ``root``.

    Step 0 is the forward pass; each next step fills in one more gradient, from the root back
    to the leaves, with the active edges in red, the chain rule for it as the caption, and the
    view following the active tensor. Buttons, a slider and the arrow keys move between steps.
    The graph is laid out once (``timeout`` seconds for ``dot``, as in ``render``); the page
    needs no network. ``engine="auto"`` draws with Graphviz's ``dot`` when present, else (or
    with ``"basic"``) with a small built-in layered layout. ``root`` must be a scalar (a
    cost); its gradients are computed here, and no tensor's ``.grad`` is changed.

    >>> import tempfile, pathlib
    >>> w = Tensor(2.0, requires_grad=True, name="w")
    >>> out = pathlib.Path(tempfile.mkdtemp()) / "steps.html"
    >>> save_backward_steps(w * w, out, engine="basic") == out, out.read_text()[:15]
    (True, '<!DOCTYPE html>')
    """
    if engine not in ("auto", "dot", "basic"):
        raise ValueError(f"engine must be 'auto', 'dot' or 'basic' (got {engine!r})")
    if not isinstance(root, Tensor):
        raise TypeError(f"expected a Tensor, got {type(root).__name__}")
    if root.size != 1:
        raise ValueError(f"the step-by-step page backpropagates from a scalar (a cost); this "
                         f"tensor has shape {root.shape}: reduce it first, e.g. with .sum()")
    if not root.requires_grad:
        raise ValueError("this tensor does not require grad: none of the tensors it was made "
                         "from has requires_grad=True, so there is no backward pass to show")
    drawing = Drawing(root, rankdir=rankdir, max_nodes=max_nodes, grads={})
    ctx = ChainContext(drawing.walk)
    drawing.grads = ctx.grads
    frames = backward_frames(ctx)
    if engine == "dot" or (engine == "auto" and dot_available()):
        svg = render_source(drawing.digraph().source, "svg", timeout=timeout).decode("utf-8")
        svg = svg[svg.index("<svg"):]  # drop the XML prolog and doctype: the SVG goes inline
    else:
        from .basic_svg import basic_svg
        svg = basic_svg(drawing)
    edge_ids = drawing.edge_ids
    data = [{"caption": f.caption,
             "revealed": sorted(drawing.tid(t) for t in drawing.walk.order
                                if id(t) in f.revealed),
             "active": sorted(e for pair in f.active for e in edge_ids.get(pair, ())),
             "focus": drawing.tid(f.focus) if f.focus is not None else None}
            for f in frames]
    name = drawing.walk.names[id(root)]
    page = page_html(title or f"Backprop, step by step: {name}", svg, data)
    out = Path(path)
    out.write_text(page, encoding="utf-8")
    return out

