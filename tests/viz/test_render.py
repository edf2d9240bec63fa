"""Graph pictures rendered for real by Graphviz (svg, png, pdf), and what happens without it."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import numpy as np
import pytest
from loading import load_by_path

from tinygrad_course import Tensor, draw_graph, seed_graph
from tinygrad_course.nn.scope import mark_call
from tinygrad_course.viz import GraphTooLarge, GraphvizMissing, render

needs_dot = pytest.mark.skipif(shutil.which("dot") is None,
                               reason="Graphviz's `dot` is not installed (apt-get install "
                               "graphviz); CI installs it")


def seed() -> Tensor:
    return seed_graph(backward=True)["e"]


def layered_net() -> Tensor:
    rng = np.random.default_rng(0)
    A = X = Tensor(rng.normal(size=(2, 3)), name="X")
    for l, (n, n_prev) in enumerate([(4, 2), (1, 4)], start=1):
        W = Tensor(rng.normal(size=(n, n_prev)), requires_grad=True, name=f"W[{l}]")
        b = Tensor(np.zeros((n, 1)), requires_grad=True, name=f"b[{l}]")
        Z = W @ A + b
        Z.name = f"Z[{l}]"
        mark_call(Z, f"Linear {l}", [A])
        A = Z.tanh()
        A.name = f"A[{l}]"
    mark_call(A, "Model", [X])
    J = A.sum()
    J.name = "J"
    J.backward()
    return J


@needs_dot
def test_svg_shows_values_gradients_and_edge_derivatives(tmp_path: Path) -> None:
    out = render(draw_graph(seed(), highlight="b"), tmp_path / "e.svg")
    svg = out.read_text(encoding="utf-8")
    assert svg.lstrip().startswith("<?xml") and "<svg" in svg
    for text in ("e = 6", "de/db = 5", "∂e/∂c = d = 2", "∂e/∂d = c = 3",
                 "de/db = de/dc·dc/db + de/dd·dd/db = 2·1 + 3·1 = 5"):
        assert f">{text}</text>" in svg, text
    assert svg.count('class="node"') == 5 + 3 + 1  # tensors, ops, the constant 1
    assert svg.count('class="edge"') == 9
    # The ids are defaults of the graph (\N, E_\T_\H) that dot expands for each node and edge.
    ids = re.findall(r'<g id="([^"]+)" class="(?:node|edge)"', svg)
    assert len(ids) == len(set(ids)) == 18
    assert {"T0", "O2", "K3_1", "E_T0_O2", "E_O2_T2", "E_K3_1_O3"} <= set(ids)


@needs_dot
def test_png_and_pdf(tmp_path: Path) -> None:
    png = render(draw_graph(seed()), tmp_path / "e.png").read_bytes()
    assert png[:8] == b"\x89PNG\r\n\x1a\n" and len(png) > 5_000
    width, height = int.from_bytes(png[16:20], "big"), int.from_bytes(png[20:24], "big")
    assert width > 300 and height > 100
    pdf = render(draw_graph(seed()), tmp_path / "e.pdf").read_bytes()
    assert pdf.startswith(b"%PDF")


@needs_dot
@pytest.mark.parametrize("options", [{}, {"collapse_layers": True}, {"highlight": "W[1]"},
                                     {"max_nodes": 5}, {"rankdir": "TB"}])
def test_every_option_yields_valid_dot(tmp_path: Path, options: dict) -> None:
    svg = render(draw_graph(layered_net(), **options), tmp_path / "net.svg").read_text()
    assert "<svg" in svg and "Error" not in svg


@needs_dot
def test_graph_displays_inline_in_jupyter() -> None:
    g = draw_graph(seed())
    assert "<svg" in g._repr_image_svg_xml()  # what Jupyter calls to show a Digraph
    html = seed()._repr_html_()  # type: ignore[attr-defined]
    assert "<details>" in html and "<svg" in html and "∂e/∂c = d = 2" in html


def test_dot_suffix_needs_no_graphviz(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(shutil, "which", lambda name: None)
    out = render(draw_graph(seed()), tmp_path / "e.dot")
    assert out.read_text(encoding="utf-8").startswith("digraph computation_graph {")


def test_without_dot_one_clear_line(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(shutil, "which", lambda name: None)
    with pytest.raises(GraphvizMissing) as info:
        render(draw_graph(seed()), tmp_path / "e.svg")
    message = str(info.value)
    assert "\n" not in message
    assert message.startswith("cannot render e.svg: Graphviz's `dot` program is not installed")
    assert "apt-get install graphviz" in message
    assert not (tmp_path / "e.svg").exists()


def test_unknown_suffix_is_refused(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match=r"unknown output format '\.gif' for e\.gif"):
        render(draw_graph(seed()), tmp_path / "e.gif")


ROOT = Path(__file__).resolve().parents[2]


def _texts(svg: str) -> list[str]:
    """The words of a picture: layout and Graphviz version do not change them, content does."""
    return sorted(re.findall(r"<text[^>]*>([^<]*)</text>", svg))


@needs_dot
def test_docs_pictures_are_current(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    gen = load_by_path(ROOT / "docs" / "gen_pictures.py")
    assert gen.main(["--out", str(tmp_path)]) == 0
    made = sorted(p.name for p in tmp_path.iterdir())
    committed = sorted(p.name for p in (ROOT / "docs" / "img").iterdir())
    assert made == committed
    for name in made:
        if name.endswith(".svg"):
            fresh = _texts((tmp_path / name).read_text(encoding="utf-8"))
            old = _texts((ROOT / "docs" / "img" / name).read_text(encoding="utf-8"))
            assert fresh == old, f"docs/img/{name} is stale: run docs/gen_pictures.py"
    page = (ROOT / "docs" / "visualization.md").read_text(encoding="utf-8")
    assert set(re.findall(r"\(img/([^)]+)\)", page)) == set(made)


@needs_dot
def test_example_script(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    example = load_by_path(ROOT / "examples" / "computation_graph.py")
    assert example.main(["--out", str(tmp_path)]) == 0
    out = capsys.readouterr().out
    assert "forward:  c = 3, d = 2, e = 6" in out
    assert "backward: de/da = 2, de/db = 5, de/dc = 2, de/dd = 3" in out
    assert "de/db = de/dc·dc/db + de/dd·dd/db = 2·1 + 3·1 = 5" in out
    forward = (tmp_path / "seed_forward.svg").read_text(encoding="utf-8")
    backward = (tmp_path / "seed_backward.svg").read_text(encoding="utf-8")
    assert ">e = 6</text>" in forward and "de/d" not in forward
    assert ">de/db = 5</text>" in backward
    assert (tmp_path / "seed_steps.html").exists()


def _chain(n: int) -> Tensor:
    x = Tensor(1.0, requires_grad=True, name="x")
    y = x
    for _ in range(n):
        y = y * 1.0001
    return y


def test_every_way_to_render_a_drawing_is_bounded(tmp_path: Path) -> None:
    # draw_graph returns a graphviz.Digraph whose pipe/render/Jupyter display go through the
    # budget; graphviz's own would run dot unbounded on a 9,000-node graph.
    big = draw_graph(_chain(3_000))
    with pytest.raises(GraphTooLarge, match=r"9,001 nodes .* max_nodes=.*collapse_layers"):
        big.pipe("svg")
    with pytest.raises(GraphTooLarge):
        big.render(tmp_path / "big", format="svg")
    # Jupyter shows one line instead of a traceback
    assert big._repr_mimebundle_()["text/plain"].startswith("(not drawn) the graph has 9,001")
    assert not (tmp_path / "big.svg").exists()
    with pytest.raises(GraphTooLarge):
        render(big, tmp_path / "big.svg")
    render(big, tmp_path / "big.dot")  # the source needs no layout: always written


@needs_dot
def test_drawings_render_like_graphviz_digraphs(tmp_path: Path) -> None:
    g = draw_graph(seed())
    assert g.pipe("svg", encoding="utf-8").lstrip().startswith("<?xml")
    assert "<svg" in g._repr_mimebundle_()["image/svg+xml"]
    out = g.render(tmp_path / "seed", format="png", cleanup=True)
    assert out == str(tmp_path / "seed.png") and Path(out).read_bytes()[:4] == b"\x89PNG"
    assert not (tmp_path / "seed").exists()
    with pytest.raises(TypeError, match="view"):
        g.render(tmp_path / "x", view=True)


@needs_dot
def test_png_resolution(tmp_path: Path) -> None:
    g = draw_graph(seed())
    sizes = []
    for dpi in (96, 192):
        png = render(g, tmp_path / f"e{dpi}.png", dpi=dpi).read_bytes()
        sizes.append(int.from_bytes(png[16:20], "big"))
    assert 1.9 < sizes[1] / sizes[0] < 2.1
    with pytest.raises(ValueError, match="dpi must be a number from 1 to 2400"):
        render(g, tmp_path / "e.png", dpi=0)


@needs_dot
def test_a_slow_layout_stops_at_the_timeout(tmp_path: Path) -> None:
    g = draw_graph(_chain(600))  # 1,801 nodes: inside the budget, but not within 1 ms
    with pytest.raises(GraphTooLarge, match=r"within 0.001 s.*render\(\.\.\., timeout=\.\.\.\)"):
        render(g, tmp_path / "slow.svg", timeout=0.001)
    assert not (tmp_path / "slow.svg").exists()
