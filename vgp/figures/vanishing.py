"""Figures for the vanishing half of "Vanishing versus exploding": geometric decay, the
radius 0.5-1.5 gradient profiles (far below the float64 range), swamping, and the gradient
profiles of three initialisations. The cliff and clipping figures are in
`vgp.figures.clipping`."""

from __future__ import annotations

import math

import numpy as np

from vgp.figures import figure, subplots
from vgp.init_compare import EXPERIMENT as INIT_RUN
from vgp.vanishing import PROFILE, RADII, SWAMP, radius_profiles

FLOAT64_TINY = math.log10(np.finfo(np.float64).tiny)            # log10 of the smallest normal
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
    fig, ax = subplots(figsize=(6.4, 3.8))
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
             "below the float64 limits (grey band) are still accurate. Note that radius 1.0 and 1.1 "
             "still vanish: tanh slopes below 1 pull the rate down."),
)
def radius_profiles_figure():
    profs = radius_profiles()
    fig, ax = subplots(figsize=(6.8, 4.0))
    for r, prof in profs.items():
        back = prof.t[-1] - prof.t                                   # T - t
        ax.plot(back, prof.log10_norm, label=f"radius {r:g}")
    ax.axhspan(-10_000, FLOAT64_TINY, color="0.85", zorder=0)
    ax.axhline(FLOAT64_TINY, color="0.4", linewidth=0.8, linestyle="--")
    ax.text(20, FLOAT64_TINY - 25,
            f"below the smallest normal float64 ({np.finfo(np.float64).tiny:.1e})",
            fontsize=8, color="0.3")
    ax.set_ylim(-480, 40)
    _pow10_ticks(ax, step=100)
    ax.set_xlabel("steps back from the loss, $T - t$")
    ax.set_ylabel("$\\|\\partial L/\\partial h_t\\|$")
    ax.legend(fontsize=8, loc="lower left", ncol=2)
    fig.tight_layout()
    return fig



@figure(
    "vanishing-swamping",
    alt=("Size of each per-step term of the gradient with respect to W_hh, relative to the "
         "most recent term, against how many steps back the term comes from, on a log scale. "
         "The sizes fall along a roughly straight line. A horizontal line marks float64's "
         "unit roundoff, 2 to the power -53, and a vertical line marks the horizon beyond "
         "which adding the terms does not change a single bit of the summed gradient."),
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
    fig, ax = subplots(figsize=(6.4, 3.6))
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


SMOOTH = 25                        # moving-average window of the loss curves
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
    fig, axes = subplots(1, 3, figsize=(10.5, 3.4), sharey=True)
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
         "identity-initialised ReLU network drops well below it, with a few brief spikes."),
    caption=(f"Training loss (moving average over {SMOOTH} iterations) on the adding problem; the "
             "dashed line is the MSE 1/6 of always predicting the mean sum, 1. Seed 0 bold, "
             "the other seeds thin."),
)
def init_loss():
    from vgp.init_compare import INITS, experiment
    from vgp.tasks import adding_baseline

    res = experiment()
    fig, ax = subplots(figsize=(6.4, 3.6))
    k = SMOOTH
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
