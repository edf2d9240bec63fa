// Graph pictures are shrunk to fit the column (css/extra.css); a click shows one at full
// size, and the paragraph around it scrolls to pan. A second click fits it again.
document.addEventListener("click", function (event) {
  var img = event.target;
  if (img instanceof HTMLImageElement && /\.svg$/.test(img.getAttribute("src") || "") &&
      img.closest(".md-typeset")) {
    img.classList.toggle("zoomed");
  }
});
