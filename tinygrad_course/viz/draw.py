"""``draw_graph``: a computation graph as a ``graphviz.Digraph``, built with graphviz's own API.

Every node and edge gets an ``id`` (``T3`` a tensor, ``O3`` the op that made it, ``E_T1_O3`` an
edge), so the step-by-step page can light up one step of one layout. User text reaches a label
only through :func:`~tinygrad_course.viz.escape.esc`; labels are HTML-like (``<...>``).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ..engine.tensor import Tensor
from .chain import ChainContext, ChainRule
from .clusters import Cluster, find_clusters
from .escape import esc
from .labels import edge_label, html_lines, input_name, shape_text, tensor_label
from .walk import GraphWalk

if TYPE_CHECKING:  # graphviz is imported when a picture is made, not with the package
    import graphviz

    from .picture import Picture

__all__ = ["draw_graph", "Drawing", "DEFAULT_MAX_NODES", "FAN_OUT"]

DEFAULT_MAX_NODES = 10_000
# A tensor used by more ops than this is drawn once, plus a small copy next to each further
# use: long edges from one node to every rank are what make ``dot`` take minutes.
FAN_OUT = 4

# Leaves, parameters and intermediates look different; the root stands out.
FILL = {"output": "#ffe08a", "parameter": "#cfe3ff", "input": "#e6e6e6",
        "intermediate": "#ffffff"}
PATH_COLOR = "#d62728"
# Op nodes and constants are drawn inside an unnamed subgraph (a scope for node defaults, no
# effect on the layout) per cluster, so each node states only what differs.
OP_STYLE = {"shape": "circle", "style": "filled", "fillcolor": "#f2f2f2", "margin": "0.02",
            "width": "0.3", "height": "0.3"}
CONST_STYLE = {"shape": "plaintext", "style": "", "fontcolor": "#666666", "fontsize": "10",
               "tooltip": "constant"}


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


def kind_of(t: Tensor, root: Tensor) -> str:
    """``output``, ``parameter`` (a leaf that wants a gradient), ``input`` or ``intermediate``."""
    if t is root:
        return "output"
    if t.is_leaf:
        return "parameter" if t.requires_grad else "input"
    return "intermediate"


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
        self.nodes = self.edges = 0  # counted by digraph(), for the rendering budget
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
        g = Picture("computation_graph", graph_attr={
            "rankdir": self.rankdir, "fontname": "Helvetica", "nodesep": "0.25",
            "ranksep": "0.35"},
            # The tensor box is the default: on a 10,000-tensor graph graphviz's quoting of
            # each attribute of each node is most of the time spent here.
            node_attr={"fontname": "Helvetica", "fontsize": "11", "shape": "box",
                       "style": "rounded,filled", "fillcolor": FILL["intermediate"]},
            edge_attr={"fontname": "Helvetica", "fontsize": "9", "arrowsize": "0.7"})
        self.nodes = self.edges = 0
        self.edge_ids = {}
        chain = self.chain
        on_path = chain.on_path if chain else frozenset()
        hot_edges = chain.path_edges if chain else frozenset()
        subgraphs: dict[int, graphviz.Digraph] = {}
        collapsed = {id(b) for b in self.box.values()}
        for c in self.clusters:
            if id(c) not in collapsed:
                subgraphs[id(c)] = graphviz.Digraph(f"cluster_{walk.index[c.key]}", graph_attr={
                    "label": esc(c.title(walk.names, self.owner)),
                    "style": "rounded,dashed", "color": "#7a7a7a", "fontsize": "11",
                    "labeljust": "l"})

        def home(t: Tensor) -> graphviz.Digraph:
            """The subgraph a tensor (and its op) is drawn in."""
            c: Cluster | None = self.owner.get(id(t))
            if c is not None and id(t) in self.box:
                c = c.parent
            return subgraphs[id(c)] if c is not None else g

        # Per subgraph: the unnamed op and constant scopes its ops are drawn in.
        Scope = tuple[graphviz.Digraph, graphviz.Digraph, graphviz.Digraph]
        scopes: dict[int, Scope] = {}

        def op_scope(t: Tensor) -> Scope:
            sub = home(t)
            scope = scopes.get(id(sub))
            if scope is None:  # two Digraphs per subgraph, not per op
                scope = scopes[id(sub)] = (sub, graphviz.Digraph(node_attr=OP_STYLE),
                                           graphviz.Digraph(node_attr=CONST_STYLE))
            return scope

        drawn_boxes: set[int] = set()
        for k, t in enumerate(walk.order):
            layer = self.box.get(id(t))
            if layer is not None:
                if id(layer) not in drawn_boxes:
                    drawn_boxes.add(id(layer))
                    self._node(home(t), self.tid(t), self._box_label(layer), shape="box3d",
                               style="filled", fillcolor="#eef3e2",
                               tooltip="collapsed layer")
                continue
            kind = kind_of(t, self.root)
            attrs = {"tooltip": kind}
            if kind != "intermediate":
                attrs["fillcolor"] = FILL[kind]
            if kind == "output":
                attrs.update(penwidth="2.5", color="#b8860b")
            if id(t) in on_path:
                attrs.update(color=PATH_COLOR, penwidth="2.5")
            self._node(home(t), f"T{k}", self._tensor_label(t), **attrs)
            if t.op is not None:
                _, ops, consts = op_scope(t)
                self._op(ops, consts, t, k, id(t) in on_path)
        for sub, ops, consts in scopes.values():
            sub.subgraph(ops)
            sub.subgraph(consts)
        # Clusters go in innermost first, so each is complete when its parent takes it.
        for c in sorted(self.clusters, key=lambda c: -c.depth):
            if id(c) in subgraphs:
                parent = subgraphs.get(id(c.parent)) if c.parent is not None else None
                (parent if parent is not None else g).subgraph(subgraphs[id(c)])
        self._all_edges(g, hot_edges, home)
        if walk.left_out:
            self._more(g)
        if chain is not None:
            g.attr(label=esc(chain.text), labelloc="b", fontcolor=PATH_COLOR,
                   fontsize="14")
        return g

    # --- pieces -------------------------------------------------------------------------------
    def _node(self, sub: graphviz.Digraph, name: str, label: str, **attrs: str) -> None:
        self.nodes += 1
        sub.node(name, label, id=name, **attrs)

    def _edge(self, g: graphviz.Digraph, tail: str, head: str, **attrs: str) -> None:
        self.edges += 1
        g.edge(tail, head, **attrs)

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

    def _op(self, ops: graphviz.Digraph, consts: graphviz.Digraph, t: Tensor, k: int,
            hot: bool) -> None:
        op = t.op
        assert op is not None
        attrs = {"tooltip": esc(op.name)}
        if len(op.symbol) > 2:
            attrs["shape"] = "ellipse"
        if hot:
            attrs.update(color=PATH_COLOR, penwidth="2")
        self._node(ops, f"O{k}", esc(op.symbol), **attrs)
        if self.show_constants:
            for i, x in enumerate(t.inputs):
                if not isinstance(x, Tensor):
                    self._node(consts, f"K{k}_{i}", esc(input_name(x, {})))

    def _all_edges(self, g: graphviz.Digraph, hot: frozenset[tuple[int, int]],
                   home: Any) -> None:
        walk = self.walk
        seen: set[tuple[str, str]] = set()
        uses: dict[int, int] = {}
        for k, t in enumerate(walk.order):
            if t.op is None:
                continue
            inside = self.box.get(id(t))
            head = self.tid(t) if inside is not None else f"O{k}"
            if inside is None:
                out_hot = any((id(x), id(t)) in hot for x in t.parents)
                self._edge(g, head, f"T{k}", **({"color": PATH_COLOR, "penwidth": "2"}
                                                if out_hot else {}))
            for i, x in enumerate(t.inputs):
                if not isinstance(x, Tensor):
                    if self.show_constants and inside is None:
                        self._edge(g, f"K{k}_{i}", head, color="#999999", style="dashed")
                    continue
                if id(x) not in walk.kept:
                    continue
                tail = self.tid(x)
                if inside is not None:
                    # An edge into a collapsed layer: only from outside it, once per source.
                    if self.box.get(id(x)) is inside or (tail, head) in seen:
                        continue
                    seen.add((tail, head))
                    self._edge(g, tail, head)
                    continue
                n = uses[id(x)] = uses.get(id(x), 0) + 1
                if n > FAN_OUT and id(x) not in self.box:
                    # The summarized view of a much-used tensor: a copy of its name here.
                    copy = f"R{walk.index[id(x)]}_{n}"
                    self._node(home(t), copy, esc(walk.names[id(x)]),
                               shape="box", style="rounded,dashed", color="#999999",
                               tooltip="drawn once; a copy at each further use")
                    tail = copy
                attrs: dict[str, str] = {}
                label = self.edge_labels.get((id(t), i))
                box = self.box.get(id(x))
                if label is not None and (box is None or box.output is x):
                    attrs["label"] = esc(label)
                if (id(x), id(t)) in hot:
                    attrs.update(color=PATH_COLOR, fontcolor=PATH_COLOR, penwidth="2.5")
                self._edge(g, tail, head, id=f"E_{tail}_{head}", **attrs)
                self.edge_ids.setdefault((id(x), id(t)), []).append(f"E_{tail}_{head}")

    def _more(self, g: graphviz.Digraph) -> None:
        walk = self.walk
        note = (f"… {walk.left_out:,} more tensors and {walk.left_out_ops:,} ops not drawn "
                f"(max_nodes={self.max_nodes}; pass a larger max_nodes, or None, to draw them)")
        self._node(g, "MORE", esc(note), shape="note", style="filled",
                   fillcolor="#fff4e0", fontcolor="#8a5a00", tooltip="left out")
        for k, t in enumerate(walk.order):
            if t.op is not None and walk.truncated(t):
                self._edge(g, "MORE", self.tid(t) if id(t) in self.box else f"O{k}",
                           style="dashed", color="#c08a2a")

