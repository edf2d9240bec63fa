"""Graph pictures as DOT source: nodes, edges, labels, clusters, values and gradients."""

from __future__ import annotations

import re

import numpy as np
import pytest

from tinygrad_course import Tensor, draw_graph, seed_graph
from tinygrad_course.nn.scope import mark_call
from tinygrad_course.viz import chain_rule, tensor_html
from tinygrad_course.viz.walk import GraphWalk, count_upto

NODE = re.compile(r"^\t+(\w+)(?: \[(.*)\])?$")
EDGE = re.compile(r"^\t+(\w+) -> (\w+)(?: \[(.*)\])?$")
DEFAULTS = re.compile(r"^\t+(node|edge) \[(.*)\]$")


def seed(backward: bool = True) -> dict[str, Tensor]:
    """The course's first graph, every tensor named: c = a+b, d = b+1, e = c*d."""
    return seed_graph(backward=backward)


def attr_dict(text: str) -> dict[str, str]:
    """The ``key=value`` pairs of a DOT attribute list, each value as written: quoted,
    HTML-like (``<...>``, nested tags included) or bare."""
    out: dict[str, str] = {}
    i = 0
    while i < len(text):
        m = re.compile(r" *(\w+)=").match(text, i)
        assert m, text[i:]
        key, i = m.group(1), m.end()
        j = i
        if text[i] == "<":
            depth = 0
            while True:
                depth += {"<": 1, ">": -1}.get(text[j], 0)
                j += 1
                if depth == 0:
                    break
        elif text[i] == '"':
            j += 1
            while text[j] != '"':
                j += 2 if text[j] == "\\" else 1
            j += 1
        else:
            while j < len(text) and text[j] != " ":
                j += 1
        out[key] = text[i:j]
        i = j
    return out


class Dot:
    """The parts of a DOT source that tests look at."""

    def __init__(self, source: str) -> None:
        self.source = source
        self.nodes: dict[str, str] = {}  # each node's own attributes, as written
        self.attrs: dict[str, dict[str, str]] = {}  # ... with the defaults of its scope
        self.edges: list[tuple[str, str, str]] = []
        self.edge_attrs: dict[tuple[str, str], dict[str, str]] = {}
        scopes = [({}, {})]  # node and edge defaults, innermost last
        for line in source.splitlines():
            if line.endswith("{"):
                scopes.append((dict(scopes[-1][0]), dict(scopes[-1][1])))
            elif line.strip() == "}":
                scopes.pop()
            elif m := DEFAULTS.match(line):
                scopes[-1][m.group(1) == "edge"].update(attr_dict(m.group(2)))
            elif m := EDGE.match(line):
                own = m.group(3) or ""
                self.edges.append((m.group(1), m.group(2), own))
                self.edge_attrs[(m.group(1), m.group(2))] = {**scopes[-1][1],
                                                             **attr_dict(own)}
            elif (m := NODE.match(line)) and m.group(1) != "graph":
                self.nodes[m.group(1)] = m.group(2) or ""
                self.attrs[m.group(1)] = {**scopes[-1][0], **attr_dict(m.group(2) or "")}
        self.ids = {}
        for node_id, attrs in self.nodes.items():
            m = re.search(r"<b>(.*?)</b>", attrs)
            if m and node_id.startswith("T"):
                self.ids[m.group(1)] = node_id

    def op_of(self, name: str) -> str:
        """The op node that produced tensor ``name`` (its only incoming edge)."""
        (tail,) = [t for t, h, _ in self.edges if h == self.ids[name]]
        return tail

    def edge(self, src: str, out: str) -> str:
        """Attributes of the edge from tensor ``src`` into the op that made ``out``."""
        found = [a for t, h, a in self.edges if t == self.ids[src] and h == self.op_of(out)]
        assert len(found) == 1, found
        return found[0]


