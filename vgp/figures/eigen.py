"""Figures for the lesson "Eigenvalues and singular values" (and the data they draw)."""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np

from vgp._validate import real
from vgp.cache import cached
from vgp.activations import MAX_SLOPE, dphi, phi
from vgp.figures import figure
from vgp.spectral import nonnormal_example, power_norms, rescale, spectral_norm, spectral_radius
from vgp.worked_example import log10_product_norm, predict_log10_norm, rates, worked_example

# Numbers quoted in alt texts and captions are computed here, never typed.
_NN = nonnormal_example()                       # [[0.9, 1], [0, 0.9]]
_NN_NORMS = power_norms(_NN, 60)
_NN_PEAK = int(np.argmax(_NN_NORMS))
_EX = worked_example()
_EX_PRED = predict_log10_norm(_EX, 50)

# The random tanh RNN of `vgp.profile.random_rnn_slopes` used by the last two figures.
NET = dict(hidden=64, steps=4000, seed=0)
HIST_RADII = (0.9, 1.5)
SWEEP_RADII = (0.5, 0.75, 0.9, 1.0, 1.1, 1.25, 1.5, 1.75, 2.0, 2.5, 3.0)
INPUT_SCALES = (0.1, 1.0)


def _sweep(config: dict) -> dict:
    from vgp.lyapunov import random_rnn_lyapunov
    from vgp.profile import random_rnn_slopes

    out = {}
    for scale in config["input_scales"]:
        rows = []
        for radius in config["radii"]:
            est = random_rnn_lyapunov(config["hidden"], config["steps"], radius,
                                      input_scale=scale, seed=config["seed"])
            W_hh, S = random_rnn_slopes(config["hidden"], config["steps"], radius,
                                        input_scale=scale, seed=config["seed"])
            rows.append(dict(radius=radius, exponent=est.exponent, naive=est.naive,
                             mean_slope=est.mean_slope, rms_slope=float(np.sqrt(np.mean(S ** 2))),
                             sigma_max=spectral_norm(W_hh)))
        out[str(scale)] = rows
    return out


def lyapunov_sweep(input_scale: float = 1.0) -> list[dict]:
    r"""Largest Lyapunov exponent and naive estimate of the random tanh RNN `NET`, per radius.

    One row per radius in `SWEEP_RADII`: radius, exponent (ln per step, repeated QR), naive
    ln(rho * mean tanh'), mean_slope, rms_slope (root mean square of tanh') and sigma_max of
    W_hh, all over the same run (`vgp.profile.random_rnn_slopes`). `input_scale` is one of
    `INPUT_SCALES`; the whole sweep is computed once and cached on disk (`vgp.cache`).

    >>> rows = lyapunov_sweep(1.0)
    >>> len(rows) == len(SWEEP_RADII), sorted(rows[0])
    (True, ['exponent', 'mean_slope', 'naive', 'radius', 'rms_slope', 'sigma_max'])
    """
    input_scale = real("input_scale", input_scale, minimum=0.0)
    if input_scale not in INPUT_SCALES:
        raise ValueError(f"input_scale must be one of {INPUT_SCALES}, got {input_scale}")
    config = dict(NET, input_scales=list(INPUT_SCALES), radii=list(SWEEP_RADII))
    result = cached("eigen-lyapunov-sweep", config, _sweep, module="vgp.figures.eigen")
    return result[str(input_scale)]


def _random_matrix(H: int, radius: float, seed: int) -> np.ndarray:
    rng = np.random.default_rng(seed)
    return rescale(rng.standard_normal((H, H)) / np.sqrt(H), radius=radius)


