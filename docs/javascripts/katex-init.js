// Render arithmatex (generic mode) math with the vendored KaTeX. Material's instant
// navigation swaps page content without a reload, so render on every `document$` emission.
//
// Rendering happens in small slices (math in view first, then the rest in document order),
// so no single task blocks the page for long: a lesson holds hundreds of formulas, and one
// synchronous pass was the largest "total blocking time" item in Lighthouse's mobile audit.
// When everything is rendered, <html> gets the attribute data-math-rendered (the browser
// tests wait for it).
(function () {
  var opts = {
    delimiters: [
      { left: "\\[", right: "\\]", display: true },
      { left: "\\(", right: "\\)", display: false }
    ],
    throwOnError: false
  };
  var SLICE_MS = 8;
  var queue = [];
  var scheduled = false;

  function pump() {
    scheduled = false;
    var start = performance.now();
    while (queue.length && performance.now() - start < SLICE_MS) {
      var el = queue.shift();
      if (el.isConnected && !el.hasAttribute("data-katex")) {
        el.setAttribute("data-katex", "");
        renderMathInElement(el, opts);
      }
    }
    if (queue.length) schedule();
    else document.documentElement.setAttribute("data-math-rendered", "");
  }

  function schedule() {
    if (!scheduled) { scheduled = true; setTimeout(pump, 0); }
  }

  function render() {
    document.documentElement.removeAttribute("data-math-rendered");
    var all = Array.prototype.slice.call(document.querySelectorAll(".arithmatex"));
    var h = window.innerHeight;
    var inView = [], later = [];
    all.forEach(function (el) {
      var r = el.getBoundingClientRect();
      (r.bottom >= 0 && r.top <= h ? inView : later).push(el);
    });
    queue = inView.concat(later);
    if (inView.length) {
      // what the reader sees first is rendered before the first paint-critical slice ends
      queue.splice(0, inView.length).forEach(function (el) {
        el.setAttribute("data-katex", "");
        renderMathInElement(el, opts);
      });
    }
    if (queue.length) schedule();
    else document.documentElement.setAttribute("data-math-rendered", "");
  }

  if (typeof document$ !== "undefined") {
    document$.subscribe(render);
  } else if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", render);
  } else {
    render();
  }
})();
