r"""Figures for the lesson "Backpropagation through time": the terms of the gradient and truncation.

Registers `bptt-contributions` (the size of every term $C_{s,t}$ of $\partial L/\partial W_{hh}$,
and how it decays with the lag $s - t$), `bptt-truncation` (the delayed-echo task learned
with truncated BPTT of length $k$) and `bptt-truncation-cut` (which terms $C_{s,t}$ truncation
drops). The terms are computed by `vgp.figures.bptt`.
"""

from __future__ import annotations

import numpy as np

from vgp.figures import figure, subplots
from vgp.figures.bptt import CONTRIB_H, CONTRIB_T, contribution_norms, median_by_lag, truncation_mask
from vgp.truncation import EXPERIMENT as TRUNCATION_EXPERIMENT
from vgp.truncation import experiment as truncation_experiment

#: The contributions figure: the spectral radii compared, the radius of the heatmaps, and the
#: chunk length of the truncation figure.
CONTRIB_RADII = (0.5, 0.9, 1.5)
CONTRIB_RADIUS = 0.9
CUT_K = 8


def _and_list(values) -> str:
    """'a, b and c' from an iterable of numbers."""
    items = [f"{v:g}" for v in values]
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]


@figure(
    "bptt-contributions",
    alt=("Left: a triangular heatmap of the size of each contribution to the gradient of the "
         "recurrent weights, loss step on the vertical axis and the step where the weights "
         "were used on the horizontal axis; the diagonal is brightest and the colour fades "
         "steadily away from it. Right: the median log10 size of a contribution against the "
         f"lag between the two steps, for spectral radius {_and_list(CONTRIB_RADII)}; all "
         "of them fall roughly along straight lines, steepest for "
         f"{min(CONTRIB_RADII):g} and shallowest for {max(CONTRIB_RADII):g}."),
    caption=("$\\partial L/\\partial W_{hh}$ split into terms $C_{s,t}$, one per loss step $s$ "
             f"and weight-use step $t \\le s$, for a {CONTRIB_H}-unit tanh RNN over {CONTRIB_T} "
             "steps with random inputs and targets. Left: "
             "$\\log_{10}\\lVert C_{s,t}\\rVert_F$ for spectral "
             f"radius {CONTRIB_RADIUS:g} (column $t = 1$ is empty because $h_0 = 0$). Right: the "
             "median over $s$ against the lag $s - t$: straight lines on a log scale are "
             "geometric decay."),
)
def contributions():
    fig, (a, b) = subplots(1, 2, figsize=(8.4, 3.6), gridspec_kw={"width_ratios": [1, 1.2]})
    logn = contribution_norms(CONTRIB_RADIUS)
    T = logn.shape[0]
    im = a.imshow(logn, origin="upper", cmap="viridis", extent=(0.5, T + 0.5, T + 0.5, 0.5))
    a.grid(False)
    a.set_xlabel("step $t$ where $W_{hh}$ is used")
    a.set_ylabel("loss step $s$")
    a.set_title(f"$\\log_{{10}}\\Vert C_{{s,t}}\\Vert_F$, radius {CONTRIB_RADIUS:g}")
    fig.colorbar(im, ax=a, shrink=0.85)
    for radius in CONTRIB_RADII:
        lags, med = median_by_lag(contribution_norms(radius))
        b.plot(lags, med, marker="o", markersize=2.5, label=f"spectral radius {radius}")
    b.set_xlabel("lag $s - t$ (steps)")
    b.set_ylabel("median $\\log_{10}\\Vert C_{s,t}\\Vert_F$")
    b.set_title("contributions shrink with the lag")
    b.legend()
    fig.tight_layout()
    return fig


@figure(
    "bptt-truncation",
    alt=("One panel per lag "
         f"({_and_list(TRUNCATION_EXPERIMENT['lags'])} steps) of test accuracy against the "
         "truncation length k. In every panel the accuracy stays well below the success "
         "level for every k up to and including the lag, most runs near the chance level of "
         "one half, then jumps to almost perfect from k = lag + 1 onward. A vertical dashed line marks k = lag + 1."),
    caption=("Delayed echo (the target at step $t$ is the input bit from $d$ steps earlier), "
             f"a {TRUNCATION_EXPERIMENT['hidden']}-unit tanh RNN trained with truncated BPTT of length $k$ on the same stream "
             "of data for every $k$. Dots are seeds, the line is their mean, the dashed line "
             "marks $k = d + 1$. Accuracy is measured on a fresh stream with no truncation; "
             "0.5 is chance."),
)
def truncation():
    r = truncation_experiment()
    cfg = r["config"]
    acc = np.asarray(r["accuracy"])                             # (lags, ks, seeds)
    ks = np.asarray(cfg["ks"])
    fig, axes = subplots(1, len(cfg["lags"]), figsize=(8.4, 3.0), sharey=True)
    for ax, lag, a in zip(axes, cfg["lags"], acc):
        for c in range(a.shape[1]):
            ax.plot(ks, a[:, c], "o", markersize=3.5, color="#0072B2", alpha=0.7)
        ax.plot(ks, a.mean(axis=1), color="#0072B2", linewidth=1.2)
        ax.axvline(lag + 1, color="#D55E00", ls="--", linewidth=1.0)
        ax.axhline(0.5, color="#999999", ls=":", linewidth=1.0)
        ax.set_title(f"lag $d = {lag}$")
        ax.set_xlabel("truncation length $k$")
        ax.set_xticks(ks)
    axes[0].set_ylabel("test accuracy")
    axes[0].set_ylim(0.4, 1.05)
    fig.tight_layout()
    return fig


@figure(
    "bptt-truncation-cut",
    alt=("Two triangular heatmaps of the size of each contribution to the gradient of the "
         f"recurrent weights, loss step against weight-use step, over {CONTRIB_T} steps. Left: "
         f"full BPTT keeps every entry of the triangle. Right: truncated BPTT with chunks of "
         f"{CUT_K} steps keeps only {-(-CONTRIB_T // CUT_K)} small triangles along the "
         "diagonal, one per chunk; every other entry, including all long-lag contributions, "
         "is blank."),
    caption=("What truncation cuts. The contributions $C_{s,t}$ of the previous figure "
             f"(spectral radius {CONTRIB_RADIUS:g}): full BPTT sums all of them, truncated BPTT "
             f"with chunks of $k = {CUT_K}$ steps sums only the pairs inside one chunk. Contributions with a lag of "
             "$k$ or more are always cut, and so are short-lag pairs that straddle a boundary."),
)
def truncation_cut(k: int = CUT_K):
    logn = contribution_norms(CONTRIB_RADIUS)
    T = logn.shape[0]
    kept = np.where(truncation_mask(T, k), logn, np.nan)
    lo, hi = np.nanmin(logn), np.nanmax(logn)
    fig, axes = subplots(1, 2, figsize=(8.0, 3.6), sharey=True)
    for ax, data, title in zip(axes, (logn, kept), ("full BPTT", f"truncated BPTT, $k = {k}$")):
        im = ax.imshow(data, cmap="viridis", vmin=lo, vmax=hi, extent=(0.5, T + 0.5, T + 0.5, 0.5))
        ax.grid(False)
        ax.set_title(title)
        ax.set_xlabel("step $t$ where $W_{hh}$ is used")
    axes[0].set_ylabel("loss step $s$")
    fig.colorbar(im, ax=list(axes), shrink=0.85, label="$\\log_{10}\\Vert C_{s,t}\\Vert_F$")
    return fig
