r"""Figures for the lesson "Backpropagation through time", and the small computations behind them.

`weight_contributions` splits $\partial L/\partial W_{hh}$ into one term per pair (loss step
$s$, weight-use step $t$), the decomposition the page derives:

$$
\frac{\partial L}{\partial W_{hh}} = \sum_{s=1}^{T} \sum_{t=1}^{s} C_{s,t},\qquad
C_{s,t} = \mathrm{diag}(\phi'(z_t))\, \Big(\frac{\partial h_s}{\partial h_t}\Big)^{\!\top}
          \frac{\partial \ell_s}{\partial h_s}\; h_{t-1}^\top .
$$
"""

from __future__ import annotations

import matplotlib.pyplot as plt
import matplotlib.ticker as mticker
import numpy as np

from vgp.activations import dphi
from vgp.bptt import backward
from vgp.charmodel import CONFIG as CHAR_CONFIG
from vgp.charmodel import conditional_entropy
from vgp.charmodel import train as train_charmodel
from vgp.figures import figure
from vgp.gradcheck import check
from vgp.jacobians import jacobian_product, step_jacobians
from vgp.losses import step_loss
from vgp.rnn import Forward, RNNParams, forward, init_params
from vgp.truncation import EXPERIMENT as TRUNCATION_EXPERIMENT
from vgp.truncation import experiment as truncation_experiment

#: The contributions figure: sequence length, hidden units, the spectral radii compared, the
#: radius of the heatmaps, and the chunk length of the truncation figure.
CONTRIB_T, CONTRIB_H = 40, 16
CONTRIB_RADII = (0.5, 0.9, 1.5)
CONTRIB_RADIUS = 0.9
CUT_K = 8


def _and_list(values) -> str:
    """'a, b and c' from an iterable of numbers."""
    items = [f"{v:g}" for v in values]
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]


def weight_contributions(params: RNNParams, fwd: Forward, dL_dy) -> np.ndarray:
    """C[s-1, t-1] = contribution to dL/dW_hh of loss step s through the use of W_hh at step t.

    Shape (T, T, H, H), zero for t > s; summed over the batch. ``C.sum(axis=(0, 1))`` is the
    BPTT gradient dW_hh. One backward pass per loss step: O(T^2) work, for small T only.
    """
    dL_dy = np.asarray(dL_dy, dtype=np.float64)
    if dL_dy.shape != fwd.y.shape:
        raise ValueError(f"dL_dy must have shape {fwd.y.shape} like fwd.y, got {dL_dy.shape}")
    B, T, H = fwd.z.shape
    C = np.zeros((T, T, H, H))
    for s in range(1, T + 1):
        only_s = np.zeros_like(dL_dy)
        only_s[:, s - 1] = dL_dy[:, s - 1]                      # the loss of step s alone
        dL_dh = backward(params, fwd, only_s).dL_dh             # (B, T+1, H)
        for t in range(1, s + 1):
            delta = dphi(fwd.activation, fwd.z[:, t - 1]) * dL_dh[:, t]   # (B, H)
            C[s - 1, t - 1] = delta.T @ fwd.h[:, t - 1]         # (H, H): delta h_{t-1}^T
    return C


def contribution_setup(radius: float, *, T: int = CONTRIB_T, H: int = CONTRIB_H, seed: int = 0):
    """A random tanh RNN (spectral radius `radius`), random inputs, MSE to random targets."""
    p = init_params(4, H, 4, seed=seed, radius=radius)
    rng = np.random.default_rng(seed + 100)
    x, target = rng.standard_normal((1, T, 4)), rng.standard_normal((1, T, 4))
    fwd = forward(p, x)
    _, dL_dy = step_loss("mse", fwd.y, target)
    return p, fwd, dL_dy


def contribution_norms(radius: float, **kw) -> np.ndarray:
    """log10 of the Frobenius norm of every C[s, t] (NaN above the diagonal and where C = 0)."""
    p, fwd, dL_dy = contribution_setup(radius, **kw)
    C = weight_contributions(p, fwd, dL_dy)
    norms = np.linalg.norm(C, axis=(2, 3))
    with np.errstate(divide="ignore"):
        out = np.log10(norms)
    out[~np.isfinite(out)] = np.nan                             # t > s, and t = 1 (h_0 = 0)
    return out


