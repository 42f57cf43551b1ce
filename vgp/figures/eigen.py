"""Figures for the lesson "Eigenvalues and singular values": slopes and the per-step factor.

Registers `eigen-activations` (tanh, sigmoid and ReLU with their slopes),
`eigen-tanh-slope-histogram` (the tanh' values a random tanh RNN actually multiplies by) and
`eigen-lyapunov` (the per-step factor of the backward product, measured by the largest
Lyapunov exponent, against the naive estimate and the bound), and computes the data of the
last one (`lyapunov_sweep`, cached on disk). The lesson's other figures are in
`vgp.figures.eigen_powers` (powers of a matrix) and `vgp.figures.eigen_worked` (the worked
example).
"""

from __future__ import annotations

import numpy as np

from vgp._validate import real
from vgp.cache import cached
from vgp.activations import MAX_SLOPE, dphi, phi
from vgp.figures import figure, subplots
from vgp.spectral import spectral_norm

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
    fig, axes = subplots(1, 3, figsize=(8.2, 3.0), sharey=True)
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

    fig, ax = subplots(figsize=(6.4, 3.6))
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
    fig, axes = subplots(1, 2, figsize=(7.6, 3.6), sharey=True)
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
