"""The docs' graph pictures fit the page column at 1300 px, and a click zooms one to full size.

A static page stands in for the built site: every picture of docs/img inside an ``article``
as wide as Material's content column at a 1300 px window (1300 - two 12.1rem sidebars -
2 x 1.2rem margins, at 20 px a rem, ~ 760 px), with the site's own docs/css/extra.css and
docs/js/zoom.js.
"""

from __future__ import annotations

from pathlib import Path

from .browser import chromium, needs_chromium, run_checks

DOCS = Path(__file__).resolve().parents[2] / "docs"
COLUMN = 760

MEASURE = """
setTimeout(function () {
  var out = [];
  var article = document.querySelector('article');
  document.querySelectorAll('article img').forEach(function (img) {
    var r = img.getBoundingClientRect(), a = article.getBoundingClientRect();
    var p = img.parentElement;
    out.push(img.getAttribute('src').split('/').pop() + ' ' +
             (r.right <= a.right + 0.5 && p.scrollWidth <= p.clientWidth ? 'fits' : 'CLIPPED') +
             ' ' + (img.naturalWidth ? (r.width / img.naturalWidth).toFixed(2) : 'unloaded'));
  });
  out.push('page ' + (document.documentElement.scrollWidth <= innerWidth ? 'fits' : 'SCROLLS'));
  var wide = document.querySelector('img[data-widest]');
  wide.click();
  var p = wide.parentElement;
  out.push('zoomed ' + (p.scrollWidth > p.clientWidth ? 'pans' : 'NO-PAN') + ' ' +
           (wide.getBoundingClientRect().width / wide.naturalWidth).toFixed(2));
  wide.click();
  out.push('unzoomed ' + (p.scrollWidth <= p.clientWidth ? 'fits' : 'CLIPPED'));
  report(out.join('|'));
}, 500);
"""


def _page(tmp_path: Path) -> Path:
    pictures = sorted((DOCS / "img").glob("*.svg"))
    widest = max(pictures, key=lambda p: _width(p.read_text(encoding="utf-8")))
    imgs = "".join(f'<p><img src="{p.resolve().as_uri()}" alt="{p.stem}"'
                   f'{" data-widest" if p == widest else ""}></p>\n' for p in pictures)
    page = tmp_path / "pictures.html"
    page.write_text(
        "<!DOCTYPE html><html><head><meta charset='utf-8'><style>"
        + (DOCS / "css" / "extra.css").read_text(encoding="utf-8")
        + f"body {{ margin: 0 }} article {{ width: {COLUMN}px; margin: 0 270px; }}</style>"
        f"</head><body><article class='md-typeset'>{imgs}</article><script>"
        + (DOCS / "js" / "zoom.js").read_text(encoding="utf-8")
        + "</script></body></html>", encoding="utf-8")
    return page


def _width(svg: str) -> float:
    import re
    m = re.search(r'<svg width="([\d.]+)pt"', svg)
    return float(m.group(1)) if m else 0.0


@needs_chromium
def test_pictures_fit_the_column_and_zoom_on_click(tmp_path: Path) -> None:
    result, _ = run_checks(tmp_path, _page(tmp_path), MEASURE, width=1300, height=900)
    parts = result.split("|")
    pictures = [p for p in parts if p.endswith(tuple("0123456789")) and ".svg" in p]
    assert len(pictures) == len(list((DOCS / "img").glob("*.svg"))), result
    assert all(" fits " in p for p in pictures), result
    # shrunk to fit, but never below 45 % (11 pt text stays above ~6.5 px)
    assert all(float(p.split()[-1]) >= 0.45 for p in pictures), result
    assert "page fits" in parts, result
    zoomed = next(p for p in parts if p.startswith("zoomed"))
    assert zoomed.startswith("zoomed pans") and zoomed.endswith("1.00"), result
    assert "unzoomed fits" in parts and "ERRORS" not in result


@needs_chromium
def test_screenshot_at_1300_px(tmp_path: Path) -> None:
    shot = tmp_path / "pictures.png"
    proc = chromium(tmp_path, f"--screenshot={shot}", "--virtual-time-budget=3000",
                    _page(tmp_path).resolve().as_uri(), width=1300, height=2400)
    assert proc.returncode == 0 and shot.exists(), proc.stderr[-2000:]
    png = shot.read_bytes()
    assert (int.from_bytes(png[16:20], "big"), int.from_bytes(png[20:24], "big")) == (1300, 2400)
    assert len(png) > 30_000  # pictures were drawn, not a blank page
