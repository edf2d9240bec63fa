"""Hostile tensor names and layer labels in every output: DOT, SVG, the step-by-step page and
Jupyter's ``_repr_html_``. Each is loaded in headless Chromium, which must run nothing."""

from __future__ import annotations

import html
import re
import shutil
from pathlib import Path
from xml.etree import ElementTree

import numpy as np
import pytest
from viz.browser import needs_chromium, run_checks  # tests/ is on sys.path (rootdir)

from tinygrad_course import Tensor, draw_graph, save_backward_steps
from tinygrad_course.nn.scope import mark_call
from tinygrad_course.viz import render, tensor_html
from tinygrad_course.viz.escape import esc

needs_dot = pytest.mark.skipif(shutil.which("dot") is None, reason="no Graphviz `dot`")

PWN = "document.body.setAttribute('data-pwned', '{}')"
HOSTILE = [
    f"<script>{PWN.format('script')}</script>",
    f'<img src=x onerror="{PWN.format("img")}">',
    f'<a href="javascript:{PWN.format("link")}">W</a>',
    f'"><svg onload="{PWN.format("svg")}">',
    f"]]></text><script>{PWN.format('cdata')}</script>",
    "x\" URL=\"javascript:alert(1)\" tooltip=\"",
    "\\N \\G \\L \\l",
    "&amp; &#60;b&#62;",
    "</script><script>alert(1)</script>",
    "a\nb\tc\x1b[31m",
    "@@SVG@@ @@FRAMES@@ @@TITLE@@ @@JS@@",  # the page template's markers
]


def hostile_graph() -> Tensor:
    """A small net whose every name and layer label is an attack."""
    X = Tensor(np.ones((2, 3)), name=HOSTILE[0])
    W = Tensor(np.full((1, 2), 0.5), requires_grad=True, name=HOSTILE[1])
    b = Tensor(np.zeros((1, 1)), requires_grad=True, name=HOSTILE[2])
    Z = W @ X + b
    Z.name = HOSTILE[3]
    mark_call(Z, HOSTILE[4], [X])
    A = Z.sigmoid()
    A.name = HOSTILE[5]
    c = Tensor(1.0, requires_grad=True, name=HOSTILE[6])
    J = A.mean() * c
    J.name = HOSTILE[7]
    return J


CHECK = """
setTimeout(function () {
  var bad = [];
  var pwned = document.body.getAttribute('data-pwned');
  if (pwned) { bad.push('ran ' + pwned); }
  var links = document.querySelectorAll('[href*="javascript:"], [*|href*="javascript:"]');
  if (links.length) { bad.push('links ' + links.length); }
  document.querySelectorAll('*').forEach(function (el) {
    Array.prototype.forEach.call(el.attributes, function (at) {
      if (/^on/i.test(at.name)) { bad.push('handler ' + el.tagName + ' ' + at.name); }
    });
  });
  bad.push('scripts ' + document.scripts.length);
  report(bad.join('|'));
}, 300);
"""


def _check_in_chromium(tmp_path: Path, page: Path, scripts: int) -> None:
    result, _ = run_checks(tmp_path, page, CHECK)
    # the page's own scripts plus the two injected ones; nothing else
    assert result == f"scripts {scripts + 2}", result


def _texts(svg: str) -> str:
    return html.unescape(" ".join(re.findall(r">([^<]*)<", svg)))


def test_esc_makes_every_hostile_string_inert() -> None:
    for s in HOSTILE:
        e = esc(s)
        assert not re.search(r"[<>\"'\\\x00-\x1f]", e), e
        assert not e.startswith("<")  # graphviz would take <...> for an HTML label


def test_dot_source_holds_the_names_only_escaped() -> None:
    src = draw_graph(hostile_graph()).source
    for s in HOSTILE:
        assert s not in src
    assert "<script" not in src and "<img" not in src and "<a " not in src


@needs_dot
@needs_chromium
def test_svg_in_a_browser_runs_nothing(tmp_path: Path) -> None:
    J = hostile_graph()
    J.backward()
    svg = render(draw_graph(J, highlight=HOSTILE[1]), tmp_path / "g.svg").read_text()
    # Structure, not text: no element or attribute came from a name (URL=, onload=, <a>...).
    for el in ElementTree.fromstring(svg.encode()).iter():
        assert not el.tag.endswith(("script", "foreignObject")), el.tag  # <a> only for tooltips
        assert not any("href" in k or k.lower().startswith("on") for k in el.attrib), el.attrib
    shown = _texts(svg)
    assert "<script>document.body" in shown  # the name is shown, as text
    assert "⧵N ⧵G" in shown  # backslashes are not Graphviz escapes
    page = tmp_path / "svg.html"
    page.write_text(f"<!DOCTYPE html><html><head></head><body>{svg[svg.index('<svg'):]}"
                    "</body></html>", encoding="utf-8")
    _check_in_chromium(tmp_path, page, scripts=0)


@pytest.mark.parametrize("engine", [
    pytest.param("dot", marks=needs_dot), "basic"])
@needs_chromium
def test_step_page_runs_nothing(tmp_path: Path, engine: str) -> None:
    page = save_backward_steps(hostile_graph(), tmp_path / "steps.html",
                               title=HOSTILE[8] + HOSTILE[10], engine=engine)
    assert page.read_text().count("<svg") == 1
    _check_in_chromium(tmp_path, page, scripts=2)  # the frames' JSON and the page's script


@needs_dot
@needs_chromium
def test_jupyter_html_runs_nothing(tmp_path: Path) -> None:
    J = hostile_graph()
    out = tensor_html(J)
    assert "<svg" in out and "<details>" in out
    assert tensor_html(Tensor(1.0, name=HOSTILE[0])).count("<script") == 0
    page = tmp_path / "jupyter.html"
    page.write_text(f"<!DOCTYPE html><html><head></head><body>{out}"
                    f"{tensor_html(Tensor(1.0, name=HOSTILE[1]))}</body></html>")
    _check_in_chromium(tmp_path, page, scripts=0)


@needs_chromium
def test_the_check_catches_an_attack(tmp_path: Path) -> None:
    # The same check on a page that does run the payload: it must say so.
    page = tmp_path / "bad.html"
    page.write_text(f"<!DOCTYPE html><html><head></head><body>{HOSTILE[1]}</body></html>")
    result, _ = run_checks(tmp_path, page, CHECK)
    assert "ran img" in result and "handler IMG onerror" in result
