// A long page comes in two files (vgp/_deferred.py): its later lazy blocks are empty, and
// their content is in the file named by <meta name="vgp-parts">. This script, loaded only on
// such pages, fetches that file and puts each block's content back, nearest to the screen
// first, a few milliseconds of the main thread at a time so the page stays responsive.
//
// <html data-vgp-parts> says where it is: "loading", then "ready" (or "failed", when the file
// could not be fetched: each empty block then links to it); the event vgp:parts-ready
// follows. Material's bundle starts after it (overrides/partials/theme-on-interaction.html),
// so its copy buttons and search highlighting see the whole page. Printing puts every
// remaining block back at once.
(function () {
  "use strict";
  var meta = document.querySelector('meta[name="vgp-parts"]');
  if (!meta) return;
  var root = document.documentElement;
  // Per slice. A phone is several times slower than a laptop, and a task of over 50 ms is
  // one the reader can feel (Lighthouse's blocking time): 4 ms leaves room for a tenfold gap.
  var BUDGET_MS = 4;
  var holders = Array.prototype.slice.call(document.querySelectorAll("[data-vgp-part]"));
  var contents = null, queue = [];   // queue: [block, piece, into the list it ended with]

  function finish(state) {
    root.setAttribute("data-vgp-parts", state);
    document.dispatchEvent(new Event("vgp:parts-ready"));
  }

  // One step: a piece of a block's content (vgp._deferred._cut marks the pieces), or, with
  // no piece, the end of the block, which is then shown.
  function step(item) {
    var el = item[0];
    if (el.hasAttribute("data-vgp-filled")) return;
    if (item[1] === null) {
      el.removeAttribute("data-vgp-pending");
      el.setAttribute("data-vgp-filled", "");
      return;
    }
    if (el.getAttribute("data-vgp-pending") === null) {   // the first piece replaces the note
      el.replaceChildren();
      el.setAttribute("data-vgp-pending", "");
    }
    (item[2] ? el.lastElementChild : el).insertAdjacentHTML("beforeend", item[1]);
  }

  function enqueue(el) {
    contents[el.getAttribute("data-vgp-part")].split("<!--vgp-cut-->").forEach(function (cut) {
      cut.split("<!--vgp-in-->").forEach(function (piece, i) { queue.push([el, piece, i > 0]); });
    });
    queue.push([el, null, false]);
  }

  function slice() {
    var start = performance.now();
    while (queue.length) {
      step(queue.shift());
      if (performance.now() - start > BUDGET_MS) break;
    }
    if (queue.length) setTimeout(slice, 0);
    else finish("ready");
  }

  function read(text) {
    contents = {};
    var at = 0;   // the parts follow one another in the file as the blocks do in the page
    holders.forEach(function (el) {
      var k = el.getAttribute("data-vgp-part");
      var open = "<!--vgp-part:" + k + "-->", close = "<!--/vgp-part:" + k + "-->";
      var from = text.indexOf(open, at);
      if (from < 0) from = text.indexOf(open);
      var to = from < 0 ? -1 : text.indexOf(close, from);
      if (from < 0 || to < 0) throw new Error("part " + k + " is missing from " + meta.content);
      contents[k] = text.slice(from + open.length, to);
      at = to;
    });
    // Nearest to the screen first: a reader who followed a link into the page sees the blocks
    // around it before those far away.
    var middle = scrollY + innerHeight / 2;
    var distance = function (el) {
      var box = el.getBoundingClientRect();
      return Math.abs(box.top + scrollY + box.height / 2 - middle);
    };
    var where = new Map(holders.map(function (el) { return [el, distance(el)]; }));
    holders.slice().sort(function (a, b) { return where.get(a) - where.get(b); }).forEach(enqueue);
    setTimeout(slice, 0);   // a task of its own, not the end of the fetch's
  }

  function fail(error) {
    holders.forEach(function (el) {
      if (el.hasAttribute("data-vgp-filled")) return;
      var note = document.createElement("p");
      var link = document.createElement("a");
      link.href = meta.content;
      link.textContent = "read it on its own page";
      note.className = "vgp-parts-note";
      note.append("This part of the page could not be loaded; ", link, ".");
      el.replaceChildren(note);
      el.setAttribute("data-vgp-filled", "");   // shown: no longer held at its estimate
    });
    console.warn("vgp: " + error);   // a warning, not an error: the page still works
    finish("failed");
  }

  addEventListener("beforeprint", function () {
    while (queue.length) step(queue.shift());
  });
  root.setAttribute("data-vgp-parts", "loading");
  fetch(meta.content)
    .then(function (response) {
      if (!response.ok) throw new Error(meta.content + ": HTTP " + response.status);
      return response.text();
    })
    .then(read)
    .catch(fail);
})();
