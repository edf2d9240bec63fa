"""A plain layered SVG of a computation graph, drawn without Graphviz (the fallback of the
step-by-step page when ``dot`` is missing): columns by depth, one box per tensor and op."""

from __future__ import annotations

import html

from ..engine.tensor import Tensor
from .draw import FILL, PATH_COLOR, Drawing, kind_of
from .labels import input_name, tensor_lines

__all__ = ["basic_svg"]

_CHAR_W, _LINE_H, _PAD, _GAP_X, _GAP_Y = 7.0, 15.0, 6.0, 70.0, 18.0


def _layout(drawing: Drawing) -> tuple[dict[str, tuple[int, list[str]]], list[list[str]]]:
    """Columns by depth (leaves at 0, each op one column right of its deepest input, its output
    one more); returns each node's column and text lines, and the columns' node lists."""
    walk = drawing.walk
    col: dict[int, int] = {}
    nodes: dict[str, tuple[int, list[str]]] = {}
    for k, t in enumerate(walk.order):
        if t.op is None:
            col[id(t)] = 0
            continue
        ins = [col[id(x)] for x in t.inputs if isinstance(x, Tensor) and id(x) in col]
        op_col = (max(ins) if ins else 0) + 1
        col[id(t)] = op_col + 1
        consts = [input_name(x, walk.names) for x in t.inputs if not isinstance(x, Tensor)]
        label = t.op.symbol + (f" ({', '.join(consts)})" if consts else "")
        nodes[f"O{k}"] = (op_col, [label])
    # A leaf sits just left of its first consumer, not far away in column 0.
    for t in walk.order:
        uses = [nodes[f"O{walk.index[id(y)]}"][0] for y, _ in walk.consumers.get(id(t), [])]
        if t.op is None and uses:
            col[id(t)] = min(uses) - 1
    columns: list[list[str]] = [[] for _ in range(max(col.values(), default=0) + 1)]
    for k, t in enumerate(walk.order):
        columns[col[id(t)]].append(f"T{k}")
    for key, (c, _) in nodes.items():
        columns[c].append(key)
    return nodes, columns


def basic_svg(drawing: Drawing, revealed: set[int] | None = None,
              active: frozenset[tuple[int, int]] = frozenset(), focus: Tensor | None = None
              ) -> str:
    """SVG markup for ``drawing``; gradients outside ``revealed`` are not shown yet."""
    walk, names = drawing.walk, drawing.walk.names
    ops, columns = _layout(drawing)
    texts: dict[str, list[str]] = {key: lines for key, (_, lines) in ops.items()}
    size: dict[str, tuple[float, float]] = {
        key: (max(28.0, len(lines[0]) * _CHAR_W + 2 * _PAD), 28.0)
        for key, (_, lines) in ops.items()}
    for k, t in enumerate(walk.order):
        grad = drawing.grads.get(id(t)) if drawing.show_grad else None
        header, values, grads = tensor_lines(
            names[id(t)], t, show_data=drawing.show_data, grad=grad,
            grad_name=f"d{names[id(drawing.root)]}/d{names[id(t)]}")
        full = [header] + values + grads
        # Boxes are sized for the full text, gradients included, so every frame has one layout.
        size[f"T{k}"] = (max(len(s) for s in full) * _CHAR_W + 2 * _PAD,
                         len(full) * _LINE_H + 2 * _PAD)
        shown = revealed is None or id(t) in revealed
        texts[f"T{k}"] = full if shown else [header] + values
    pos: dict[str, tuple[float, float]] = {}
    x = 10.0
    height = 0.0
    for column in columns:
        y = 10.0
        width = max((size[key][0] for key in column), default=0.0)
        for key in column:
            pos[key] = (x, y)
            y += size[key][1] + _GAP_Y
        height = max(height, y)
        x += width + _GAP_X
    out = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{x:.0f}" height="{height:.0f}" '
           f'viewBox="0 0 {x:.0f} {height:.0f}" font-family="Helvetica, Arial, sans-serif" '
           'font-size="12">']

    def edge(a: str, b: str, label: str, hot: bool) -> None:
        (ax, ay), (bx, by) = pos[a], pos[b]
        x1, y1 = ax + size[a][0], ay + size[a][1] / 2
        x2, y2 = bx, by + size[b][1] / 2
        color = PATH_COLOR if hot else "#555555"
        out.append(f'<line x1="{x1:.1f}" y1="{y1:.1f}" x2="{x2:.1f}" y2="{y2:.1f}" '
                   f'stroke="{color}" stroke-width="{2.5 if hot else 1}"/>')
        # The arrowhead as a small triangle (markers would need ids unique across frames).
        dx, dy = x2 - x1, y2 - y1
        n = max((dx * dx + dy * dy) ** 0.5, 1e-9)
        ux, uy = dx / n, dy / n
        pts = [(x2, y2), (x2 - 8 * ux - 3.5 * uy, y2 - 8 * uy + 3.5 * ux),
               (x2 - 8 * ux + 3.5 * uy, y2 - 8 * uy - 3.5 * ux)]
        out.append('<polygon points="' + " ".join(f"{px:.1f},{py:.1f}" for px, py in pts)
                   + f'" fill="{color}"/>')
        if label:
            out.append(f'<text x="{(x1 + x2) / 2:.1f}" y="{(y1 + y2) / 2 - 3:.1f}" '
                       f'font-size="9" text-anchor="middle" fill="{color}">'
                       f'{html.escape(label)}</text>')

    for k, t in enumerate(walk.order):
        if t.op is None:
            continue
        edge(f"O{k}", f"T{k}", "", False)
        for i, x_ in enumerate(t.inputs):
            if isinstance(x_, Tensor) and id(x_) in walk.kept:
                edge(f"T{walk.index[id(x_)]}", f"O{k}", drawing.edge_labels.get((id(t), i), ""),
                     (id(x_), id(t)) in active)
    for key, lines in texts.items():
        bx, by = pos[key]
        w, h = size[key]
        if key.startswith("O"):
            out.append(f'<ellipse cx="{bx + w / 2:.1f}" cy="{by + h / 2:.1f}" rx="{w / 2:.1f}" '
                       f'ry="{h / 2:.1f}" fill="#f2f2f2" stroke="#333"/>')
            out.append(f'<text x="{bx + w / 2:.1f}" y="{by + h / 2 + 4:.1f}" '
                       f'text-anchor="middle">{html.escape(lines[0])}</text>')
            continue
        t = walk.order[int(key[1:])]
        hot = t is focus
        out.append(f'<rect x="{bx:.1f}" y="{by:.1f}" width="{w:.1f}" height="{h:.1f}" rx="5" '
                   f'fill="{FILL[kind_of(t, drawing.root)]}" '
                   f'stroke="{PATH_COLOR if hot else "#333"}" stroke-width="{2.5 if hot else 1}"/>')
        for j, line in enumerate(lines):
            weight = ' font-weight="bold"' if j == 0 else ""
            out.append(f'<text x="{bx + _PAD:.1f}" y="{by + _PAD + (j + 0.8) * _LINE_H:.1f}"'
                       f'{weight}>{html.escape(line)}</text>')
    out.append("</svg>")
    return "\n".join(out)