def truncation_mask(T: int, k: int) -> np.ndarray:
    """(T, T) bool: True where loss step s and weight-use step t <= s share a TBPTT chunk of k.

    >>> truncation_mask(4, 2).astype(int).tolist()
    [[1, 0, 0, 0], [1, 1, 0, 0], [0, 0, 1, 0], [0, 0, 1, 1]]
    """
    s, t = np.meshgrid(np.arange(T), np.arange(T), indexing="ij")   # 0-based s-1, t-1
    return (t <= s) & (s // k == t // k)


def median_by_lag(log_norms: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Median over s of log10 ||C[s, s - n]|| for every lag n = s - t (NaNs ignored)."""
    T = log_norms.shape[0]
    lags = np.arange(T)
    med = np.array([np.nanmedian(np.diagonal(log_norms, offset=-n)) if n < T - 1 else np.nan
                    for n in lags])
    return lags, med


def order_demo(seed: int = 3, H: int = 4, T: int = 3):
    """Step Jacobians of a random tanh RNN, dh_T/dh_0 by finite differences, both orders."""
    p = init_params(2, H, 1, seed=seed, radius=1.5)
    rng = np.random.default_rng(seed)
    x, h0 = rng.standard_normal((1, T, 2)), 0.5 * rng.standard_normal(H)
    Js = step_jacobians(p, forward(p, x, h0=h0))               # (T, H, H), [t-1] = J_t
    eps, fd = 1e-6, np.empty((H, H))
    for j in range(H):                                          # column j: d h_T / d h_0[j]
        e = np.zeros(H)
        e[j] = eps
        fd[:, j] = (forward(p, x, h0=h0 + e).h[0, -1] - forward(p, x, h0=h0 - e).h[0, -1]) / (2 * eps)
    right = jacobian_product(Js, T, 0)                          # J_T ... J_1
    reversed_ = np.linalg.multi_dot(list(Js))                   # J_1 J_2 ... J_T (wrong)
    return Js, fd, right, reversed_


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
    fig, ax = plt.subplots(figsize=(7.2, 3.4))
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
    fig, axes = plt.subplots(1, 4, figsize=(8.4, 2.8))
    for ax, m, title, err in zip(axes, mats, titles, errs):
        im = ax.imshow(m, cmap="RdBu_r", vmin=-vmax, vmax=vmax)
        ax.grid(False)
        ax.set_xticks([])
        ax.set_yticks([])
        ax.set_title(title if err is None else f"{title}\nmax error {err:.1e}", fontsize=9)
    fig.colorbar(im, ax=list(axes), shrink=0.8)
    return fig


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
    fig, (a, b) = plt.subplots(1, 2, figsize=(8.4, 3.6), gridspec_kw={"width_ratios": [1, 1.2]})
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


GRADCHECK_SEED = 7


def gradcheck_setup(loss: str, seed: int = GRADCHECK_SEED):
    """A small random problem for the gradient check: D=3, H=5, O=4, B=2, T=8."""
    rng = np.random.default_rng(seed)
    p = init_params(3, 5, 4, seed=seed, radius=1.1)
    p.b_h[:] = 0.1 * rng.standard_normal(5)                    # nonzero biases: every
    p.b_y[:] = 0.1 * rng.standard_normal(4)                    # parameter does something
    x = rng.standard_normal((2, 8, 3))
    target = (rng.integers(0, 4, size=(2, 8)) if loss == "cross_entropy"
              else rng.standard_normal((2, 8, 4)))
    return p, x, target


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
    fig, axes = plt.subplots(1, 2, figsize=(8.0, 3.2), sharey=True)
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
    r = train_charmodel()
    loss, norm = np.asarray(r["loss_per_char"]), np.asarray(r["grad_norm"])
    steps = np.arange(1, len(loss) + 1)
    c = r["config"]["max_norm"]
    fig, (a, b) = plt.subplots(1, 2, figsize=(8.4, 3.3))
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


@figure(
    "bptt-truncation",
    alt=("One panel per lag "
         f"({_and_list(TRUNCATION_EXPERIMENT['lags'])} steps) of test accuracy against the "
         "truncation length k. In every panel the accuracy stays at or modestly above the "
         "chance level of one half for every k up to and including the lag, then jumps to "
         "almost perfect from k = lag + 1 onward. A vertical dashed line marks k = lag + 1."),
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
    fig, axes = plt.subplots(1, len(cfg["lags"]), figsize=(8.4, 3.0), sharey=True)
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
    fig, axes = plt.subplots(1, 2, figsize=(8.0, 3.6), sharey=True)
    for ax, data, title in zip(axes, (logn, kept), ("full BPTT", f"truncated BPTT, $k = {k}$")):
        im = ax.imshow(data, cmap="viridis", vmin=lo, vmax=hi, extent=(0.5, T + 0.5, T + 0.5, 0.5))
        ax.grid(False)
        ax.set_title(title)
        ax.set_xlabel("step $t$ where $W_{hh}$ is used")
    axes[0].set_ylabel("loss step $s$")
    fig.colorbar(im, ax=list(axes), shrink=0.85, label="$\\log_{10}\\Vert C_{s,t}\\Vert_F$")
    return fig
