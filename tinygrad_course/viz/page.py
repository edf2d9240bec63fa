"""The self-contained HTML page of the step-by-step backprop: frames, buttons, slider, keys.

Everything is inline (styles, script, SVG pictures): the page works offline and from file://.
Opened with ``#selftest`` in the URL it checks its own controls and writes ``SELFTEST PASS`` (or
``SELFTEST FAIL: ...``) into the title and a ``<pre id="selftest">``, for headless browsers.
"""

from __future__ import annotations

import html
from collections.abc import Sequence

__all__ = ["page_html"]

_HEAD = """<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>@TITLE@</title>
<script>
// Collect every error and console.error from the start, for the self-test to report.
window.__errors = [];
window.addEventListener("error", function (e) { window.__errors.push(String(e.message)); });
(function () {
  var original = console.error;
  console.error = function () {
    window.__errors.push(Array.prototype.join.call(arguments, " "));
    return original.apply(console, arguments);
  };
})();
</script>
<style>
body { font-family: Helvetica, Arial, sans-serif; margin: 1em 2em; color: #222; }
h1 { font-size: 1.3em; margin: 0 0 0.4em 0; }
#controls { display: flex; align-items: center; gap: 0.8em; flex-wrap: wrap; }
#controls button { font-size: 1em; padding: 0.3em 0.9em; cursor: pointer; }
#controls button:disabled { cursor: default; opacity: 0.4; }
#slider { flex: 1 1 16em; max-width: 40em; }
#caption { font-size: 1.1em; min-height: 1.5em; color: #b01c1c; font-family: monospace; }
.frame { overflow-x: auto; }
.frame[hidden] { display: none; }
.hint { color: #777; font-size: 0.85em; }
</style>
</head>
<body>
<h1>@TITLE@</h1>
<div id="controls">
<button id="prev" type="button" title="previous step (left arrow)">&#9664; previous</button>
<input id="slider" type="range" min="0" max="@LAST@" value="0" step="1" aria-label="step">
<button id="next" type="button" title="next step (right arrow)">next &#9654;</button>
<span id="counter"></span>
</div>
<p id="caption"></p>
<main>
"""

_TAIL = """</main>
<p class="hint">Keys: &#8592; / &#8594; step, Home / End jump. Gradients fill in from the
output back to the inputs; the red edges carry the step's chain-rule terms.</p>
<script>
(function () {
  "use strict";
  var frames = document.querySelectorAll(".frame");
  var slider = document.getElementById("slider");
  var prev = document.getElementById("prev");
  var next = document.getElementById("next");
  var counter = document.getElementById("counter");
  var caption = document.getElementById("caption");
  var current = -1;

  function show(i) {
    i = Math.max(0, Math.min(frames.length - 1, i));
    for (var k = 0; k < frames.length; k++) { frames[k].hidden = (k !== i); }
    current = i;
    slider.value = String(i);
    counter.textContent = "step " + (i + 1) + " / " + frames.length;
    caption.textContent = frames[i].getAttribute("data-caption");
    prev.disabled = (i === 0);
    next.disabled = (i === frames.length - 1);
    document.body.setAttribute("data-frame", String(i));
  }

  prev.addEventListener("click", function () { show(current - 1); });
  next.addEventListener("click", function () { show(current + 1); });
  slider.addEventListener("input", function () { show(parseInt(slider.value, 10)); });
  document.addEventListener("keydown", function (e) {
    if (e.target === slider) { return; }  // the slider handles its own arrow keys
    var to = {ArrowLeft: current - 1, ArrowUp: current - 1, ArrowRight: current + 1,
              ArrowDown: current + 1, Home: 0, End: frames.length - 1}[e.key];
    if (to !== undefined) { e.preventDefault(); show(to); }
  });
  show(0);
  window.backprop = {show: show, count: frames.length,
                     current: function () { return current; }};

  function selftest() {
    var problems = [];
    function expect(ok, what) { if (!ok) { problems.push(what); } }
    function key(name) {
      document.dispatchEvent(new KeyboardEvent("keydown", {key: name, bubbles: true}));
    }
    function visible() {
      var v = [];
      for (var k = 0; k < frames.length; k++) { if (!frames[k].hidden) { v.push(k); } }
      return v.join(",");
    }
    var last = frames.length - 1;
    expect(frames.length > 0, "the page has frames");
    expect(current === 0 && visible() === "0", "starts on frame 0 alone");
    if (last >= 1) {
      var first = caption.textContent;
      next.click();
      expect(current === 1 && visible() === "1", "next shows frame 1");
      expect(caption.textContent !== first, "the caption follows the frame");
      prev.click();
      expect(current === 0 && visible() === "0", "previous goes back to frame 0");
      prev.click();
      expect(current === 0 && prev.disabled, "previous stops at the first frame");
      slider.value = String(last);
      slider.dispatchEvent(new Event("input", {bubbles: true}));
      expect(current === last && visible() === String(last), "the slider jumps to the end");
      next.click();
      expect(current === last && next.disabled, "next stops at the last frame");
      key("ArrowLeft");
      expect(current === last - 1, "the left arrow steps back");
      key("Home");
      expect(current === 0, "Home jumps to the start");
      key("ArrowRight");
      expect(current === 1, "the right arrow steps forward");
    }
    for (var k = 0; k < frames.length; k++) {
      expect(frames[k].querySelector("svg") !== null, "frame " + k + " holds a picture");
    }
    var report = problems.concat(window.__errors);
    var text = report.length ? "FAIL: " + report.join("; ") : "PASS";
    document.title = "SELFTEST " + text;
    var out = document.createElement("pre");
    out.id = "selftest";
    out.textContent = "SELFTEST " + text + " (" + frames.length + " frames)";
    document.body.appendChild(out);
  }
  if (window.location.hash === "#selftest") { selftest(); }
})();
</script>
</body>
</html>
"""


def page_html(title: str, svgs: Sequence[str], captions: Sequence[str]) -> str:
    """One HTML page showing ``svgs`` (inline SVG markup) one at a time, with ``captions``."""
    if len(svgs) != len(captions) or not svgs:
        raise ValueError("page_html needs one caption per frame and at least one frame")
    # Plain replacement, not str.format: the inline CSS and script are full of braces.
    head = _HEAD.replace("@TITLE@", html.escape(title)).replace("@LAST@", str(len(svgs) - 1))
    parts = [head]
    for k, (svg, caption) in enumerate(zip(svgs, captions)):
        parts.append(f'<section class="frame" id="frame-{k}" '
                     f'data-caption="{html.escape(caption, quote=True)}"'
                     f'{" hidden" if k else ""}>\n{svg}\n</section>\n')
    parts.append(_TAIL)
    return "".join(parts)