@figure(
    "eigen-powers",
    alt=("Two log-scale panels. Left: the lines |lambda|^n for |lambda| = 0.5, 0.9, 1.0, 1.1 "
         "and 1.5 over 50 steps; below 1 they fall as straight lines, above 1 they rise. Right: "
         "the spectral norm of W^n for one random 16-by-16 matrix rescaled to spectral radius "
         "0.8, 1.0 and 1.2, each next to its dashed line rho^n; after a few steps every curve "
         "runs roughly parallel to its dashed line, above it."),
    caption=("Left: $|\\lambda|^n$, the factor by which $W^n$ scales an eigenvector, for five "
             "magnitudes. Right: $\\lVert W^n\\rVert_2$ (solid) for one random $16\\times 16$ "
             "matrix rescaled to spectral radius $\\rho$, and $\\rho^n$ (dashed). The slope on "
             "the log scale is set by $\\rho$; the offset by how non-normal $W$ is."),
)
def powers():
    fig, (ax1, ax2) = plt.subplots(1, 2, figsize=(7.4, 3.4))
    n = np.arange(51)
    for lam in (0.5, 0.9, 1.0, 1.1, 1.5):
        ax1.semilogy(n, lam ** n, label=f"$|\\lambda| = {lam}$")
    ax1.set_xlabel("power $n$")
    ax1.set_ylabel("$|\\lambda|^n$")
    ax1.set_ylim(1e-16, 1e9)
    ax1.legend(fontsize=8, loc="lower left")
    ax1.set_title("one eigen-direction")
    for i, rho in enumerate((0.8, 1.0, 1.2)):
        W = _random_matrix(16, rho, seed=1)
        color = f"C{i}"
        ax2.semilogy(n, power_norms(W, 50), color=color, label=f"$\\rho = {rho}$")
        ax2.semilogy(n, rho ** n, color=color, linestyle="--", linewidth=1.0)
    ax2.set_xlabel("power $n$")
    ax2.set_ylabel("$\\Vert W^n \\Vert_2$")
    ax2.legend(fontsize=8, loc="upper left")
    ax2.set_title("one random $16\\times16$ matrix, rescaled")
    fig.tight_layout()
    return fig


@figure(
    "eigen-nonnormal-transient",
    alt=("Two panels for the non-normal 2-by-2 matrix with rows (0.9, 1) and (0, 0.9), whose only "
         "eigenvalue is 0.9. "
         "Left, linear scale over 60 powers: the spectral norm of W^n rises from 1 to a peak of "
         f"{_NN_NORMS[_NN_PEAK]:.2f} at n = {_NN_PEAK} before decaying, while 0.9^n decays from "
         "the start. Right, log scale over 300 powers: the norm eventually falls with the slope "
         f"of 0.9^n, far below the bound {spectral_norm(_NN):.2f}^n set by the spectral norm."),
    caption=("Transient growth. $W = \\begin{pmatrix}0.9 & 1\\\\ 0 & 0.9\\end{pmatrix}$ has "
             f"$\\rho(W) = {spectral_radius(_NN):g}$ but $\\lVert W\\rVert_2 = {spectral_norm(_NN):.4f}$. Left: "
             "$\\lVert W^n\\rVert_2$ (solid) first grows, then decays; $\\rho^n$ (dashed) only "
             "decays. Right: the same on a log scale with the bound "
             "$\\lVert W\\rVert_2^n$ (dotted). The spectral radius tells the end of the story, "
             "not the beginning (Trefethen & Embree 2005)."),
)
def nonnormal_transient():
    W = _NN
    rho, sigma = spectral_radius(W), spectral_norm(W)
    fig, (ax1, ax2) = plt.subplots(1, 2, figsize=(7.4, 3.4))
    n = np.arange(61)
    norms = power_norms(W, 60)
    ax1.plot(n, norms, label="$\\Vert W^n\\Vert_2$")
    ax1.plot(n, rho ** n, "--", label=f"$\\rho^n = {rho:g}^n$")
    k = int(np.argmax(norms))
    ax1.plot([k], [norms[k]], "o", color="C0")
    ax1.annotate(f"peak {norms[k]:.2f} at $n={k}$", (k, norms[k]), xytext=(k + 6, norms[k]),
                 fontsize=8, va="center")
    ax1.axhline(1.0, color="0.5", linewidth=0.8)
    ax1.set_xlabel("power $n$")
    ax1.set_ylabel("norm (linear scale)")
    ax1.legend(fontsize=8)
    n2 = np.arange(301)
    ax2.plot(n2, power_norms(W, 300, log10=True), label="$\\Vert W^n\\Vert_2$")
    ax2.plot(n2, n2 * np.log10(rho), "--", label="$\\rho^n$")
    ax2.plot(n2[:60], n2[:60] * np.log10(sigma), ":", color="C2",
             label=f"$\\Vert W\\Vert_2^n = {sigma:.2f}^n$")
    ax2.set_xlabel("power $n$")
    ax2.set_ylabel("$\\log_{10}$ norm")
    ax2.legend(fontsize=8, loc="lower left")
    fig.tight_layout()
    return fig


