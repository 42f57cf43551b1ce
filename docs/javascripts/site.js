// Site-wide helpers (loaded deferred on every page):
// 1. math in the companion notebooks' Markdown cells ($...$, $$...$$), rendered with the
//    vendored KaTeX (mkdocs-jupyter would load MathJax from a CDN; hooks/notebooks.py drops it);
// 2. accessible names for two Material widgets that lack one (the search dialog and the
//    instant-navigation progress bar), which Lighthouse's accessibility audit requires.
(function () {
  "use strict";
  function notebookMath() {
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
  function names() {
    [[".md-search[role=dialog]", "Search"], ["[role=progressbar]", "Page loading"]]
      .forEach(function (pair) {
        document.querySelectorAll(pair[0]).forEach(function (el) {
          if (!el.getAttribute("aria-label")) el.setAttribute("aria-label", pair[1]);
        });
      });
  }
  function run() { names(); notebookMath(); }
  if (typeof document$ !== "undefined") document$.subscribe(run);
  else if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", run);
  else run();
})();
