"""Figures for the lesson "Vanishing versus exploding"."""

from __future__ import annotations

import math

import matplotlib.pyplot as plt
import numpy as np

from vgp import cliff
from vgp.figures import figure
from vgp.clipping_demo import EXPERIMENT as CLIP_RUN
from vgp.init_compare import EXPERIMENT as INIT_RUN
from vgp.vanishing import PROFILE, RADII, SWAMP, radius_profiles

FLOAT64_TINY = math.log10(np.finfo(np.float64).tiny)            # smallest normal, about -307.7
FLOAT64_SUBNORMAL = math.log10(np.nextafter(0.0, 1.0))          # smallest subnormal, -323.3
GAMMAS = (0.25, 0.45, 0.9, 1.0, 1.1, 1.5)


def _pow10_ticks(ax, axis: str = "y", step: int | None = None) -> None:
    """Label a log10-valued axis as powers of ten."""
    lo, hi = (ax.get_ylim() if axis == "y" else ax.get_xlim())
    if step is None:
        span = hi - lo
        step = next(s for s in (1, 2, 5, 10, 20, 50, 100, 200) if span / s <= 8)
    ticks = np.arange(math.ceil(lo / step) * step, hi + 1e-9, step)
    labels = [f"$10^{{{int(t)}}}$" for t in ticks]
    (ax.set_yticks if axis == "y" else ax.set_xticks)(ticks, labels)


@figure(
    "vanishing-gamma-powers",
    alt=("Log-scale plot of gamma to the power n for n from 0 to 100 and six values of gamma. "
         "Every curve is a straight line on the log scale. At n = 100, 0.25 reaches "
         f"{0.25 ** 100:.0e}, 0.45 reaches {0.45 ** 100:.0e} and 0.9 reaches {0.9 ** 100:.0e}; "
         f"gamma = 1 stays flat at 1; 1.1 rises to {1.1 ** 100:.1e} and 1.5 to {1.5 ** 100:.0e}."),
    caption=("$\\gamma^n$ on a logarithmic axis: a constant factor per step is a straight line, "
             "with slope $\\log_{10}\\gamma$. Dots mark the entries of the 0.45 and 1.1 tables "
             "below. 0.25 is the largest slope of the sigmoid."),
)
def gamma_powers():
    n = np.arange(0, 101)
    fig, ax = plt.subplots(figsize=(6.4, 3.8))
    for gamma in GAMMAS:
        ax.plot(n, n * math.log10(gamma), label=f"$\\gamma$ = {gamma:g}")
    for gamma, ns, c in ((0.45, (10, 20, 50, 100), "C1"), (1.1, (10, 20, 50), "C4")):
        ns = np.array(ns)
        ax.plot(ns, ns * math.log10(gamma), "o", color=c, markersize=5)
    ax.set_xlabel("number of steps $n$")
    ax.set_ylabel("$\\gamma^n$")
    ax.set_ylim(-62, 20)
    _pow10_ticks(ax, step=10)
    ax.legend(ncol=2, fontsize=9, loc="lower left")
    fig.tight_layout()
    return fig


@figure(
    "vanishing-radius-profiles",
    alt=(f"Gradient norm against the number of steps back from the loss, 0 to "
         f"{PROFILE['steps'] - 1}, on a log scale from 1e-480 to 1e40, for a "
         f"{PROFILE['hidden']}-unit tanh RNN with spectral radius "
         f"{', '.join(f'{r:g}' for r in RADII)}. Radii up to 1.1 fall along straight lines; "
         "the steepest, radius 0.5, crosses into the shaded band below the smallest normal "
         "float64 and keeps falling far below it. Radius 1.25 falls slowly; radius 1.5 rises."),
    caption=(f"Measured $\\lVert \\partial L/\\partial h_t\\rVert$ in a {PROFILE['hidden']}-unit tanh "
             f"RNN, loss at the last of {PROFILE['steps']} steps, $\\lVert\\partial L/\\partial h_T\\rVert"
             f" = 1$, geometric mean over {PROFILE['trials']} input sequences "
             "(`vgp.profile.random_rnn_profile`). The norms are tracked in log space, so values "
             "below the float64 limits (grey band) are still exact. Note that radius 1.0 and 1.1 "
             "still vanish: tanh slopes below 1 pull the rate down."),
)
def radius_profiles_figure():
    profs = radius_profiles()
    fig, ax = plt.subplots(figsize=(6.8, 4.0))
    for r, prof in profs.items():
        back = prof.t[-1] - prof.t                                   # T - t
        ax.plot(back, prof.log10_norm, label=f"radius {r:g}")
    ax.axhspan(-10_000, FLOAT64_TINY, color="0.85", zorder=0)
    ax.axhline(FLOAT64_TINY, color="0.4", linewidth=0.8, linestyle="--")
    ax.text(20, FLOAT64_TINY - 25, "below the smallest normal float64 (2.2e-308)",
            fontsize=8, color="0.3")
    ax.set_ylim(-480, 40)
    _pow10_ticks(ax, step=100)
    ax.set_xlabel("steps back from the loss, $T - t$")
    ax.set_ylabel("$\\|\\partial L/\\partial h_t\\|$")
    ax.legend(fontsize=8, loc="lower left", ncol=2)
    fig.tight_layout()
    return fig