@figure(
    "eigen-worked-heatmaps",
    alt=("Two rows of five 2-by-2 heatmaps, one per step t = 1 to 5, each cell labelled with "
         "its value. Top row, one shared colour scale: the cumulative product dh_t/dh_0 fades "
         f"from a largest entry of {np.max(np.abs(_EX.cumulative[0])):.3f} at t = 1 to "
         f"{np.max(np.abs(_EX.cumulative[-1])):.3f} at t = 5. Bottom row, each matrix divided "
         "by its own spectral norm: the sign pattern turns from step to step while the "
         "normalised entries stay of order one."),
    caption=("The worked example's cumulative products $\\partial h_t/\\partial h_0 = J_t\\cdots J_1$, "
             "$t = 1..5$. Top: one colour scale for all five; the product fades. Bottom: each "
             "divided by its spectral norm; what is left turns, because the eigenvalues of "
             "$W_{hh}$ are complex. Rows are components of $h_t$, columns components of $h_0$."),
)
def worked_heatmaps():
    ex = worked_example()
    fig, axes = plt.subplots(2, 5, figsize=(8.2, 3.8))
    vmax = float(np.max(np.abs(ex.cumulative)))
    for t in range(1, ex.steps + 1):
        P = ex.cumulative[t - 1]
        for row, (M, lim) in enumerate(((P, vmax), (P / np.linalg.norm(P, 2), 1.0))):
            ax = axes[row, t - 1]
            ax.imshow(M, cmap="RdBu_r", vmin=-lim, vmax=lim)
            for (i, j), v in np.ndenumerate(M):
                ax.text(j, i, f"{v:.3f}", ha="center", va="center", fontsize=7,
                        color="white" if abs(v) > 0.6 * lim else "black")
            ax.set_xticks([0, 1])
            ax.set_yticks([0, 1])
            ax.grid(False)
            ax.tick_params(labelsize=7)
        axes[0, t - 1].set_title(f"$\\partial h_{t}/\\partial h_0$", fontsize=9)
    axes[0, 0].set_ylabel("shared scale", fontsize=8)
    axes[1, 0].set_ylabel("divided by $\\Vert\\cdot\\Vert_2$", fontsize=8)
    fig.tight_layout()
    return fig


