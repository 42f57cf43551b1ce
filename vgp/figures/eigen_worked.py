"""Figures for the lesson "Eigenvalues and singular values": the worked example.

Registers `eigen-worked-heatmaps` (the cumulative Jacobian products dh_t/dh_0 of the worked
example, t = 1..5) and `eigen-worked-fifty-steps` (what those five steps predict for fifty),
both drawn from `vgp.worked_example`.
"""

from __future__ import annotations

import numpy as np

from vgp.figures import figure, subplots
from vgp.worked_example import log10_product_norm, predict_log10_norm, rates, worked_example

# Numbers quoted in alt texts and captions are computed here, never typed.
_EX = worked_example()
_EX_PRED = predict_log10_norm(_EX, 50)


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
    fig, axes = subplots(2, 5, figsize=(8.2, 3.8))
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
    fig, ax = subplots(figsize=(6.4, 3.8))
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
