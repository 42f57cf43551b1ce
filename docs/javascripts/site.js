// Site-wide helpers (loaded deferred on every page): accessible names for two Material widgets
// that lack one (the search dialog and the instant-navigation progress bar), which
// Lighthouse's accessibility audit requires; deep links kept on their heading. Math needs no
// script: it is typeset at build time (hooks/katex.py). Material's bundle runs on the reader's
// first interaction (overrides/partials/theme-on-interaction.html, which defines vgpOnPage).
(function () {
  "use strict";
  function names() {
    [[".md-search[role=dialog]", "Search"], ["[role=progressbar]", "Page loading"]]
      .forEach(function (pair) {
        document.querySelectorAll(pair[0]).forEach(function (el) {
          if (!el.getAttribute("aria-label")) el.setAttribute("aria-label", pair[1]);
        });
      });
  }
  // A link to a heading (page/#id) on a page with lazy blocks (.vgp-section, vgp/_sections.py):
  // the browser scrolls to the heading using the estimated heights of the blocks above it, then
  // renders the blocks near it, and their real heights move the heading. Put it back until it
  // stays put (a few frames), unless the reader has started scrolling.
  var holding = 0;   // the latest deep link wins over one still settling
  function holdDeepLink() {
    var run = ++holding;
    var id = decodeURIComponent(location.hash.slice(1));
    var target = id && document.getElementById(id);
    if (!target || !document.querySelector(".vgp-section")) return;
    var moved = false, frames = 0, last = null;
    var stop = function () { moved = true; };
    ["wheel", "touchmove", "keydown", "mousedown"].forEach(function (type) {
      addEventListener(type, stop, { once: true, passive: true });
    });
    (function settle() {
      if (moved || run !== holding || frames++ > 30) return;
      var top = target.getBoundingClientRect().top;
      if (last !== null && Math.abs(top - last) < 1 && frames > 3) return;
      target.scrollIntoView();
      last = target.getBoundingClientRect().top;
      requestAnimationFrame(settle);
    })();
  }
  holdDeepLink();
  addEventListener("hashchange", holdDeepLink);
  // On a page in two files (parts.js) the target may be in a block filled after the load, or
  // those blocks may move it: hold it again then, unless the reader has moved on.
  var readerMoved = false;
  ["wheel", "touchmove", "keydown", "mousedown"].forEach(function (type) {
    addEventListener(type, function () { readerMoved = true; }, { once: true, passive: true });
  });
  document.addEventListener("vgp:parts-ready", function () {
    if (!readerMoved) holdDeepLink();
  });
  vgpOnPage(names);   // this page now, and every page Material shows once its bundle has run
  // Lazy blocks start unrendered; overrides/partials/show-sections.html shows them (defined
  // inline on every page). A page Material's instant navigation shows needs the same.
  vgpOnPage(function () { if (window.vgpShowSections) vgpShowSections(); });
})();