@figure(
    "eigen-worked-fifty-steps",
    alt=("Log-scale plot of the spectral norm of dh_t/dh_0 for the worked example over 50 steps, "
         "with the five computed steps marked. Straight lines from t = 0: the bound "
         f"sigma_max^t, which ends {10 ** (_EX_PRED['bound'] - _EX_PRED['computed']):.0f} times "
         "too high at t = 50; the five-step average rate extended, "
         f"{10 ** (_EX_PRED['mean_rate'] - _EX_PRED['computed']):.1f} times too high; and "
         "rho(W_hh)^t, which the computed curve follows with a small wobble. A dotted line from "
         "t = 5, the step-5 value times the last step's spectral radius per step, lies on top of "
         "the computed curve."),
    caption=("What the first five steps predict for fifty. Solid: $\\lVert\\partial h_t/\\partial "
             "h_0\\rVert_2$ of the worked example, computed for every $t$ (dots: the five steps "
             "on this page). Lines: $\\sigma_{\\max}(W_{hh})^t$ (the bound with $\\gamma = 1$), "
             "the geometric-mean rate of the first five steps extended, "
             "$\\rho(W_{hh})^t$ (the limit rate once $h_t \\to 0$ and $J_t \\to W_{hh}$), and, "
             "from $t = 5$, the computed $\\lVert\\partial h_5/\\partial h_0\\rVert_2$ times "
             "$\\rho(J_5)^{t-5}$."),
)
def worked_fifty_steps():
    ex = worked_example()
    r = rates(ex)
    t = np.arange(51)
    logs = np.concatenate([[0.0], log10_product_norm(steps=50)])
    fig, ax = plt.subplots(figsize=(6.4, 3.8))
    ax.plot(t, logs, color="C6", label="$\\Vert\\partial h_t/\\partial h_0\\Vert_2$ (computed)")
    ax.plot(t[1:6], np.log10(np.linalg.norm(ex.cumulative, 2, axis=(1, 2))), "o", color="C6")
    ax.plot(t, t * np.log10(r["sigma_max"]), ":", color="C1",
            label=f"$\\sigma_{{\\max}}^t = {r['sigma_max']:.4f}^t$ (bound)")
    ax.plot(t, t * np.log10(r["mean_rate"]), "-.", color="C2",
            label=f"five-step rate$^t = {r['mean_rate']:.4f}^t$")
    ax.plot(t, t * np.log10(r["rho"]), "--", color="C0",
            label=f"$\\rho^t = {r['rho']:.4f}^t$")
    T = ex.steps
    ax.plot(t[T:], np.log10(ex.product_spectral_norm) + (t[T:] - T) * np.log10(ex.jacobian_radii[-1]),
            linestyle=(0, (1, 3)), color="C3", linewidth=2.2,
            label=f"step-5 value $\\times\\, \\rho(J_5)^{{t-5}}$, $\\rho(J_5) = {ex.jacobian_radii[-1]:.4f}$")
    ax.set_xlabel("step $t$")
    ax.set_ylabel("$\\log_{10}$ norm")
    ax.legend(fontsize=8, loc="lower left")
    fig.tight_layout()
    return fig


@figure(
    "eigen-activations",
    alt=("Three panels for tanh, sigmoid and ReLU over z from -5 to 5, each showing the function "
         "and its derivative. The tanh derivative peaks at 1 at z = 0 and falls towards 0 on both "
         "sides; the sigmoid derivative peaks at only 0.25; the ReLU derivative is 0 for negative "
         "z and 1 for positive z."),
    caption=("Activations $\\phi$ (solid) and their slopes $\\phi'$ (dashed). The dotted line is "
             "$\\gamma = \\max_z \\phi'(z)$: 1 for tanh, $1/4$ for sigmoid, 1 for ReLU. Every "
             "backward step multiplies by $\\mathrm{diag}(\\phi'(z_t))$, whose entries lie "
             "between 0 and $\\gamma \\le 1$: the activation keeps or shrinks each component "
             "of the gradient, never enlarges it."),
)
def activations():
    z = np.linspace(-5, 5, 801)
    fig, axes = plt.subplots(1, 3, figsize=(8.2, 3.0), sharey=True)
    for ax, name in zip(axes, ("tanh", "sigmoid", "relu")):
        ax.plot(z, phi(name, z), label=f"{name}$(z)$")
        ax.plot(z, dphi(name, z), "--", label=f"{name}$'(z)$")
        ax.axhline(MAX_SLOPE[name], color="0.4", linestyle=":", linewidth=1.0,
                   label=f"$\\gamma = {MAX_SLOPE[name]:g}$")
        ax.set_title(name)
        ax.set_xlabel("pre-activation $z$")
        ax.set_ylim(-1.1, 1.6)
        ax.legend(fontsize=7, loc="upper left")
    fig.tight_layout()
    return fig