CLIFF_W, CLIFF_B = (4.0, 7.5), (-4.5, -1.5)
CLIFF_START, CLIFF_LR, CLIFF_STEPS, CLIFF_CLIP = (5.5, -2.9), 0.01, 100, 20.0
CLIFF_SLICE_W = 5.5


def cliff_runs() -> dict:
    """The two descents of the cliff figures (unclipped, and clipped to global norm CLIFF_CLIP)."""
    return {label: cliff.descend(*CLIFF_START, lr=CLIFF_LR, n_steps=CLIFF_STEPS, max_norm=mn)
            for label, mn in (("unclipped", None), ("clipped", CLIFF_CLIP))}


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
    fig, (ax, ax2, ax3) = plt.subplots(1, 3, figsize=(11.0, 3.6),
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
         "magnitude while the clipped loss keeps falling. Right: the length of each parameter "
         "step on a log scale; one unclipped step is orders of magnitude longer than the "
         "clipped step at the same moment."),
    caption=(f"{CLIFF_STEPS} steps of gradient descent with learning rate {CLIFF_LR} from "
             f"$(w, b) = {CLIFF_START}$, without clipping and with the gradient clipped to global "
             f"norm {CLIFF_CLIP:g}, above the norms seen on the way. The two runs are identical "
             "until the path touches the wall; there the unclipped step is catapulted away, "
             "the clipped one is cut to its bounded length and the descent goes on."),
)
def cliff_descent():
    runs = cliff_runs()
    S = cliff.surface(np.linspace(*CLIFF_W, 176), np.linspace(*CLIFF_B, 151))
    fig, (ax, ax2, ax3) = plt.subplots(1, 3, figsize=(10.5, 3.5))
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


@figure(
    "vanishing-clip-direction",
    alt=("Left: three arrows from the origin in the plane: a gradient pointing mostly along "
         "the first axis, its norm-clipped version, shorter but on the same line, and its "
         "value-clipped version, which points at 45 degrees, in a different direction. Right: "
         "cosine similarity between a real RNN gradient and its clipped version against the "
         "clipping threshold on a log axis; clipping by norm stays at exactly 1 for every "
         "threshold, clipping by value falls well below 1 once the threshold is small enough "
         "to clamp some entries but not others."),
    caption=("Clipping by global norm rescales the whole gradient, so its direction is kept; "
             "clipping by value clamps each entry, which turns the vector. Left: "
             f"$g = {CLIP_EXAMPLE}$ clipped to norm {CLIP_MAX_NORM:g} and to value "
             f"{CLIP_VALUE:g}. Right: the BPTT gradient of all parameters of a 16-unit tanh RNN "
             "with spectral radius 1.2 (`vgp.clipping_demo.exploding_gradient`); the threshold "
             "is the norm $c$ for norm clipping and the value $c$ for value clipping."),
)
def clip_direction():
    from vgp.clip import clip_by_global_norm, clip_by_value
    from vgp.clipping_demo import _flat, cosine, exploding_gradient

    g = np.array(CLIP_EXAMPLE)
    by_norm = clip_by_global_norm([g], CLIP_MAX_NORM)[0][0]
    by_value = clip_by_value([g], CLIP_VALUE)[0]
    fig, (ax, ax2) = plt.subplots(1, 2, figsize=(9.6, 3.8), gridspec_kw={"width_ratios": [1, 1.3]})
    for v, label, c in ((g, "gradient $g$", "C0"), (by_norm, "clipped by norm", "C2"),
                        (by_value, "clipped by value", "C1")):
        ang = math.degrees(math.atan2(v[1], v[0]))
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
    fig, (ax, ax2) = plt.subplots(1, 2, figsize=(9.6, 3.6))
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


INIT_LABELS = {"small_random": "small random, tanh", "orthogonal": "orthogonal, tanh",
               "identity": "identity, ReLU (IRNN)"}


