"""The step-by-step backprop page: its frames, and the page itself in a real headless Chromium."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest

from tinygrad_course import Tensor, save_backward_steps, seed_graph
from tinygrad_course.viz.chain import ChainContext
from tinygrad_course.viz.steps import backward_frames
from tinygrad_course.viz.walk import GraphWalk

HAS_DOT = shutil.which("dot") is not None
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
needs_chromium = pytest.mark.skipif(CHROMIUM is None, reason="Chromium is not installed "
                                    "(apt-get install chromium); CI installs it")
ENGINES = [pytest.param("dot", marks=pytest.mark.skipif(not HAS_DOT, reason="no Graphviz `dot`")),
           "basic"]


def seed() -> dict[str, Tensor]:
    return seed_graph()


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
def test_page_is_self_contained(tmp_path: Path, engine: str) -> None:
    g = seed()
    page = save_backward_steps(g["e"], tmp_path / "steps.html", engine=engine).read_text()
    assert page.count('<section class="frame"') == 6 and page.count("<svg") == 6
    for external in ("<script src", "<link", "@import", "url(", "<iframe", "<img"):
        assert external not in page
    urls = set(re.findall(r"https?://[^\s\"')]+", page))
    assert urls <= {"http://www.w3.org/2000/svg", "http://www.w3.org/1999/xlink"}, urls
    assert len(set(re.findall(r'\bid="([^"]+)"', page))) == len(re.findall(r'\bid="', page))
    assert all(t.grad is None for t in g.values())  # the page computes its own gradients


def test_later_gradients_are_hidden_in_early_frames(tmp_path: Path) -> None:
    page = save_backward_steps(seed()["e"], tmp_path / "s.html", engine="basic").read_text()
    frames = page.split('<section class="frame"')[1:]
    assert "de/de = 1" not in frames[0] and "de/de = 1" in frames[1]
    assert "de/db = 5" not in frames[3] and "de/db = 5" in frames[4]
    assert frames[4].count('stroke="#d62728"') >= 2  # b's two outgoing edges are active


@pytest.mark.skipif(not HAS_DOT, reason="no Graphviz `dot`")
def test_dot_frames_keep_one_layout(tmp_path: Path) -> None:
    page = save_backward_steps(seed()["e"], tmp_path / "s.html", engine="dot").read_text()
    sizes = re.findall(r'<svg width="([^"]+)" height="([^"]+)"', page)
    assert len(sizes) == 6 and len(set(sizes)) == 1
    frames = page.split('<section class="frame"')[1:]
    # not yet computed: drawn in the node's own colour, so it takes space but is not seen
    assert re.search(r'fill="#cfe3ff"[^>]*>de/db = 5<', frames[3])
    assert not re.search(r'fill="#cfe3ff"[^>]*>de/db = 5<', frames[4])


def test_bad_roots_are_refused(tmp_path: Path) -> None:
    v = Tensor([1.0, 2.0], requires_grad=True)
    with pytest.raises(ValueError, match=r"scalar .*shape \(2,\).*\.sum\(\)"):
        save_backward_steps(v * 2, tmp_path / "x.html")
    with pytest.raises(ValueError, match="does not require grad"):
        save_backward_steps(Tensor(1.0) * 2, tmp_path / "x.html")
    with pytest.raises(ValueError, match="engine"):
        save_backward_steps(seed()["e"], tmp_path / "x.html", engine="svg")


def _chromium(tmp_path: Path, *args: str) -> subprocess.CompletedProcess[str]:
    profile = tmp_path / "profile"
    profile.mkdir(exist_ok=True)
    assert CHROMIUM is not None
    cmd = [CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
           "--disable-background-networking", "--disable-component-update", "--disable-sync",
           "--enable-logging=stderr", "--v=0", f"--user-data-dir={profile}", *args]
    return subprocess.run(cmd, capture_output=True, text=True, timeout=120, check=False)


def _selftest(tmp_path: Path, page: Path) -> tuple[str, str]:
    proc = _chromium(tmp_path, "--virtual-time-budget=5000", "--dump-dom",
                     page.resolve().as_uri() + "#selftest")
    assert proc.returncode == 0, proc.stderr[-2000:]
    m = re.search(r'<pre id="selftest">([^<]*)</pre>', proc.stdout)
    assert m, "the page's self-test did not run:\n" + proc.stdout[-2000:]
    return m.group(1), proc.stderr


@needs_chromium
@pytest.mark.parametrize("engine", ENGINES)
def test_page_in_headless_chromium(tmp_path: Path, engine: str) -> None:
    page = save_backward_steps(seed()["e"], tmp_path / "steps.html", engine=engine)
    result, log = _selftest(tmp_path, page)
    assert result == "SELFTEST PASS (6 frames)"
    assert "Uncaught" not in log and "CONSOLE" not in log


@needs_chromium
def test_a_broken_page_fails_its_self_test(tmp_path: Path) -> None:
    page = save_backward_steps(seed()["e"], tmp_path / "steps.html", engine="basic")
    html = page.read_text().replace("<main>", "<main><script>undefinedThing.go();</script>", 1)
    page.write_text(html)
    result, log = _selftest(tmp_path, page)
    assert result.startswith("SELFTEST FAIL") and "undefinedThing" in result
    assert "Uncaught ReferenceError" in log  # so the console check above can fail too


@needs_chromium
def test_screenshot(tmp_path: Path) -> None:
    page = save_backward_steps(seed()["e"], tmp_path / "steps.html")
    shot = tmp_path / "steps.png"
    proc = _chromium(tmp_path, f"--screenshot={shot}", "--window-size=1200,800",
                     page.resolve().as_uri())
    assert proc.returncode == 0 and shot.exists(), proc.stderr[-2000:]
    png = shot.read_bytes()
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    assert (int.from_bytes(png[16:20], "big"), int.from_bytes(png[20:24], "big")) == (1200, 800)
    assert len(png) > 15_000  # a blank page compresses to a few kB
    image = pytest.importorskip("PIL.Image")
    with image.open(shot) as im:
        colours = im.convert("RGB").getcolors(maxcolors=1 << 20)
    assert colours is not None and len(colours) > 50  # text, boxes, buttons were drawn