@figure(
    "eigen-tanh-slope-histogram",
    alt=("Histograms of tanh'(z) collected from every unit at every step of a 64-unit tanh RNN "
         "driven by random inputs, for recurrent spectral radius 0.9 and 1.5. Both are U-shaped "
         "over the range 0 to 1: a peak just below 1 (units near z = 0) and a peak near 0 "
         "(saturated units), the peak near 0 higher for radius 1.5. Dashed vertical lines mark "
         "the means, both well below 1."),
    caption=("The slopes the backward pass actually multiplies by: $\\tanh'(z_t)$ of every unit "
             f"and step of a {NET['hidden']}-unit tanh RNN run for {NET['steps']} steps from "
             "$h_0 = 0$ (`vgp.profile.random_rnn_slopes`: random $W_{hh}$ rescaled to spectral "
             "radius $\\rho$, a scalar input $x_t \\sim N(0, 1)$ through weights $N(0, 1)$). "
             "Dashed lines: the measured means."),
)
def tanh_slope_histogram():
    from vgp.profile import random_rnn_slopes

    fig, ax = plt.subplots(figsize=(6.4, 3.6))
    bins = np.linspace(0.0, 1.0, 51)
    for i, rho in enumerate(HIST_RADII):
        _, S = random_rnn_slopes(NET["hidden"], NET["steps"], rho, input_scale=1.0, seed=NET["seed"])
        s = S.ravel()
        ax.hist(s, bins=bins, density=True, histtype="stepfilled", alpha=0.35, color=f"C{i}",
                label=f"$\\rho = {rho}$")
        ax.axvline(s.mean(), color=f"C{i}", linestyle="--", linewidth=1.2,
                   label=f"mean {s.mean():.3f}")
    ax.set_xlabel("$\\tanh'(z_t)$")
    ax.set_ylabel("density")
    ax.legend(fontsize=8, loc="upper center")
    fig.tight_layout()
    return fig


@figure(
    "eigen-lyapunov",
    alt=("Two log-scale panels of per-step gradient factors against the spectral radius of W_hh "
         "from 0.5 to 3, for weak inputs (scale 0.1) and strong inputs (scale 1). Curves per "
         "panel: the measured factor exp(lambda_1) from the Lyapunov exponent, the naive estimate "
         "rho times mean tanh', and the bound sigma_max, plus a thin line rho times the "
         "root-mean-square slope. The bound is far above the rest. The naive "
         "estimate tracks the measured factor at small radius; at large radius the measured "
         "factor rises above 1 while the naive estimate stays at or below 1: the gradient grows "
         "while the naive estimate says it shrinks."),
    caption=("Per-step factor of the backward product of a random tanh RNN "
             f"({NET['hidden']} units, {NET['steps']} steps), against $\\rho(W_{{hh}})$. Solid: "
             "$e^{\\lambda_1}$, the largest Lyapunov exponent by repeated QR "
             "(`vgp.lyapunov`). Dashed: the naive $\\rho(W_{hh})\\cdot\\overline{\\tanh'}$. "
             "Grey dash-dot: $\\rho(W_{hh})$ times the root-mean-square slope. "
             "Dotted: the bound $\\sigma_{\\max}(W_{hh})$ ($\\gamma = 1$). Above the horizontal line at 1 "
             "gradients explode, below it they vanish. Left: weak input (the state stays near "
             "0 until the recurrence itself saturates it); right: strong input."),
)
def lyapunov_figure():
    fig, axes = plt.subplots(1, 2, figsize=(7.6, 3.6), sharey=True)
    for ax, scale in zip(axes, INPUT_SCALES):
        rows = lyapunov_sweep(scale)
        r = np.array([row["radius"] for row in rows])
        ax.semilogy(r, np.exp([row["exponent"] for row in rows]), "o-", markersize=3.5,
                    label="$e^{\\lambda_1}$ (measured)")
        ax.semilogy(r, np.exp([row["naive"] for row in rows]), "s--", markersize=3.5,
                    label="$\\rho \\cdot$ mean $\\tanh'$ (naive)")
        ax.semilogy(r, [row["radius"] * row["rms_slope"] for row in rows], "-.", color="0.45",
                    linewidth=1.0, label="$\\rho \\cdot$ RMS $\\tanh'$")
        ax.semilogy(r, [row["sigma_max"] for row in rows], ":", color="C2",
                    label="$\\sigma_{\\max}$ (bound)")
        ax.axhline(1.0, color="0.5", linewidth=0.8)
        ax.set_title(f"input scale {scale:g}")
        ax.set_xlabel("spectral radius $\\rho(W_{hh})$")
    axes[0].set_ylabel("per-step factor")
    axes[0].legend(fontsize=8, loc="upper left")
    fig.tight_layout()
    return fig
