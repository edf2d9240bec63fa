"""The step-by-step backprop page: frames, one layout, and the page in headless Chromium."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import numpy as np
import pytest

from tinygrad_course import Tensor, nn, save_backward_steps, seed_graph
from tinygrad_course.losses import binary_cross_entropy
from tinygrad_course.viz.chain import ChainContext
from tinygrad_course.viz.steps import backward_frames
from tinygrad_course.viz.walk import GraphWalk

from .browser import chromium, needs_chromium, run_checks

HAS_DOT = shutil.which("dot") is not None
ENGINES = [pytest.param("dot", marks=pytest.mark.skipif(not HAS_DOT, reason="no Graphviz `dot`")),
           "basic"]


def seed() -> dict[str, Tensor]:
    return seed_graph()


def two_layer_cost() -> Tensor:
    """A (2, 4, 1) tanh/sigmoid net on 3 examples: its LR picture is ~3000 px wide."""
    net = nn.Sequential(nn.Linear(2, 4, seed=1), nn.Tanh(), nn.Linear(4, 1, seed=2),
                        nn.Sigmoid())
    X = Tensor(np.random.default_rng(0).normal(size=(2, 3)), name="X")
    return binary_cross_entropy(net(X), np.array([[1.0, 0.0, 1.0]]))


def frames_of(page: str) -> list[dict]:
    m = re.search(r'<script type="application/json" id="frames">(.*?)</script>', page, re.S)
    assert m
    return json.loads(m.group(1))


def test_frames_fill_gradients_from_the_root_back() -> None:
    g = seed()
    walk = GraphWalk(g["e"])
    frames = backward_frames(ChainContext(walk))
    order = [walk.names[id(f.focus)] if f.focus is not None else None for f in frames]
    assert order == [None, "e", "d", "c", "b", "a"]
    assert frames[0].caption.startswith("Forward pass") and "e = 6" in frames[0].caption
    assert [len(f.revealed) for f in frames] == [0, 1, 2, 3, 4, 5]
    by_name = dict(zip(order, frames))
    assert by_name["b"].caption == "de/db = de/dc·dc/db + de/dd·dd/db = 2·1 + 3·1 = 5"
    assert by_name["b"].active == {(id(g["b"]), id(g["c"])), (id(g["b"]), id(g["d"]))}
    assert by_name["e"].caption == "Backward starts at the output: de/de = 1"


@pytest.mark.parametrize("engine", ENGINES)
def test_page_is_self_contained_with_one_picture(tmp_path: Path, engine: str) -> None:
    g = seed()
    page = save_backward_steps(g["e"], tmp_path / "steps.html", engine=engine).read_text()
    assert page.count("<svg") == 1  # one layout; the steps only change what is shown
    for external in ("<script src", "<link", "@import", "url(", "<iframe", "<img"):
        assert external not in page
    urls = set(re.findall(r"https?://[^\s\"')]+", page))
    assert urls <= {"http://www.w3.org/2000/svg", "http://www.w3.org/1999/xlink"}, urls
    assert len(set(re.findall(r'\bid="([^"]+)"', page))) == len(re.findall(r'\bid="', page))
    assert all(t.grad is None for t in g.values())  # the page computes its own gradients
    assert "selftest" not in page.lower() and "report(" not in page  # no test code shipped


@pytest.mark.parametrize("engine", ENGINES)
def test_frames_name_nodes_and_edges_of_the_picture(tmp_path: Path, engine: str) -> None:
    page = save_backward_steps(seed()["e"], tmp_path / "s.html", engine=engine).read_text()
    frames = frames_of(page)
    ids = set(re.findall(r'\bid="([^"]+)"', page))
    assert [f["caption"][:12] for f in frames][:2] == ["Forward pass", "Backward sta"]
    assert [len(f["revealed"]) for f in frames] == [0, 1, 2, 3, 4, 5]
    for f in frames[1:]:
        assert f["focus"] in ids and set(f["revealed"]) <= ids and set(f["active"]) <= ids
    b_step = next(f for f in frames if f["caption"].startswith("de/db"))
    assert len(b_step["active"]) == 2  # b feeds c and d
    # every gradient line is in the picture once, in the colour the page hides it by
    assert re.search(r'fill="#1f4e9a"[^>]*>de/db = 5<', page)


def test_bad_roots_are_refused(tmp_path: Path) -> None:
    v = Tensor([1.0, 2.0], requires_grad=True)
    with pytest.raises(ValueError, match=r"scalar .*shape \(2,\).*\.sum\(\)"):
        save_backward_steps(v * 2, tmp_path / "x.html")
    with pytest.raises(ValueError, match="does not require grad"):
        save_backward_steps(Tensor(1.0) * 2, tmp_path / "x.html")
    with pytest.raises(ValueError, match="engine"):
        save_backward_steps(seed()["e"], tmp_path / "x.html", engine="svg")


STEP_THROUGH = """
var b = window.backprop, out = [];
function shown(id) {
  return Array.prototype.filter.call(document.querySelectorAll('#' + CSS.escape(id) + ' text'),
    function (t) { return getComputedStyle(t).visibility !== 'hidden'; }).length;
}
out.push('count ' + b.count);
b.show(0); out.push(document.getElementById('counter').textContent);
document.getElementById('next').click(); out.push('after next ' + b.current());
document.dispatchEvent(new KeyboardEvent('keydown', {key: 'End', bubbles: true}));
out.push('after End ' + b.current());
document.dispatchEvent(new KeyboardEvent('keydown', {key: 'ArrowLeft', bubbles: true}));
out.push('after left ' + b.current());
for (var i = 0; i < b.count; i++) {
  b.show(i);
  var f = b.frames[i];
  var active = document.querySelectorAll('g.edge.active').length;
  var line = 'step ' + i + ' active ' + active;
  if (f.focus) {
    var r = document.getElementById(f.focus).getBoundingClientRect();
    var inside = r.left >= 0 && r.top >= 0 && r.right <= innerWidth && r.bottom <= innerHeight;
    line += (inside ? ' in view' : ' OFF ' + [r.left, r.top, r.right, r.bottom].join(','));
  }
  out.push(line);
}
report(out.join('|'));
"""


@needs_chromium
@pytest.mark.parametrize("engine", ENGINES)
def test_page_steps_in_headless_chromium(tmp_path: Path, engine: str) -> None:
    page = save_backward_steps(seed()["e"], tmp_path / "steps.html", engine=engine)
    result, _ = run_checks(tmp_path, page, STEP_THROUGH)
    parts = result.split("|")
    assert parts[:5] == ["count 6", "step 0 of 5 (forward pass)", "after next 1",
                         "after End 5", "after left 4"], result
    assert parts[5] == "step 0 active 0"
    assert all(p.endswith("in view") for p in parts[6:]), result
    assert "step 4 active 2" in parts[9], result  # b's two edges, to c and to d
    assert "ERRORS" not in result


@needs_chromium
def test_two_layer_net_page_follows_the_active_step(tmp_path: Path) -> None:
    page = save_backward_steps(two_layer_cost(), tmp_path / "net.html")
    result, _ = run_checks(tmp_path, page, STEP_THROUGH, width=1300, height=900)
    steps = [p for p in result.split("|") if p.startswith("step ") and " active " in p]
    assert len(steps) > 10, result
    off = [p for p in steps[1:] if not p.endswith("in view")]
    assert not off, off
    assert "ERRORS" not in result


@needs_chromium
def test_injected_checks_see_page_errors(tmp_path: Path) -> None:
    # The harness itself: an error on the page is reported, so "ERRORS" above can appear.
    page = save_backward_steps(seed()["e"], tmp_path / "steps.html", engine="basic")
    result, _ = run_checks(tmp_path, page, "setTimeout(function () { report('done'); }, 0);"
                           " undefinedThing.go();")
    assert result.startswith("done ERRORS:") and "undefinedThing" in result


@needs_chromium
def test_screenshot(tmp_path: Path) -> None:
    page = save_backward_steps(seed()["e"], tmp_path / "steps.html")
    shot = tmp_path / "steps.png"
    proc = chromium(tmp_path, f"--screenshot={shot}", page.resolve().as_uri(),
                    width=1200, height=800)
    assert proc.returncode == 0 and shot.exists(), proc.stderr[-2000:]
    png = shot.read_bytes()
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    assert (int.from_bytes(png[16:20], "big"), int.from_bytes(png[20:24], "big")) == (1200, 800)
    assert len(png) > 15_000  # a blank page compresses to a few kB
