// Site-wide helper (loaded deferred on every page): accessible names for two Material widgets
// that lack one (the search dialog and the instant-navigation progress bar), which
// Lighthouse's accessibility audit requires. Math needs no script: it is typeset at build
// time (hooks/katex.py). Material's bundle runs on the reader's first interaction
// (overrides/partials/theme-on-interaction.html): the static markup is named at once, and
// every page Material shows once its document$ exists.
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
  function follow() {
    if (typeof document$ === "undefined") return false;
    document$.subscribe(names);
    return true;
  }
  names();
  if (!follow()) document.addEventListener("vgp:theme-ready", follow, { once: true });
})();
