"""``draw_graph``: a computation graph as a ``graphviz.Digraph``, built with graphviz's own API.

Every node and edge has an ``id`` (``T3`` a tensor, ``O3`` the op that made it, ``E_T1_O3`` an
edge), so the step-by-step page can light up one step of one layout; the ids, like every
attribute that most nodes share, are defaults of the graph or of a scope (``styles``). User text
reaches a label only through :func:`~tinygrad_course.viz.escape.esc`; the labels of tensors,
constants and edges are HTML-like (``<...>``).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ..engine.tensor import Tensor
from .chain import ChainContext, ChainRule
from .clusters import Cluster, find_clusters
from .escape import esc
from .labels import edge_label, html_lines, input_name, shape_text, tensor_label
from .styles import (
    CLUSTER_STYLE,
    CONST_EDGE,
    CONST_STYLE,
    EDGE_STYLE,
    FILL,
    GRAPH_STYLE,
    PATH_COLOR,
    TENSOR_STYLE,
    kind_of,
    op_style,
)
from .walk import GraphWalk

if TYPE_CHECKING:  # graphviz is imported when a picture is made, not with the package
    import graphviz

    from .picture import Picture

__all__ = ["draw_graph", "Drawing", "DEFAULT_MAX_NODES", "FAN_OUT"]

DEFAULT_MAX_NODES = 10_000
# A tensor used by more ops than this is drawn once, plus a small copy next to each further
# use: long edges from one node to every rank are what make ``dot`` take minutes.
FAN_OUT = 4

def draw_graph(root: Tensor, *, show_data: bool = True, show_grad: bool = True,
               show_edge_derivatives: bool = True, rankdir: str = "LR",
               highlight: Tensor | str | None = None, collapse_layers: bool = False,
               max_nodes: int | None = DEFAULT_MAX_NODES, show_constants: bool = True
               ) -> Picture:
    """The computation graph that produced ``root``, as an unrendered ``graphviz.Digraph``
    (a :class:`~tinygrad_course.viz.picture.Picture`, whose ``pipe``, ``render`` and display in
    Jupyter run ``dot`` within the rendering budget of ``viz.render``).

    One box per tensor (name, shape, value and, after backward, its ``.grad``), one node per
    op, and on each edge the local derivative of the op's output with respect to that input.
    An unnamed scalar root (a cost) is called ``J``. ``highlight`` (a tensor or its name) marks
    the paths from it to the root and writes the chain-rule sum that gives its gradient. Layer
    calls (``scope.mark_call``) become labelled clusters, or single boxes with
    ``collapse_layers=True``. ``max_nodes`` caps the tensors drawn (the nearest to the root are
    kept, and a note says what was left out); ``None`` draws everything. The result displays
    inline in Jupyter; ``viz.render`` writes files.

    >>> a = Tensor(2.0, requires_grad=True, name="a")
    >>> e = a * a
    >>> e.backward()
    >>> src = draw_graph(e).source
    >>> "∂J/∂a = a = 2" in src and "dJ/da = 4" in src
    True
    """
    return Drawing(root, show_data=show_data, show_grad=show_grad,
                   show_edge_derivatives=show_edge_derivatives, rankdir=rankdir,
                   highlight=highlight, collapse_layers=collapse_layers, max_nodes=max_nodes,
                   show_constants=show_constants).digraph()


class Drawing:
    """A graph walked once, drawn as one Digraph. ``grads`` maps ``id(tensor)`` to the gradient
    to show (default: each tensor's ``.grad``)."""

    def __init__(self, root: Tensor, *, show_data: bool = True, show_grad: bool = True,
                 show_edge_derivatives: bool = True, rankdir: str = "LR",
                 highlight: Tensor | str | None = None, collapse_layers: bool = False,
                 max_nodes: int | None = DEFAULT_MAX_NODES, show_constants: bool = True,
                 grads: dict[int, Any] | None = None) -> None:
        if rankdir not in ("LR", "RL", "TB", "BT"):
            raise ValueError(f"rankdir must be one of LR, RL, TB, BT (got {rankdir!r})")
        self.walk = walk = GraphWalk(root, max_nodes)
        self.max_nodes = max_nodes
        self.root = root
        self.show_data, self.show_grad = show_data, show_grad
        self.show_constants, self.rankdir = show_constants, rankdir
        if grads is None:
            grads = {id(t): t.grad for t in walk.order if t.grad is not None}
        self.grads = grads
        self.chain: ChainRule | None = None
        if highlight is not None:
            target = walk.find(highlight) if isinstance(highlight, str) else highlight
            self.chain = ChainContext(walk).explain(target)
        self.clusters, self.owner = find_clusters(walk)
        # Collapsing turns each innermost layer (a cluster without sub-clusters) into one box.
        self.box: dict[int, Cluster] = {}
        if collapse_layers:
            for c in self.clusters:
                if not c.children:
                    for m in c.members:
                        if self.owner.get(id(m)) is c:
                            self.box[id(m)] = c
        self.edge_labels: dict[tuple[int, int], str] = {}
        if show_edge_derivatives:
            for t in walk.order:
                for i, x in enumerate(t.inputs):
                    if isinstance(x, Tensor) and x.requires_grad and id(x) in walk.kept:
                        self.edge_labels[(id(t), i)] = edge_label(t, i, walk.names)
        # The drawn edge ids of each (input, consumer) pair, for the step-by-step page.
        self.edge_ids: dict[tuple[int, int], list[str]] = {}

    def tid(self, t: Tensor) -> str:
        """The node id of a tensor: ``T<k>``, or ``L<k>`` inside a collapsed layer."""
        c = self.box.get(id(t))
        return f"L{self.walk.index[c.key]}" if c is not None else f"T{self.walk.index[id(t)]}"

    def digraph(self) -> Picture:
        """Build the Digraph (the highlighted path, if any, in red)."""
        import graphviz

        from .picture import Picture  # imports graphviz: only when a picture is made

        walk = self.walk
        g = Picture("computation_graph", graph_attr={**GRAPH_STYLE, "rankdir": self.rankdir},
                    node_attr=TENSOR_STYLE, edge_attr=EDGE_STYLE)
        self.edge_ids = {}
        chain = self.chain
        on_path = chain.on_path if chain else frozenset()
        subgraphs: dict[int, graphviz.Digraph] = {}
        box = self.box
        collapsed = {id(b) for b in box.values()}
        for c in self.clusters:
            if id(c) not in collapsed:
                subgraphs[id(c)] = graphviz.Digraph(f"cluster_{walk.index[c.key]}", graph_attr={
                    "label": esc(c.title(walk.names, self.owner)), **CLUSTER_STYLE})

        def home(t: Tensor) -> graphviz.Digraph:
            """The subgraph a tensor (and its op) is drawn in."""
            c: Cluster | None = self.owner.get(id(t))
            if c is not None and id(t) in box:
                c = c.parent
            return subgraphs[id(c)] if c is not None else g

        # The scopes in each subgraph: one per kind of op, keyed by the op, and one for the
        # constants (key 0), whose node and edge defaults carry everything but the label.
        scopes: dict[tuple[int, int], tuple[graphviz.Digraph, graphviz.Digraph]] = {}

        def scope(sub: graphviz.Digraph, op: Any) -> graphviz.Digraph:
            key = (id(sub), id(op) if op is not None else 0)
            if key not in scopes:
                scopes[key] = (sub, graphviz.Digraph(
                    node_attr=op_style(op) if op is not None else CONST_STYLE,
                    edge_attr=None if op is not None else CONST_EDGE))
            return scopes[key][1]

        drawn_boxes: set[int] = set()
        # Constants are alive in the graph while it is drawn, so id() names them here.
        const_labels: dict[int, str] = {}
        const_edges: dict[int, list[tuple[str, str]]] = {}
        for k, t in enumerate(walk.order):
            layer = box.get(id(t))
            if layer is not None:
                if id(layer) not in drawn_boxes:
                    drawn_boxes.add(id(layer))
                    home(t).node(self.tid(t), self._box_label(layer), shape="box3d",
                                 style="filled", fillcolor="#eef3e2", tooltip="collapsed layer")
                continue
            kind, hot = kind_of(t, self.root), id(t) in on_path
            attrs = {} if kind == "intermediate" else {"fillcolor": FILL[kind], "tooltip": kind}
            if kind == "output":
                attrs.update(penwidth="2.5", color="#b8860b")
            if hot:
                attrs.update(color=PATH_COLOR, penwidth="2.5")
            sub = home(t) if subgraphs else g
            sub.node(f"T{k}", self._tensor_label(t), **attrs)
            if t.op is None:
                continue
            # The op's label and tooltip are its scope's. Constants' labels are HTML-like too:
            # graphviz passes ``<...>`` through, where a quoted string costs it two regex scans.
            scope(sub, t.op).node(f"O{k}", **({"color": PATH_COLOR, "penwidth": "2"}
                                              if hot else {}))
            if self.show_constants:
                for i, x in enumerate(t.inputs):
                    if not isinstance(x, Tensor):
                        consts = scope(sub, None)
                        if id(x) not in const_labels:  # the same constant, used again
                            const_labels[id(x)] = f"<{esc(input_name(x, {}))}>"
                        consts.node(f"K{k}_{i}", const_labels[id(x)])
                        const_edges.setdefault(id(consts), []).append((f"K{k}_{i}", f"O{k}"))
        for _, (sub, sc) in sorted(scopes.items(), key=lambda item: item[0][1] == 0):
            sc.edges(const_edges.get(id(sc), []))  # after its nodes, in the same order
            sub.subgraph(sc)  # the constants' scopes last
        # Clusters go in innermost first, so each is complete when its parent takes it.
        for c in sorted(self.clusters, key=lambda c: -c.depth):
            if id(c) in subgraphs:
                parent = subgraphs.get(id(c.parent)) if c.parent is not None else None
                (parent if parent is not None else g).subgraph(subgraphs[id(c)])
        self._all_edges(g, chain.path_edges if chain else frozenset(), home)
        if walk.left_out:
            self._more(g)
        if chain is not None:
            g.attr(label=esc(chain.text), labelloc="b", fontcolor=PATH_COLOR,
                   fontsize="14")
        return g

    # --- pieces -------------------------------------------------------------------------------
    def _tensor_label(self, t: Tensor) -> str:
        names = self.walk.names
        grad = self.grads.get(id(t)) if self.show_grad else None
        return tensor_label(names[id(t)], t, show_data=self.show_data, grad=grad,
                            grad_name=f"d{names[id(self.root)]}/d{names[id(t)]}")

    def _box_label(self, c: Cluster) -> str:
        names = self.walk.names
        out = c.output
        rows = [f"<b>{esc(c.label)}</b>"]
        rows += [esc(f"{names[id(p)]} {shape_text(p.shape)}") for p in c.params(self.owner)]
        rows.append(esc(f"→ {names[id(out)]} {shape_text(out.shape)}"))
        return html_lines(rows)

    def _all_edges(self, g: graphviz.Digraph, hot: frozenset[tuple[int, int]],
                   home: Any) -> None:
        walk, box, labels, edge_ids = self.walk, self.box, self.edge_labels, self.edge_ids
        kept, index = walk.kept, walk.index
        seen: set[tuple[str, str]] = set()
        uses: dict[int, int] = {}
        for k, t in enumerate(walk.order):
            if t.op is None:
                continue
            it, head = id(t), f"O{k}"
            inside = box.get(it)
            if inside is not None:
                head = self.tid(t)
            elif hot and any((id(x), it) in hot for x in t.parents):
                g.edge(head, f"T{k}", color=PATH_COLOR, penwidth="2")
            else:  # edges(): the same statement, without the attribute-list machinery
                g.edges([(head, f"T{k}")])
            for i, x in enumerate(t.inputs):
                if not isinstance(x, Tensor) or id(x) not in kept:
                    continue
                ix = id(x)
                tail = self.tid(x) if ix in box else f"T{index[ix]}"
                if inside is not None:
                    # An edge into a collapsed layer: only from outside it, once per source.
                    if box.get(ix) is inside or (tail, head) in seen:
                        continue
                    seen.add((tail, head))
                    g.edges([(tail, head)])
                    continue
                n = uses[ix] = uses.get(ix, 0) + 1
                if n > FAN_OUT and ix not in box:
                    # The summarized view of a much-used tensor: a copy of its name here.
                    tail = f"R{index[ix]}_{n}"
                    home(t).node(tail, esc(walk.names[ix]), shape="box", style="rounded,dashed",
                                 color="#999999", tooltip="drawn once; a copy at each further use")
                label = labels.get((it, i))
                if label is not None and (ix not in box or box[ix].output is x):
                    label = f"<{esc(label)}>"
                else:
                    label = None
                if hot and (ix, it) in hot:
                    g.edge(tail, head, label, color=PATH_COLOR, fontcolor=PATH_COLOR,
                           penwidth="2.5")
                elif label is not None:  # no keyword arguments: graphviz skips sorting them
                    g.edge(tail, head, label)
                else:
                    g.edges([(tail, head)])
                edge_ids.setdefault((ix, it), []).append(f"E_{tail}_{head}")

    def _more(self, g: graphviz.Digraph) -> None:
        walk = self.walk
        note = (f"… {walk.left_out:,} more tensors and {walk.left_out_ops:,} ops not drawn "
                f"(max_nodes={self.max_nodes}; pass a larger max_nodes, or None, to draw them)")
        g.node("MORE", esc(note), shape="note", style="filled", fillcolor="#fff4e0",
               fontcolor="#8a5a00", tooltip="left out")
        for k, t in enumerate(walk.order):
            if t.op is not None and walk.truncated(t):
                g.edge("MORE", self.tid(t) if id(t) in self.box else f"O{k}", style="dashed",
                       color="#c08a2a")

