// Math in the companion notebooks' Markdown cells ($...$, $$...$$), rendered with the
// vendored KaTeX (mkdocs-jupyter would load MathJax from a CDN; hooks/notebooks.py drops it).
(function () {
  "use strict";
  function render() {
    if (typeof renderMathInElement === "undefined") return;
    document.querySelectorAll(".jupyter-wrapper .jp-RenderedMarkdown").forEach(function (el) {
      renderMathInElement(el, {
        delimiters: [
          { left: "$$", right: "$$", display: true },
          { left: "$", right: "$", display: false },
          { left: "\\(", right: "\\)", display: false },
          { left: "\\[", right: "\\]", display: true }
        ],
        throwOnError: false
      });
    });
  }
  if (typeof document$ !== "undefined") document$.subscribe(render);
  else document.addEventListener("DOMContentLoaded", render);
})();