@figure(
    "vanishing-init-profiles",
    alt=("Three panels, one per initialisation of the recurrent matrix, each showing the "
         "gradient norm against the time step on a log scale, at initialisation (dashed) and "
         "after training (solid). Small random: at initialisation the norm falls by tens of "
         "orders of magnitude from the last step back to the first, after training by far "
         "less. Orthogonal with tanh: nearly flat at initialisation, somewhat steeper after "
         "training for some seeds. Identity with ReLU: close to flat before and after."),
    caption=("$\\|\\partial \\ell/\\partial h_t\\|$ for the adding problem (loss at the last step "
             "$T$), measured by `vgp.profile.gradient_profile` on a fixed batch, geometric mean "
             "over the batch, for three initialisations of $W_{hh}$; dashed at initialisation, "
             f"solid after training ({INIT_RUN['iterations']} Adam steps; "
             "`vgp.init_compare.experiment`, cached; seed 0 bold, the other seeds thin)."),
)
def init_profiles():
    from vgp.init_compare import INITS, experiment

    res = experiment()
    T = res["config"]["length"]
    t = np.arange(1, T + 1)
    fig, axes = plt.subplots(1, 3, figsize=(10.5, 3.4), sharey=True)
    for ax, kind in zip(axes, INITS):
        for seed in res["config"]["seeds"]:
            run = res["runs"][f"{kind}-{seed}"]
            lw, alpha = (1.6, 1.0) if seed == 0 else (0.7, 0.5)
            ax.plot(t, run["profile_init"], "--", color="C0", lw=lw, alpha=alpha,
                    label="at initialisation" if seed == 0 else None)
            ax.plot(t, run["profile_final"], color="C1", lw=lw, alpha=alpha,
                    label="after training" if seed == 0 else None)
        ax.set_title(INIT_LABELS[kind], fontsize=10)
        ax.set_xlabel("time step $t$")
    axes[0].set_ylabel(f"$\\|\\partial \\ell/\\partial h_t\\|$  (loss at $T$ = {T})")
    axes[0].set_ylim(-65, 5)
    _pow10_ticks(axes[0], step=10)
    axes[0].legend(fontsize=8, loc="lower right")
    fig.tight_layout()
    return fig


@figure(
    "vanishing-init-loss",
    alt=("Training loss against iteration for the three initialisations on the adding "
         "problem, smoothed, with a horizontal line at the mean-prediction baseline of one "
         "sixth. Both tanh networks (small random and orthogonal) settle on the baseline; the "
         "identity-initialised ReLU network drops well below it."),
    caption=("Training loss (moving average over 25 iterations) on the adding problem; the "
             "dashed line is the MSE 1/6 of always predicting the mean sum, 1. Seed 0 bold, "
             "the other seeds thin."),
)
def init_loss():
    from vgp.init_compare import INITS, experiment
    from vgp.tasks import adding_baseline

    res = experiment()
    fig, ax = plt.subplots(figsize=(6.4, 3.6))
    k = 25
    for i, kind in enumerate(INITS):
        for seed in res["config"]["seeds"]:
            loss = np.array(res["runs"][f"{kind}-{seed}"]["loss"])
            smooth = np.convolve(loss, np.ones(k) / k, mode="valid")
            ax.plot(np.arange(k, len(loss) + 1), smooth, color=f"C{i}",
                    lw=1.6 if seed == 0 else 0.7, alpha=1.0 if seed == 0 else 0.6,
                    label=INIT_LABELS[kind] if seed == 0 else None)
    ax.axhline(adding_baseline(), color="0.3", ls="--", lw=0.9, label="predict the mean (1/6)")
    ax.set_ylim(0, 0.4)
    ax.set_xlabel("iteration")
    ax.set_ylabel("training MSE")
    ax.legend(fontsize=8)
    fig.tight_layout()
    return fig


@figure(
    "vanishing-swamping",
    alt=("Size of each per-step term of the gradient with respect to W_hh, relative to the "
         "most recent term, against how many steps back the term comes from, on a log scale. "
         "The sizes fall along a roughly straight line. A horizontal line marks float64's "
         "relative precision, about 1e-16, and a vertical line marks the horizon beyond which "
         "adding the terms does not change a single bit of the summed gradient."),
    caption=("The terms $\\delta_k h_{k-1}^\\top$ of $\\partial L/\\partial W_{hh}$ for a "
             f"{SWAMP['hidden']}-unit tanh RNN with spectral radius {SWAMP['radius']:g} and the "
             f"loss at the last of {SWAMP['steps']} steps (`vgp.vanishing.swamping_example`). "
             "Terms right of the vertical line are lost: the float64 sum with them is "
             "bit-for-bit the sum without them."),
)
def swamping_figure():
    from vgp.vanishing import lost_horizon, swamping_example

    C = swamping_example()
    T = C.shape[0]
    norms = np.linalg.norm(C.reshape(T, -1), axis=1)
    back = T - np.arange(1, T + 1)                                 # T - k
    with np.errstate(divide="ignore"):
        rel = np.log10(norms / norms[-1])
    m = lost_horizon(C)
    fig, ax = plt.subplots(figsize=(6.4, 3.6))
    ax.plot(back, rel, color="C0", lw=1.2)
    ax.axhline(math.log10(np.finfo(float).eps / 2), color="0.4", ls="--", lw=0.8)
    ax.text(2, math.log10(np.finfo(float).eps / 2) + 0.8, "float64 unit roundoff $2^{-53}$",
            fontsize=8, color="0.3")
    ax.axvline(m - 0.5, color="C1", lw=1)
    ax.text(m + 2, -2, "terms lost in the sum", color="C1", fontsize=8)
    ax.set_xlabel("steps back from the loss, $T - k$")
    ax.set_ylabel("term size / newest term")
    finite = rel[np.isfinite(rel)]
    ax.set_ylim(math.floor(finite.min()) - 1, 1)
    _pow10_ticks(ax, step=5)
    fig.tight_layout()
    return fig
