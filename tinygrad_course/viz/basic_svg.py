"""The fallback for machines without Graphviz: a plain layered SVG of a drawing (columns by
depth, one box per tensor and op), with the same node and edge ids as ``dot``'s SVG, so the
step-by-step page works on it unchanged. Used only by ``save_backward_steps``."""

from __future__ import annotations

from ..engine.tensor import Tensor
from .draw import Drawing
from .escape import esc
from .labels import GRAD_COLOR, input_name, tensor_lines
from .styles import FILL, kind_of

__all__ = ["basic_svg"]

_CHAR_W, _LINE_H, _PAD, _GAP_X, _GAP_Y = 7.0, 15.0, 6.0, 70.0, 18.0


def _columns(drawing: Drawing) -> dict[str, int]:
    """Each node's column: leaves just left of their first use, an op one column right of its
    deepest input, its output one more."""
    walk = drawing.walk
    col: dict[str, int] = {}
    for k, t in enumerate(walk.order):
        if t.op is None:
            continue
        ins = [col[f"T{walk.index[id(x)]}"] for x in t.inputs
               if isinstance(x, Tensor) and id(x) in walk.kept and x.op is not None]
        col[f"O{k}"] = (max(ins) if ins else 1) + 1
        col[f"T{k}"] = col[f"O{k}"] + 1
    for k, t in enumerate(walk.order):
        if t.op is None:
            uses = [col[f"O{walk.index[id(y)]}"] for y, _ in walk.consumers.get(id(t), [])]
            col[f"T{k}"] = min(uses) - 1 if uses else 0
    return col


def basic_svg(drawing: Drawing) -> str:
    """SVG markup for ``drawing``: ``<g class="node" id="T3">``, ``<g class="edge" id=...>``."""
    walk, names = drawing.walk, drawing.walk.names
    col = _columns(drawing)
    lines: dict[str, list[tuple[str, bool]]] = {}
    for k, t in enumerate(walk.order):
        grad = drawing.grads.get(id(t)) if drawing.show_grad else None
        header, values, grads = tensor_lines(
            names[id(t)], t, show_data=drawing.show_data, grad=grad,
            grad_name=f"d{names[id(drawing.root)]}/d{names[id(t)]}")
        lines[f"T{k}"] = [(s, False) for s in [header, *values]] + [(s, True) for s in grads]
        if t.op is not None:
            consts = [input_name(x, names) for x in t.inputs if not isinstance(x, Tensor)]
            lines[f"O{k}"] = [(t.op.symbol + (f" ({', '.join(consts)})" if consts else ""),
                               False)]
    size = {key: (max(len(s) for s, _ in ls) * _CHAR_W + 2 * _PAD,
                  len(ls) * _LINE_H + 2 * _PAD) for key, ls in lines.items()}
    pos: dict[str, tuple[float, float]] = {}
    x = width = height = 10.0
    for c in range(max(col.values(), default=0) + 1):
        keys = [key for key in lines if col[key] == c]
        y = 10.0
        for key in keys:
            pos[key] = (x, y)
            y += size[key][1] + _GAP_Y
        height = max(height, y)
        x += max((size[key][0] for key in keys), default=0.0) + _GAP_X
        width = x
    out = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{width:.0f}" height="{height:.0f}" '
           f'viewBox="0 0 {width:.0f} {height:.0f}" font-family="Helvetica, Arial, sans-serif" '
           'font-size="12">']

    def edge(a: str, b: str, label: str) -> None:
        (ax, ay), (bx, by) = pos[a], pos[b]
        x1, y1, x2, y2 = ax + size[a][0], ay + size[a][1] / 2, bx, by + size[b][1] / 2
        n = max(((x2 - x1) ** 2 + (y2 - y1) ** 2) ** 0.5, 1e-9)
        ux, uy = (x2 - x1) / n, (y2 - y1) / n
        tip = (f"{x2:.1f},{y2:.1f} {x2 - 8 * ux - 3.5 * uy:.1f},{y2 - 8 * uy + 3.5 * ux:.1f} "
               f"{x2 - 8 * ux + 3.5 * uy:.1f},{y2 - 8 * uy - 3.5 * ux:.1f}")
        text = (f'<text x="{(x1 + x2) / 2:.1f}" y="{(y1 + y2) / 2 - 3:.1f}" font-size="9" '
                f'text-anchor="middle">{esc(label)}</text>' if label else "")
        out.append(f'<g class="edge" id="E_{a}_{b}"><path d="M{x1:.1f},{y1:.1f}L{x2:.1f},'
                   f'{y2:.1f}" stroke="#555555"/><polygon points="{tip}" fill="#555555"/>'
                   f'{text}</g>')

    drawing.edge_ids = {}  # this picture's edges, as ``Drawing.digraph`` records its own
    for k, t in enumerate(walk.order):
        if t.op is not None:
            edge(f"O{k}", f"T{k}", "")
            for i, x_ in enumerate(t.inputs):
                if isinstance(x_, Tensor) and id(x_) in walk.kept:
                    tail = f"T{walk.index[id(x_)]}"
                    edge(tail, f"O{k}", drawing.edge_labels.get((id(t), i), ""))
                    drawing.edge_ids.setdefault((id(x_), id(t)), []).append(f"E_{tail}_O{k}")
    for key, ls in lines.items():
        (bx, by), (w, h) = pos[key], size[key]
        if key.startswith("O"):
            shape = (f'<ellipse cx="{bx + w / 2:.1f}" cy="{by + h / 2:.1f}" rx="{w / 2:.1f}" '
                     f'ry="{h / 2:.1f}" fill="#f2f2f2" stroke="#333"/>')
        else:
            fill = FILL[kind_of(walk.order[int(key[1:])], drawing.root)]
            shape = (f'<rect x="{bx:.1f}" y="{by:.1f}" width="{w:.1f}" height="{h:.1f}" rx="5" '
                     f'fill="{fill}" stroke="#333"/>')
        texts = []
        for j, (s, grad) in enumerate(ls):
            style = ' font-weight="bold"' if j == 0 else f' fill="{GRAD_COLOR}"' if grad else ""
            texts.append(f'<text x="{bx + _PAD:.1f}" y="{by + _PAD + (j + 0.8) * _LINE_H:.1f}"'
                         f'{style}>{esc(s)}</text>')
        out.append(f'<g class="node" id="{key}">{shape}{"".join(texts)}</g>')
    out.append("</svg>")
    return "\n".join(out)