def test_seed_nodes_values_and_gradients() -> None:
    dot = Dot(draw_graph(seed()["e"]).source)
    assert set(dot.ids) == {"a", "b", "c", "d", "e"}
    expected = {"a": (2, 2), "b": (1, 5), "c": (3, 2), "d": (2, 3), "e": (6, 1)}
    for name, (value, grad) in expected.items():
        label = dot.nodes[dot.ids[name]]
        assert f">{name} = {value}<" in label
        assert f">de/d{name} = {grad}<" in label
    ops = {dot.attrs[dot.op_of(n)]["label"] for n in "cde"}
    assert ops == {'"+"', '"*"'}
    assert {dot.attrs[dot.op_of(n)]["tooltip"] for n in "cde"} == {"add", "mul"}
    assert len([n for n in dot.nodes if n.startswith("O")]) == 3  # one node per op


def test_seed_edges_carry_local_derivatives_with_numbers() -> None:
    dot = Dot(draw_graph(seed()["e"]).source)
    assert 'label=<∂e/∂c = d = 2>' in dot.edge("c", "e")
    assert 'label=<∂e/∂d = c = 3>' in dot.edge("d", "e")
    assert 'label=<∂c/∂a = 1>' in dot.edge("a", "c")
    assert 'label=<∂c/∂b = 1>' in dot.edge("b", "c")
    assert 'label=<∂d/∂b = 1>' in dot.edge("b", "d")
    # op -> output edges, plus the constant 1 of d = b + 1 drawn as its own small node
    for name in "cde":
        assert (dot.op_of(name), dot.ids[name], "") in dot.edges
    const = [n for n in dot.nodes if n.startswith("K")]
    assert len(const) == 1 and dot.attrs[const[0]]["label"] == "<1>"
    assert dot.attrs[const[0]]["shape"] == "plaintext"
    (edge,) = [a for (t, _), a in dot.edge_attrs.items() if t == const[0]]
    assert "label" not in edge and edge["style"] == "dashed"


def test_kinds_look_different_and_the_root_stands_out() -> None:
    X = Tensor(np.ones((2, 3)), name="X")
    w = Tensor(np.ones((1, 2)), requires_grad=True, name="w")
    Z = w @ X
    Z.name = "Z"
    J = Z.sum()
    J.name = "J"
    dot = Dot(draw_graph(J).source)
    kinds = {n: dot.attrs[dot.ids[n]]["tooltip"] for n in ("X", "w", "Z", "J")}
    assert kinds == {"X": "input", "w": "parameter", "Z": "intermediate", "J": "output"}
    # an intermediate box states neither: the graph's defaults are its tooltip and fill
    assert "tooltip" not in dot.nodes[dot.ids["Z"]] and "fill" not in dot.nodes[dot.ids["Z"]]
    fills = {n: dot.attrs[dot.ids[n]]["fillcolor"] for n in kinds}
    assert len(set(fills.values())) == 4
    assert "penwidth=2.5" in dot.nodes[dot.ids["J"]]
    assert "penwidth" not in dot.nodes[dot.ids["Z"]]
    # no gradient flows to the data: its edge has no derivative label
    assert "label" not in dot.edge("X", "Z")


def test_forward_only_and_switches() -> None:
    e = seed(backward=False)["e"]
    src = draw_graph(e).source
    assert "e = 6" in src and "de/d" not in src
    e.backward()
    assert "de/db = 5" in draw_graph(e).source
    assert "de/db" not in draw_graph(e, show_grad=False).source
    no_data = draw_graph(e, show_data=False).source
    assert "b = 1<" not in no_data and "de/db = 5" in no_data
    assert "∂" not in draw_graph(e, show_edge_derivatives=False).source
    assert "K" not in "".join(Dot(draw_graph(e, show_constants=False).source).nodes)
    assert "rankdir=TB" in draw_graph(e, rankdir="TB").source.replace('"', "")


def test_chain_rule_highlight() -> None:
    g = seed()
    src = draw_graph(g["e"], highlight="b").source
    assert 'label="de/db = de/dc·dc/db + de/dd·dd/db = 2·1 + 3·1 = 5"' in src
    dot = Dot(src)
    red = [(t, h) for t, h, a in dot.edges if "#d62728" in a]
    # b -> (+ of c), b -> (+ of d), c -> *, d -> *, and the three op -> output edges
    assert len(red) == 7
    assert "#d62728" not in dot.edge("a", "c")
    assert "#d62728" not in dot.nodes[dot.ids["a"]] and "#d62728" in dot.nodes[dot.ids["b"]]
    # the same rule by tensor, and its value equals what backward computed
    for name in "abcde":
        rule = chain_rule(g["e"], g[name])
        assert rule.value == g[name].grad.item()
    assert str(chain_rule(g["e"], "a")) == "de/da = de/dc·dc/da = 2·1 = 2"
    assert str(chain_rule(g["e"], "e")) == "de/de = 1"


