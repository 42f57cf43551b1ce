// Render arithmatex (generic mode) math with the vendored KaTeX. Material's instant
// navigation swaps page content without a reload, so render on every `document$` emission.
(function () {
  function render() {
    var opts = {
      delimiters: [
        { left: "\\[", right: "\\]", display: true },
        { left: "\\(", right: "\\)", display: false }
      ],
      throwOnError: false
    };
    document.querySelectorAll(".arithmatex").forEach(function (el) {
      renderMathInElement(el, opts);
    });
  }
  if (typeof document$ !== "undefined") {
    document$.subscribe(render);
  } else {
    document.addEventListener("DOMContentLoaded", render);
  }
})();
