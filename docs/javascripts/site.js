// Site-wide helper (loaded deferred on every page): accessible names for two Material widgets
// that lack one (the search dialog and the instant-navigation progress bar), which
// Lighthouse's accessibility audit requires. Math needs no script: it is typeset at build
// time (hooks/katex.py). Material's bundle runs on the reader's first interaction
// (overrides/partials/theme-on-interaction.html, which defines vgpOnPage).
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
  vgpOnPage(names);   // this page now, and every page Material shows once its bundle has run
})();