def test_chain_rule_for_tensors_is_symbolic_and_unused_inputs_say_so() -> None:
    W = Tensor(np.ones((2, 3)), requires_grad=True, name="W")
    X = Tensor(np.ones((3, 4)), name="X")
    Z = W @ X
    Z.name = "Z"
    J = Z.sum()
    J.name = "J"
    rule = chain_rule(J, W)
    assert rule.text == "dJ/dW = dJ/dZ·dZ/dW" and rule.value is None
    x = Tensor(1.0, requires_grad=True, name="x")
    y = Tensor(2.0, requires_grad=True, name="y")
    s = x * 3 + y
    s.name = "s"
    assert str(chain_rule(s, "x")) == "ds/dx = ds/dt1·dt1/dx = 1·3 = 3"


def test_tensor_graph_edges_show_the_rule_in_course_notation() -> None:
    W = Tensor(np.ones((4, 2)), requires_grad=True, name="W")
    A_prev = Tensor(np.ones((2, 5)), requires_grad=True, name="A_prev")
    Z = W @ A_prev
    Z.name = "Z"
    A = Z.sigmoid()
    A.name = "A"
    J = A.mean()
    J.name = "J"
    dot = Dot(draw_graph(J).source)
    assert 'label=<∂Z/∂W: dZ·A_prevᵀ>' in dot.edge("W", "Z")
    assert 'label=<∂Z/∂A_prev: Wᵀ·dZ>' in dot.edge("A_prev", "Z")
    assert 'label=<∂A/∂Z: σ(Z)·(1-σ(Z))>' in dot.edge("Z", "A")
    assert 'label=<∂J/∂A: 1/n>' in dot.edge("A", "J")


def test_values_small_in_full_large_summarized() -> None:
    small = Tensor([[1.0, 2.0], [3.0, 4.0]], requires_grad=True, name="S")
    big = Tensor(np.arange(100.0).reshape(4, 25), requires_grad=True, name="B")
    out = (small.sum() + big.sum())
    out.name = "out"
    out.backward()
    dot = Dot(draw_graph(out).source)
    s, b = dot.nodes[dot.ids["S"]], dot.nodes[dot.ids["B"]]
    assert "(2, 2)" in s and ">[1, 2]<" in s and ">[3, 4]<" in s
    assert "(4, 25)" in b and "min 0 · mean 49.5 · max 99" in b
    assert "min 1 · mean 1 · max 1" in b  # dout/dB is all ones, summarized too
    f32 = Tensor(np.ones(3, dtype=np.float32), requires_grad=True, name="f")
    assert "float32" in draw_graph(f32.sum()).source


def test_generated_names_are_short_stable_and_never_clash() -> None:
    a = Tensor(2.0, requires_grad=True, name="a")
    b = Tensor(1.0, requires_grad=True, name="b")
    e = (a + b) * (b + 1)
    names = [GraphWalk(e).names[id(t)] for t in GraphWalk(e).order]
    # The unnamed scalar root is a cost: J, as the course writes it (dJ/dW[1], not dt3/dW[1]).
    assert names == ["a", "b", "t1", "t2", "J"]
    assert draw_graph(e).source == draw_graph(e).source
    assert "∂J/∂t1 = t2 = 2" in draw_graph(e).source
    t1 = Tensor(1.0, requires_grad=True, name="t1")
    f = t1 * 2 + 1
    assert [GraphWalk(f).names[id(t)] for t in GraphWalk(f).order] == ["t1", "t2", "J"]
    # ... unless J is taken, or the root is not a scalar (then it is not a cost).
    J = Tensor(1.0, requires_grad=True, name="J")
    w = GraphWalk(J * 2)
    assert [w.names[id(t)] for t in w.order] == ["J", "t1"]
    v = Tensor([1.0, 2.0], requires_grad=True, name="v")
    assert GraphWalk(v * 2).names[id(v)] == "v" and "<b>t1</b>" in draw_graph(v * 2).source


