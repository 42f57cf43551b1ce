"""Figures for the lesson "Backpropagation through time": the backward pass itself.

Registers `bptt-backward-graph` (the unrolled graph, forward and backward), `bptt-order-matters`
(the Jacobian product in the right and the wrong order), `bptt-gradcheck` (the NumPy BPTT
gradients against finite differences and torch autograd) and `bptt-char-training` (the
character model trained with that BPTT). The Jacobian-order and gradient-check problems
are built in `vgp.figures.bptt`.
"""

from __future__ import annotations

import numpy as np

from vgp.charmodel import CONFIG as CHAR_CONFIG
from vgp.charmodel import conditional_entropy
from vgp.charmodel import train as train_charmodel
from vgp.figures import figure, subplots
from vgp.figures.bptt import gradcheck_setup, order_demo
from vgp.gradcheck import check


@figure(
    "bptt-backward-graph",
    alt=("Diagram of an RNN unrolled over four steps. Inputs x_1 to x_4 sit on the bottom row, "
         "hidden states h_0 to h_4 on the middle row, losses l_1 to l_4 on the top row. Black "
         "arrows run forward: from each input up to its hidden state, from each hidden state "
         "right to the next and up to its loss. Orange arrows run backward: from each loss "
         "down to its hidden state, labelled W_hy transpose times dl/dy, and from each hidden "
         "state left to the previous one, labelled J transpose."),
    caption=("The unrolled graph, forward (black) and backward (orange). The gradient reaching "
             "$h_t$ is the sum of what comes down from its own loss $\\ell_t$ and what comes "
             "back from $h_{t+1}$ through $J_{t+1}^\\top$; every orange horizontal arrow is "
             "one more factor in the product that vanishes or explodes."),
)
def backward_graph():
    fig, ax = subplots(figsize=(7.2, 3.4))
    ax.set_axis_off()
    ax.grid(False)
    T, dx = 4, 1.9
    rows = {"x": 0.0, "h": 1.6, "l": 3.2}
    node = dict(ha="center", va="center", fontsize=12,
                bbox=dict(boxstyle="round,pad=0.35", fc="white", ec="#333333", lw=1.2))
    fwd = dict(arrowstyle="-|>", color="black", lw=1.3, shrinkA=14, shrinkB=14)
    bwd = dict(arrowstyle="-|>", color="#D55E00", lw=1.6, shrinkA=14, shrinkB=14, ls="--")
    ax.text(0, rows["h"], "$h_0$", **node)
    for t in range(1, T + 1):
        X = t * dx
        ax.text(X, rows["x"], f"$x_{t}$", **node)
        ax.text(X, rows["h"], f"$h_{t}$", **node)
        ax.text(X, rows["l"], f"$\\ell_{t}$", **node)
        ax.annotate("", (X, rows["h"]), (X, rows["x"]), arrowprops=fwd)          # x_t -> h_t
        ax.annotate("", (X - 0.12, rows["l"]), (X - 0.12, rows["h"]), arrowprops=fwd)  # h_t -> l_t
        ax.annotate("", (X + 0.12, rows["h"]), (X + 0.12, rows["l"]), arrowprops=bwd)  # l_t -> h_t
        ax.text(X + 0.2, (rows["h"] + rows["l"]) / 2, "$W_{hy}^\\top \\partial\\ell_t/\\partial y_t$",
                color="#D55E00", fontsize=8, va="center")
        ax.annotate("", (X, rows["h"] + 0.1), ((t - 1) * dx, rows["h"] + 0.1), arrowprops=fwd)
        ax.annotate("", ((t - 1) * dx, rows["h"] - 0.15), (X, rows["h"] - 0.15), arrowprops=bwd)
        ax.text((t - 0.5) * dx, rows["h"] - 0.45, f"$J_{t}^\\top$", color="#D55E00",
                fontsize=10, ha="center")
    ax.text(T * dx + 0.7, rows["h"] - 0.6, "gradient\nflows\nbackwards", color="#D55E00",
            fontsize=9, ha="left", va="center")
    ax.set_xlim(-0.6, T * dx + 1.6)
    ax.set_ylim(-0.5, 3.7)
    fig.tight_layout()
    return fig


@figure(
    "bptt-order-matters",
    alt=("Four 4 by 4 heatmaps. The first is the Jacobian of h_3 with respect to h_0 measured "
         "by finite differences. The second, the product J_3 J_2 J_1, looks identical to it. The "
         "third, the reversed product J_1 J_2 J_3, has visibly different entries. The fourth "
         "shows the difference between the reversed product and the finite-difference "
         "Jacobian, which is far from zero."),
    caption=("$\\partial h_3/\\partial h_0$ of a random 4-unit tanh RNN: measured by central "
             "finite differences, the product in the correct order $J_3 J_2 J_1$, the reversed "
             "product $J_1 J_2 J_3$, and the error of the reversed product. The titles give "
             "the largest entrywise error against the finite-difference Jacobian."),
)
def order_matters():
    _, fd, right, wrong = order_demo()
    mats = [fd, right, wrong, wrong - fd]
    titles = ["finite differences", "$J_3 J_2 J_1$ (correct)", "$J_1 J_2 J_3$ (reversed)",
              "reversed $-$ finite diff."]
    errs = [None, np.max(np.abs(right - fd)), np.max(np.abs(wrong - fd)), None]
    vmax = max(np.max(np.abs(m)) for m in mats)
    fig, axes = subplots(1, 4, figsize=(8.4, 2.8))
    for ax, m, title, err in zip(axes, mats, titles, errs):
        im = ax.imshow(m, cmap="RdBu_r", vmin=-vmax, vmax=vmax)
        ax.grid(False)
        ax.set_xticks([])
        ax.set_yticks([])
        ax.set_title(title if err is None else f"{title}\nmax error {err:.1e}", fontsize=9)
    fig.colorbar(im, ax=list(axes), shrink=0.8)
    return fig


