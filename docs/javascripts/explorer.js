// Decay explorer widgets (docs/explorer.md). No dependencies, no network.
//
// Every number shown here is also computed by vgp.explorer (Python) for the same inputs, and
// the browser tests check that the strings are identical. Keep the arithmetic below in the
// same order as vgp/explorer.py so both produce the same IEEE doubles.
(function () {
  "use strict";
  var SVG = "http://www.w3.org/2000/svg";

  // x with `digits` decimals; toFixed rounds half away from zero (= vgp.explorer.fixed).
  function fixed(x, digits) {
    var t = x.toFixed(digits);
    return (t.charAt(0) === "-" && parseFloat(t) === 0) ? t.slice(1) : t;
  }

  // 10^L in scientific notation without forming 10^L (= vgp.explorer.sci).
  function sci(L, digits) {
    var e = Math.floor(L);
    var m = Math.pow(10, L - e);
    var t = fixed(m, digits);
    if (parseFloat(t) >= 10) { e += 1; t = fixed(m / 10, digits); }
    var ae = Math.abs(e);
    return t + "e" + (e < 0 ? "-" : "+") + (ae < 10 ? "0" + ae : String(ae));
  }

  function decayNumbers(radius, slope, steps) {
    var factor = radius * slope;
    var perStep = Math.log10(factor);
    var reach, regime;
    if (factor < 1) {
      reach = String(Math.max(1, Math.ceil(-6 / perStep - 1e-9)));
      regime = "vanishing";
    } else {
      reach = "never";
      regime = factor > 1 ? "exploding" : "neutral";
    }
    return { factor: fixed(factor, 4), log10_factor: fixed(perStep, 4),
             gradient: sci(steps * perStep, 3), "steps_to_1e-6": reach, regime: regime,
             curve: Array.from({ length: steps + 1 }, function (_, k) { return k * perStep; }) };
  }

  function sigma(a, b, c, d) {
    var frob2 = a * a + b * b + c * c + d * d;
    var det = Math.abs(a * d - b * c);
    var root = Math.sqrt(Math.max(frob2 * frob2 - 4 * det * det, 0));
    var s1 = Math.sqrt((frob2 + root) / 2);
    return [s1, s1 > 0 ? det / s1 : 0];
  }

  function matrixNumbers(a, b, c, d, steps) {
    var half = (a + d) / 2, disc = half * half - (a * d - b * c), eig, rho;
    if (disc >= 0) {
      var s = Math.sqrt(disc);
      eig = fixed(half + s, 4) + ", " + fixed(half - s, 4);
      rho = Math.max(Math.abs(half + s), Math.abs(half - s));
    } else {
      var im = Math.sqrt(-disc);
      eig = fixed(half, 4) + " \u00b1 " + fixed(im, 4) + "i";
      rho = Math.sqrt(half * half + im * im);
    }
    var sv = sigma(a, b, c, d), norms = [1], p00 = 1, p01 = 0, p10 = 0, p11 = 1;
    for (var m = 1; m <= steps; m++) {
      var q00 = p00 * a + p01 * c, q01 = p00 * b + p01 * d;
      var q10 = p10 * a + p11 * c, q11 = p10 * b + p11 * d;
      p00 = q00; p01 = q01; p10 = q10; p11 = q11;
      norms.push(sigma(p00, p01, p10, p11)[0]);
    }
    var peak = 1;
    for (m = 2; m <= steps; m++) if (norms[m] > norms[peak]) peak = m;
    var normal = Math.abs(b * b - c * c) <= 1e-12 && Math.abs((a - d) * (c - b)) <= 1e-12;
    return { eigenvalues: eig, spectral_radius: fixed(rho, 4),
             singular_values: fixed(sv[0], 4) + ", " + fixed(sv[1], 4),
             spectral_norm: fixed(sv[0], 4), normal: normal ? "yes" : "no",
             peak_norm: fixed(norms[peak], 4), peak_step: String(peak),
             last_norm: norms[steps] > 0 ? sci(Math.log10(norms[steps]), 3) : "0.000e+00",
             transient_growth: (rho < 1 && norms[peak] > 1) ? "yes" : "no",
             curve: norms.map(function (v) { return v > 0 ? Math.log10(v) : -Infinity; }) };
  }

  function el(name, attrs, parent) {
    var node = document.createElementNS(SVG, name);
    Object.keys(attrs).forEach(function (k) { node.setAttribute(k, attrs[k]); });
    if (parent) parent.appendChild(node);
    return node;
  }

  // A log10-scale line plot of ys (index = step) into <svg>, with a dashed reference level.
  function plot(svg, ys, ref, xLabel) {
    while (svg.firstChild) svg.removeChild(svg.firstChild);
    var W = 640, H = 260, L = 58, R = 12, T = 12, B = 40;
    var finite = ys.filter(isFinite);
    var lo = Math.min(ref, Math.min.apply(null, finite)), hi = Math.max(ref, Math.max.apply(null, finite));
    lo = Math.floor(lo - 0.5); hi = Math.ceil(hi + 0.5);
    var n = ys.length - 1 || 1;
    var x = function (k) { return L + (W - L - R) * k / n; };
    var y = function (v) { return T + (H - T - B) * (hi - v) / (hi - lo); };
    var g = el("g", { class: "vgp-plot-axes" }, svg);
    var every = Math.max(1, Math.ceil((hi - lo) / 6));
    for (var d = Math.ceil(lo / every) * every; d <= hi; d += every) {
      el("line", { x1: L, x2: W - R, y1: y(d), y2: y(d), class: "vgp-grid" }, g);
      el("text", { x: L - 6, y: y(d) + 4, "text-anchor": "end" }, g).textContent = "1e" + d;
    }
    [0, Math.round(n / 2), n].forEach(function (k) {
      el("text", { x: x(k), y: H - B + 16, "text-anchor": "middle" }, g).textContent = String(k);
    });
    el("text", { x: (L + W - R) / 2, y: H - 6, "text-anchor": "middle" }, g).textContent = xLabel;
    el("line", { x1: L, x2: W - R, y1: y(ref), y2: y(ref), class: "vgp-ref" }, g);
    var pts = [];
    ys.forEach(function (v, k) { if (isFinite(v)) pts.push(x(k).toFixed(1) + "," + y(v).toFixed(1)); });
    el("polyline", { points: pts.join(" "), class: "vgp-line" }, svg);
  }

  function setOutputs(root, values) {
    root.querySelectorAll("[data-out]").forEach(function (node) {
      var key = node.getAttribute("data-out");
      if (key in values) node.textContent = values[key];
    });
  }

  function initDecay(root) {
    var inputs = ["radius", "slope", "steps"].map(function (k) {
      return root.querySelector("[data-in=" + k + "]");
    });
    function update() {
      var r = parseFloat(inputs[0].value), s = parseFloat(inputs[1].value), n = parseInt(inputs[2].value, 10);
      var v = decayNumbers(r, s, n);
      v.radius = inputs[0].value; v.slope = inputs[1].value; v.steps = inputs[2].value;
      setOutputs(root, v);
      var svg = root.querySelector("svg");
      plot(svg, v.curve, -6, "steps back in time n");
      svg.setAttribute("aria-label", "Gradient factor on a log scale over " + n + " steps: " +
        v.gradient + " after " + n + " steps, a factor " + v.factor + " per step.");
    }
    inputs.forEach(function (i) { i.addEventListener("input", update); });
    update();
  }

  function initMatrix(root) {
    var keys = ["a", "b", "c", "d", "steps"];
    var inputs = keys.map(function (k) { return root.querySelector("[data-in=" + k + "]"); });
    function update() {
      var v = inputs.map(function (i) { return parseFloat(i.value); });
      var out = matrixNumbers(v[0], v[1], v[2], v[3], Math.round(v[4]));
      keys.forEach(function (k, j) { out[k] = inputs[j].value; });
      setOutputs(root, out);
      var svg = root.querySelector("svg");
      plot(svg, out.curve, 0, "power n");
      svg.setAttribute("aria-label", "Norm of W to the n on a log scale for n up to " + inputs[4].value +
        "; largest " + out.peak_norm + " at n = " + out.peak_step + ".");
    }
    inputs.forEach(function (i) { i.addEventListener("input", update); });
    root.querySelectorAll("[data-preset]").forEach(function (btn) {
      btn.addEventListener("click", function () {
        btn.getAttribute("data-preset").split(",").forEach(function (val, j) { inputs[j].value = val; });
        update();
      });
    });
    update();
  }

  function init() {
    document.querySelectorAll("[data-vgp-explorer]").forEach(function (root) {
      if (root.getAttribute("data-ready")) return;
      root.setAttribute("data-ready", "1");
      (root.getAttribute("data-vgp-explorer") === "decay" ? initDecay : initMatrix)(root);
    });
  }

  window.vgpExplorer = { decayNumbers: decayNumbers, matrixNumbers: matrixNumbers, fixed: fixed, sci: sci };
  // This page now, and every page Material shows once its bundle (run on the reader's first
  // interaction) has started: overrides/partials/theme-on-interaction.html defines vgpOnPage.
  vgpOnPage(init);
})();
