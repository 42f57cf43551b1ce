"""Figures for the exploding half of "Vanishing versus exploding": the one-unit cliff of
Pascanu et al. and gradient clipping (direction, the training run with and without it).
Profiles, tables, swamping and the initialisations are in `vgp.figures.vanishing`."""

from __future__ import annotations

import inspect
import math

import numpy as np

from vgp import cliff
from vgp.clipping_demo import EXPERIMENT as CLIP_RUN
from vgp.clipping_demo import exploding_gradient
from vgp.figures import figure, subplots

CLIFF_W, CLIFF_B = (4.0, 7.5), (-4.5, -1.5)         # the plotted (w, b) window
CLIFF_SLICE_W = 5.5


@figure(
    "vanishing-cliff",
    alt=("Three panels. Left: heat map of the loss of the one-unit recurrent network over w and "
         "b on a log colour scale; a sharp diagonal edge, marked by a dashed line, runs from the "
         "upper left to the lower right, with high loss below it and a narrow band of low loss "
         "just above it. Middle: a slice at w = 5.5, the loss against b, which drops abruptly "
         "at one value of b. Right: the gradient magnitude against the distance from that value "
         "of b, both on log scales, for approaches from below and from above: it is flat far "
         "from the edge and rises by orders of magnitude within a tiny distance of it."),
    caption=("The exploding-gradient cliff of $x_t = w\\,\\sigma(x_{t-1}) + b$ with $x_0 = 0.5$ "
             "and $L = (x_{50} - 0.7)^2$ (the one-unit model of Pascanu, Mikolov & Bengio 2013). "
             "Left: the loss over $(w, b)$; the dashed line is $b_c(w) = x_0 - w\\sigma(x_0)$, "
             "where $x_0$ sits on the unstable fixed point. Middle: a slice at "
             f"$w = {CLIFF_SLICE_W}$. Right: $|\\partial L/\\partial b|$ at distance $|b - b_c|$ "
             "from the edge."),
)
def cliff_figure():
    S = cliff.surface(np.linspace(*CLIFF_W, 351), np.linspace(*CLIFF_B, 301))
    fig, (ax, ax2, ax3) = subplots(1, 3, figsize=(11.0, 3.6),
                                       gridspec_kw={"width_ratios": [1.25, 1, 1]})
    im = ax.pcolormesh(S["w"], S["b"], np.log10(S["L"] + 1e-12).T, shading="auto",
                       cmap="viridis", vmin=-3, vmax=2, rasterized=True)
    cb = fig.colorbar(im, ax=ax, label="loss $L$")
    cb.set_ticks([-3, -2, -1, 0, 1, 2], labels=[f"$10^{{{k}}}$" for k in range(-3, 3)])
    w_line = np.linspace(4.25, CLIFF_W[1], 50)
    ax.plot(w_line, cliff.cliff_bias(w_line), "--", color="white", linewidth=0.9)
    ax.set_xlim(*CLIFF_W)
    ax.set_ylim(*CLIFF_B)
    ax.set_xlabel("$w$")
    ax.set_ylabel("$b$")
    ax.grid(False)
    w = CLIFF_SLICE_W
    b_c = float(cliff.cliff_bias(w))
    b = np.linspace(b_c - 0.3, b_c + 0.3, 2001)
    ax2.plot(b, cliff.loss(w, b), color="C0")
    ax2.axvline(b_c, color="0.5", linestyle="--", linewidth=0.8)
    ax2.set_xlabel(f"$b$ (at $w = {w}$)")
    ax2.set_ylabel("loss $L$")
    d = np.logspace(-12, 0, 241)
    for sign, label, c in ((-1, "below the edge", "C1"), (1, "above the edge", "C2")):
        _, _, dL_db = cliff.loss_and_grad(w, b_c + sign * d)
        ax3.loglog(d, np.abs(dL_db), color=c, label=label)
    ax3.set_xlabel("distance from the edge $|b - b_c|$")
    ax3.set_ylabel("$|\\partial L/\\partial b|$")
    ax3.legend(fontsize=8)
    fig.tight_layout()
    return fig