@figure(
    "bptt-gradcheck",
    alt=("Grouped bar chart on a logarithmic axis of the maximum relative error of the NumPy "
         "BPTT gradient for each of the five parameters, against finite differences and "
         "against torch autograd, for a squared-error and a cross-entropy loss. The "
         "finite-difference errors are small, at the accuracy finite differences can reach, "
         "and the torch errors are many orders of magnitude smaller still, at the level of "
         "float64 rounding."),
    caption=("Normwise relative error of every BPTT gradient of `vgp.bptt` against central "
             "finite differences ($\\varepsilon = 10^{-6}$) and against torch autograd in "
             "float64, on a 5-unit RNN over 8 steps (`vgp.gradcheck.check`)."),
)
def gradcheck_bars():
    fig, axes = subplots(1, 2, figsize=(8.0, 3.2), sharey=True)
    for ax, loss in zip(axes, ("mse", "cross_entropy")):
        errs = check(*gradcheck_setup(loss), loss=loss)
        names = list(errs)
        pos = np.arange(len(names))
        ax.bar(pos - 0.2, [max(errs[n]["fd"], 1e-18) for n in names], 0.4,
               label="vs finite differences")
        ax.bar(pos + 0.2, [max(errs[n]["torch"], 1e-18) for n in names], 0.4,
               label="vs torch autograd")
        ax.set_yscale("log")
        ax.set_xticks(pos, [f"${n[0]}_{{{n[2:]}}}$" for n in names])
        ax.set_title(f"loss = {loss}")
    axes[0].set_ylabel("max relative error")
    handles, labels = axes[0].get_legend_handles_labels()
    fig.legend(handles, labels, fontsize=8, loc="lower center", ncol=2, frameon=False)
    fig.tight_layout(rect=(0, 0.08, 1, 1))                     # room for the legend below
    return fig


@figure(
    "bptt-char-training",
    alt=(f"Two panels over {CHAR_CONFIG['steps']} training steps of the character model. Left: "
         "loss per character starts at the uniform-guess line ln V, falls below the "
         "one-character-context entropy line early in training, and keeps decreasing "
         "slowly far below it. Right: the global gradient norm before clipping on a log "
         "axis, with the clipping threshold as a horizontal dashed line; it starts above "
         "the threshold, crosses it often early on and stays below it in the second half "
         "of training."),
    caption=("The character model of `vgp.charmodel` trained with the NumPy BPTT of this page "
             "and Adam. Left: training loss per character (nats) with two references computed "
             "from the text. Right: the global gradient norm before clipping at every step; "
             "steps above the dashed threshold were rescaled to it."),
)
def char_training():
    import matplotlib.ticker as mticker

    r = train_charmodel()
    loss, norm = np.asarray(r["loss_per_char"]), np.asarray(r["grad_norm"])
    steps = np.arange(1, len(loss) + 1)
    c = r["config"]["max_norm"]
    fig, (a, b) = subplots(1, 2, figsize=(8.4, 3.3))
    a.plot(steps, loss, linewidth=1.0, label="training loss")
    a.axhline(np.log(len(r["vocab"])), color="#999999", ls=":", label="uniform guess $\\ln V$")
    a.axhline(conditional_entropy(), color="#D55E00", ls="--",
              label="$H(c_{t+1}\\mid c_t)$ of the text")
    a.set_xlabel("training step")
    a.set_ylabel("loss per character (nats)")
    a.legend(fontsize=8, loc="upper right", bbox_to_anchor=(1.0, 0.9))   # below the ln V line
    b.semilogy(steps, norm, linewidth=0.8, label="global norm before clipping")
    b.semilogy(steps[norm > c], norm[norm > c], ".", markersize=3, color="#D55E00",
               label="clipped steps")
    b.axhline(c, color="black", ls="--", linewidth=1.0, label=f"max_norm = {c:g}")
    b.set_xlabel("training step")
    b.set_ylabel("$\\Vert g \\Vert_2$")
    b.yaxis.set_major_locator(mticker.LogLocator(base=10, subs=(1, 2, 3, 5)))
    b.yaxis.set_major_formatter(mticker.FormatStrFormatter("%g"))   # 20, not 2 x 10^1
    b.yaxis.set_minor_formatter(mticker.NullFormatter())
    b.legend(fontsize=8)
    fig.tight_layout()
    return fig
