// The step-by-step page: one layout, and each step shows which gradients are known so far.
// Frames come from the JSON block: {caption, revealed: [node ids], active: [edge ids], focus}.
(function () {
  "use strict";
  var GRAD = "@@GRAD_COLOR@@";
  var frames = JSON.parse(document.getElementById("frames").textContent);
  var view = document.getElementById("view");
  var svg = view.querySelector("svg");
  var slider = document.getElementById("slider");
  var prev = document.getElementById("prev");
  var next = document.getElementById("next");
  var counter = document.getElementById("counter");
  var caption = document.getElementById("caption");
  var current = -1;
  var zoom = 1;
  var natural = {w: svg.width.baseVal.value, h: svg.height.baseVal.value};

  // Each node's gradient lines are the texts drawn in the gradient colour.
  var gradLines = {};
  svg.querySelectorAll("g.node").forEach(function (node) {
    var lines = [];
    node.querySelectorAll("text").forEach(function (t) {
      if ((t.getAttribute("fill") || "").toLowerCase() === GRAD) { lines.push(t); }
    });
    gradLines[node.id] = lines;
  });

  function byId(id) { return id ? document.getElementById(id) : null; }

  function setZoom(z) {
    zoom = Math.max(0.1, Math.min(4, z));
    svg.setAttribute("width", String(natural.w * zoom));
    svg.setAttribute("height", String(natural.h * zoom));
  }

  function fit() {
    setZoom(Math.min(1, (view.clientWidth - 4) / natural.w, (view.clientHeight - 4) / natural.h));
  }

  // Scroll the view (and, if needed, the window) so the active node sits in the middle.
  function follow(node) {
    view.scrollIntoView({block: "nearest", inline: "nearest"});
    if (!node) { return; }
    var v = view.getBoundingClientRect();
    var r = node.getBoundingClientRect();
    if (r.width > v.width || r.height > v.height) { fit(); r = node.getBoundingClientRect(); }
    view.scrollLeft += (r.left + r.width / 2) - (v.left + v.width / 2);
    view.scrollTop += (r.top + r.height / 2) - (v.top + v.height / 2);
  }

  function show(i) {
    i = Math.max(0, Math.min(frames.length - 1, i));
    var f = frames[i];
    var known = {};
    f.revealed.forEach(function (id) { known[id] = true; });
    Object.keys(gradLines).forEach(function (id) {
      gradLines[id].forEach(function (t) { t.classList.toggle("pending", !known[id]); });
    });
    svg.querySelectorAll(".active, .focus").forEach(function (el) {
      el.classList.remove("active", "focus");
    });
    f.active.forEach(function (id) { var e = byId(id); if (e) { e.classList.add("active"); } });
    var node = byId(f.focus);
    if (node) { node.classList.add("focus"); }
    current = i;
    slider.value = String(i);
    counter.textContent = "step " + i + " of " + (frames.length - 1) +
      (i === 0 ? " (forward pass)" : "");
    caption.textContent = f.caption;
    prev.disabled = (i === 0);
    next.disabled = (i === frames.length - 1);
    document.body.setAttribute("data-step", String(i));
    follow(node);
  }

  prev.addEventListener("click", function () { show(current - 1); });
  next.addEventListener("click", function () { show(current + 1); });
  slider.addEventListener("input", function () { show(parseInt(slider.value, 10)); });
  document.getElementById("zoom-in").addEventListener("click", function () {
    setZoom(zoom * 1.25); follow(byId(frames[current].focus));
  });
  document.getElementById("zoom-out").addEventListener("click", function () {
    setZoom(zoom / 1.25); follow(byId(frames[current].focus));
  });
  document.getElementById("zoom-fit").addEventListener("click", fit);
  document.addEventListener("keydown", function (e) {
    if (e.target === slider) { return; }  // the slider handles its own arrow keys
    var to = {ArrowLeft: current - 1, ArrowUp: current - 1, ArrowRight: current + 1,
              ArrowDown: current + 1, Home: 0, End: frames.length - 1}[e.key];
    if (to !== undefined) { e.preventDefault(); show(to); return; }
    if (e.key === "+" || e.key === "=") { setZoom(zoom * 1.25); follow(byId(frames[current].focus)); }
    if (e.key === "-") { setZoom(zoom / 1.25); follow(byId(frames[current].focus)); }
    if (e.key === "0") { fit(); }
  });
  show(0);
  window.backprop = {show: show, count: frames.length, frames: frames,
                     current: function () { return current; }};
})();