@figure(
    "vanishing-cliff-descent",
    alt=("Three panels for gradient descent on the one-unit network, with and without "
         "clipping, from the same start. Left: the two paths over the loss map; both zigzag "
         "along the cliff edge together until one unclipped step throws that path outside the "
         "plotted region, while the clipped path continues along the edge. Middle: loss per "
         "step on a log scale; the curves coincide, then the unclipped loss jumps up by orders of "
         "magnitude while the clipped loss, still jumping whenever its path crosses the edge, falls "
         "overall. Right: the length of each parameter "
         "step on a log scale; one unclipped step is orders of magnitude longer than the "
         "clipped step at the same moment."),
    caption=(f"{cliff.DESCENT_STEPS} steps of gradient descent with learning rate "
             f"{cliff.DESCENT_LR} from $(w, b) = {cliff.DESCENT_START}$, without clipping and with "
             f"the gradient clipped to global norm {cliff.DESCENT_CLIP:g}, above the norms seen "
             "before the wall. The two runs are identical "
             "until the path touches the wall; there the unclipped step is catapulted away, "
             "the clipped one is cut to its bounded length and the descent goes on."),
)
def cliff_descent():
    runs = cliff.descent_runs()
    S = cliff.surface(np.linspace(*CLIFF_W, 176), np.linspace(*CLIFF_B, 151))
    fig, (ax, ax2, ax3) = subplots(1, 3, figsize=(10.5, 3.5))
    ax.pcolormesh(S["w"], S["b"], np.log10(S["L"] + 1e-12).T, shading="auto", cmap="viridis",
                  vmin=-3, vmax=2, rasterized=True)
    colors = {"unclipped": "C1", "clipped": "white"}
    for label in ("clipped", "unclipped"):                  # unclipped drawn on top
        r = runs[label]
        steps = np.hypot(np.diff(r["w"]), np.diff(r["b"]))
        k = int(np.argmax(steps)) if label == "unclipped" else len(steps)
        ax.plot(r["w"][: k + 1], r["b"][: k + 1], ".-", color=colors[label],
                markersize=2.5 if label == "unclipped" else 4, linewidth=0.8, label=label)
        if label == "unclipped":
            ax.annotate(f"step {k + 1}: off the map,\nto ({r['w'][k + 1]:.1f}, {r['b'][k + 1]:.1f})",
                        xy=(r["w"][k], r["b"][k]), xytext=(5.6, -1.8), color="white", fontsize=8,
                        arrowprops={"arrowstyle": "->", "color": "white"})
        ax2.semilogy(np.arange(len(r["L"])), r["L"], color=colors[label] if label != "clipped" else "C0",
                     label=label)
        ax3.semilogy(np.arange(1, len(steps) + 1), steps,
                     color=colors[label] if label != "clipped" else "C0", label=label)
    ax.set_xlim(*CLIFF_W)
    ax.set_ylim(*CLIFF_B)
    ax.set_xlabel("$w$")
    ax.set_ylabel("$b$")
    ax.grid(False)
    ax.legend(fontsize=8, loc="lower left", facecolor="0.5", framealpha=0.6, frameon=True)
    ax2.set_xlabel("step")
    ax2.set_ylabel("loss $L$")
    ax2.legend(fontsize=8)
    ax3.set_xlabel("step")
    ax3.set_ylabel("length of the step in $(w, b)$")
    fig.tight_layout()
    return fig


CLIP_EXAMPLE = (2.4, 0.6)          # a 2-D gradient for the direction picture
CLIP_MAX_NORM, CLIP_VALUE = 1.0, 0.5
_EXPLODING = {k: v.default for k, v in inspect.signature(exploding_gradient).parameters.items()}


def _angle(v) -> float:
    """Angle of a 2-D vector to the first axis, in degrees."""
    return math.degrees(math.atan2(v[1], v[0]))


def _example_angles() -> tuple[float, float]:
    """Angles of CLIP_EXAMPLE after clipping by norm and by value (the left panel)."""
    from vgp.clip import clip_by_global_norm, clip_by_value

    g = np.array(CLIP_EXAMPLE)
    return (_angle(clip_by_global_norm([g], CLIP_MAX_NORM)[0][0]),
            _angle(clip_by_value([g], CLIP_VALUE)[0]))