def two_layer_net(nested: bool = False) -> dict[str, Tensor]:
    """A hand-built 2-layer net, each layer marked as the nn layers mark themselves."""
    rng = np.random.default_rng(1)
    X = Tensor(rng.normal(size=(2, 3)), name="X")
    t: dict[str, Tensor] = {"X": X}
    A = X
    for l, (n, n_prev) in enumerate([(4, 2), (1, 4)], start=1):
        W = Tensor(rng.normal(size=(n, n_prev)), requires_grad=True, name=f"W[{l}]")
        b = Tensor(np.zeros((n, 1)), requires_grad=True, name=f"b[{l}]")
        Z = W @ A + b
        Z.name = f"Z[{l}]"
        mark_call(Z, f"Linear {l}", [A])
        A_new = Z.tanh() if l == 1 else Z.sigmoid()
        A_new.name = f"A[{l}]"
        t.update({f"W[{l}]": W, f"b[{l}]": b, f"Z[{l}]": Z, f"A[{l}]": A_new})
        A = A_new
    if nested:
        mark_call(A, "Model", [X])
    J = A.mean()
    J.name = "J"
    J.backward()
    t["J"] = J
    return t


def _cluster_blocks(src: str) -> dict[str, str]:
    """``{cluster label: its DOT text}``, nested clusters included in their parents' text."""
    blocks = {}
    for m in re.finditer(r"subgraph (cluster_\w+) \{", src):
        depth, i = 1, m.end()
        while depth:
            depth += {"{": 1, "}": -1}.get(src[i], 0)
            i += 1
        body = src[m.end():i]
        m_label = re.search(r'^\t+graph \[.*?label=(?:"([^"]*)"|(\w+))', body, re.M)
        blocks[m_label.group(1) or m_label.group(2)] = body
    return blocks


def test_layers_become_labelled_clusters() -> None:
    net = two_layer_net()
    src = draw_graph(net["J"]).source
    dot = Dot(src)
    blocks = _cluster_blocks(src)
    assert set(blocks) == {"Linear 1: W[1] (4, 2) · b[1] (4, 1)",
                           "Linear 2: W[2] (1, 4) · b[2] (1, 1)"}
    one = blocks["Linear 1: W[1] (4, 2) · b[1] (4, 1)"]
    for name in ("W[1]", "b[1]", "Z[1]"):
        assert f"\t{dot.ids[name]} [" in one
    for name in ("X", "A[1]", "W[2]", "J"):
        assert f"\t{dot.ids[name]} [" not in one
    # the layer's ops sit in it too (a bare statement: the op scope's defaults say the rest)
    assert re.search(rf"^\t+{dot.op_of('Z[1]')}( \[.*\])?$", one, re.M)


def test_nested_calls_nest_clusters() -> None:
    src = draw_graph(two_layer_net(nested=True)["J"]).source
    blocks = _cluster_blocks(src)
    assert "Model" in blocks
    assert "Linear 1" in blocks["Model"] and "Linear 2" in blocks["Model"]
    assert "<b>A[2]</b>" in blocks["Model"] and "<b>J</b>" not in blocks["Model"]


def test_collapse_layers_draws_one_box_per_layer() -> None:
    net = two_layer_net()
    dot = Dot(draw_graph(net["J"], collapse_layers=True).source)
    boxes = {n: a for n, a in dot.nodes.items() if "box3d" in a}
    assert len(boxes) == 2 and "subgraph" not in dot.source
    for name in ("W[1]", "b[1]", "Z[1]", "W[2]"):
        assert name not in dot.ids
    (box1,) = [n for n, a in boxes.items() if "Linear 1" in a]
    (box2,) = [n for n, a in boxes.items() if "Linear 2" in a]
    assert "→ Z[1] (4, 3)" in boxes[box1] and "W[1] (4, 2)" in boxes[box1]
    assert (dot.ids["X"], box1, "") in dot.edges
    assert (dot.ids["A[1]"], box2, "") in dot.edges
    tanh = dot.op_of("A[1]")
    assert any(t == box1 and h == tanh and "∂A[1]/∂Z[1]" in a for t, h, a in dot.edges)


def test_nn_layers_are_drawn_as_clusters() -> None:
    nn = pytest.importorskip("tinygrad_course.nn")
    net = nn.Sequential(nn.Linear(2, 4, seed=0), nn.Tanh(), nn.Linear(4, 1, seed=0),
                        nn.Sigmoid())
    A2 = net(Tensor(np.ones((2, 3)), name="X"))
    src = draw_graph(A2.mean()).source
    assert "Linear 1: W[1] (4, 2) · b[1] (4, 1)" in src
    assert "<b>Z[2]</b>" in src and "<b>A[1]</b>" in src


def test_max_nodes_caps_and_says_what_was_left_out() -> None:
    x = Tensor(1.0, requires_grad=True, name="x")
    y = x
    for _ in range(50):
        y = y * 2
    dot = Dot(draw_graph(y, max_nodes=10).source)
    assert len([n for n in dot.nodes if n.startswith("T")]) == 10
    assert "… 41 more tensors and 40 ops not drawn (max_nodes=10" in dot.nodes["MORE"]
    assert [h for t, h, _ in dot.edges if t == "MORE"] == [dot.op_of("t1")]
    assert "MORE" not in draw_graph(y, max_nodes=None).source


def test_bad_arguments_are_named() -> None:
    e = seed()["e"]
    with pytest.raises(TypeError, match="expected a Tensor"):
        draw_graph(3.0)  # type: ignore[arg-type]
    with pytest.raises(ValueError, match=r"no tensor named 'z'.*a, b, c, d, e"):
        draw_graph(e, highlight="z")
    with pytest.raises(ValueError, match="rankdir"):
        draw_graph(e, rankdir="XY")
    with pytest.raises(ValueError, match="max_nodes"):
        draw_graph(e, max_nodes=0)


def test_repr_html_for_jupyter() -> None:
    g = seed()
    text = g["a"]._repr_html_()  # type: ignore[attr-defined]
    assert text.startswith("<pre") and "requires_grad=True" in text and "<svg" not in text
    assert tensor_html(g["e"]).startswith("<pre")


def _wide_graph(n_tensors: int) -> Tensor:
    """A scalar net of multiply-add-tanh steps with ``n_tensors`` tensors."""
    y = Tensor(0.5, requires_grad=True, name="x")
    count = 1
    while count + 4 <= n_tensors:
        y = (y * Tensor(0.9, requires_grad=True) + 0.1).tanh()
        count += 4
    return y


def test_ten_thousand_tensors_are_all_drawn() -> None:
    # How long this takes is measured in benchmarks/ (workloads_graph.py), not asserted here.
    y = _wide_graph(10_001)
    y.backward()
    src = draw_graph(y, max_nodes=None).source
    assert len(re.findall(r"^\tT\d+ \[", src, re.M)) == 10_001
    assert "MORE" not in src


@pytest.mark.slow
def test_million_node_chain_has_no_recursion_error() -> None:
    x = Tensor(1.0, requires_grad=True, name="x")
    y = x
    for _ in range(1_000_000):
        y = -y
    dot = Dot(draw_graph(y).source)  # the default cap: 10,000 tensors
    assert len([n for n in dot.nodes if n.startswith("T")]) == 10_000
    assert "… 990,001 more tensors and 990,000 ops not drawn" in dot.nodes["MORE"]
    assert "… 999,801 more tensors" in draw_graph(y, max_nodes=200).source
    assert count_upto(y, 2_000_000) == 1_000_001


def test_data_keeps_its_name_through_the_course_costs() -> None:
    from tinygrad_course import losses

    A = Tensor(np.array([[0.3, 0.8, 0.6, 0.1, 0.9]]), requires_grad=True, name="A")
    Y = Tensor(np.array([[0.0, 1.0, 1.0, 0.0, 1.0]]), name="Y")
    for cost in (losses.binary_cross_entropy, losses.mse):
        J = cost(A, Y)
        J.backward()
        src = draw_graph(J).source
        assert "<b>Y</b>" in src and "const(1, 5)" not in src  # data is drawn by its name
        assert "<b>J</b>" in src and "dJ/dA" in src  # the cost is J, edges read dJ/d...
        # same numbers as with the labels given as an array
        A2 = Tensor(A.data, requires_grad=True)
        cost(A2, Y.data).backward()
        np.testing.assert_array_equal(A.grad, A2.grad)
        A.grad = None