@figure(
    "vanishing-clip-direction",
    alt=("Left: three arrows from the origin in the plane: a gradient pointing mostly along "
         "the first axis, its norm-clipped version, shorter but on the same line, and its "
         f"value-clipped version, which points at {_example_angles()[1]:.0f} degrees instead of "
         f"{_angle(CLIP_EXAMPLE):.0f}. Right: "
         "cosine similarity between a real RNN gradient and its clipped version against the "
         "clipping threshold on a log axis; clipping by norm stays at exactly 1 for every "
         "threshold; clipping by value is 1 for large thresholds, falls as the threshold starts "
         "to clamp the largest entries, and levels off well below 1 once it clamps nearly "
         "all of them (sign descent)."),
    caption=("Clipping by global norm rescales the whole gradient, so its direction is kept; "
             "clipping by value clamps each entry, which turns the vector. Left: "
             f"$g = {CLIP_EXAMPLE}$ clipped to norm {CLIP_MAX_NORM:g} and to value "
             f"{CLIP_VALUE:g}. Right: the BPTT gradient of all parameters of a "
             f"{_EXPLODING['hidden']}-unit tanh RNN with spectral radius {_EXPLODING['radius']:g} "
             "(`vgp.clipping_demo.exploding_gradient`); the threshold "
             "is the norm $c$ for norm clipping and the value $c$ for value clipping."),
)
def clip_direction():
    from vgp.clip import clip_by_global_norm, clip_by_value
    from vgp.clipping_demo import _flat, cosine

    g = np.array(CLIP_EXAMPLE)
    by_norm = clip_by_global_norm([g], CLIP_MAX_NORM)[0][0]
    by_value = clip_by_value([g], CLIP_VALUE)[0]
    fig, (ax, ax2) = subplots(1, 2, figsize=(9.6, 3.8), gridspec_kw={"width_ratios": [1, 1.3]})
    for v, label, c in ((g, "gradient $g$", "C0"), (by_norm, "clipped by norm", "C2"),
                        (by_value, "clipped by value", "C1")):
        ang = _angle(v)
        ax.annotate("", xy=v, xytext=(0, 0), arrowprops={"arrowstyle": "-|>", "color": c, "lw": 1.8})
        ax.plot([], [], color=c, label=f"{label}: {ang:.1f}°")
    ax.plot([-CLIP_VALUE, CLIP_VALUE, CLIP_VALUE, -CLIP_VALUE, -CLIP_VALUE],
            [-CLIP_VALUE, -CLIP_VALUE, CLIP_VALUE, CLIP_VALUE, -CLIP_VALUE], ":", color="C1", lw=0.8)
    t = np.linspace(0, 2 * np.pi, 200)
    ax.plot(CLIP_MAX_NORM * np.cos(t), CLIP_MAX_NORM * np.sin(t), ":", color="C2", lw=0.8)
    ax.set_xlim(-1.1, 2.6)
    ax.set_ylim(-1.1, 1.4)
    ax.set_aspect("equal")
    ax.legend(fontsize=8, loc="lower right")
    ax.set_title("direction (angle to the first axis)", fontsize=10)
    grads = exploding_gradient()
    flat = _flat(grads)
    cs = np.logspace(-5, 3, 161)
    cos_value = [cosine(flat, _flat(clip_by_value(grads, c))) for c in cs]
    cos_norm = [cosine(flat, _flat(clip_by_global_norm(grads, c)[0])) for c in cs]
    ax2.semilogx(cs, cos_norm, color="C2", label="clip by global norm $c$")
    ax2.semilogx(cs, cos_value, color="C1", label="clip by value $c$")
    ax2.set_xlabel("threshold $c$")
    ax2.set_ylabel("cos(original, clipped)")
    ax2.set_ylim(0, 1.05)
    ax2.legend(fontsize=8, loc="lower right")
    fig.tight_layout()
    return fig


@figure(
    "vanishing-clipping-run",
    alt=(f"Two panels over {CLIP_RUN['iterations']} SGD iterations of a tanh RNN on the "
         f"sign-memory task, {len(CLIP_RUN['seeds'])} seeds, with and without gradient clipping. "
         "Left: training loss on a log scale; the clipped runs fall; two of the unclipped runs "
         "shoot off the top of the scale after the first steps and keep growing, the third "
         "stays near its starting loss. Right: the pre-clip gradient norm on a log scale, with "
         f"the clipping threshold {CLIP_RUN['max_norm']:g} drawn as a dashed line; the first "
         "iteration's norm is far above it for every seed."),
    caption=(f"SGD (learning rate {CLIP_RUN['lr']:g}) on the sign-memory task with $W_{{hh}}$ "
             f"initialised at spectral radius {CLIP_RUN['radius']:g}, with and without clipping "
             f"the global norm to {CLIP_RUN['max_norm']:g} (`vgp.clipping_demo.experiment`, "
             "cached). Solid: seed 0; thin: the other seeds. "
             "The norm is what `torch.nn.utils.clip_grad_norm_` returns: the norm *before* "
             "clipping, which is the number to log."),
)
def clipping_run():
    from vgp.clipping_demo import as_float_array, experiment

    res = experiment()
    fig, (ax, ax2) = subplots(1, 2, figsize=(9.6, 3.6))
    colors = {"unclipped": "C1", "clipped": "C0"}
    top = {"loss": 1e2, "grad_norm": 1e7}
    for key, run in sorted(res["runs"].items()):
        label, seed = key.rsplit("-", 1)
        lw, alpha = (1.5, 1.0) if seed == "0" else (0.7, 0.6)
        kw = {"color": colors[label], "lw": lw, "alpha": alpha,
              "label": label if seed == "0" else None}
        for a, field in ((ax, "loss"), (ax2, "grad_norm")):
            v = as_float_array(run[field])
            a.semilogy(np.minimum(v, top[field] * 10), **kw)      # off-scale values drawn at the top
            peak = np.nanmax(v)
            if seed == "0" and peak > top[field]:
                a.annotate(f"off the scale: up to {peak:.1e}", xy=(len(v) * 0.35, top[field] * 0.5),
                           color=colors[label], fontsize=8)
    ax.set_ylim(1e-3, top["loss"])
    ax2.set_ylim(1e-1, top["grad_norm"])
    ax2.axhline(res["config"]["max_norm"], color="0.3", ls="--", lw=0.8)
    ax2.text(5, res["config"]["max_norm"] * 0.35, "threshold", fontsize=8, color="0.3")
    ax.set_xlabel("iteration")
    ax.set_ylabel("training loss (MSE)")
    ax2.set_xlabel("iteration")
    ax2.set_ylabel("pre-clip global gradient norm")
    ax.legend(fontsize=8, loc="lower left")
    fig.tight_layout()
    return fig
