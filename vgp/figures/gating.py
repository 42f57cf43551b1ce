"""Figures for the lesson "LSTM and GRU preview" (gating and other short gradient paths)."""

from __future__ import annotations

import numpy as np

from vgp.figures import figure, subplots

BASE = dict(color="black", linestyle="--", linewidth=1.2)


def init_profiles() -> dict:
    """{label: (distance, geometric-mean norm over seeds)} at initialisation, adding T=100.

    LSTMs report the cell-state gradient ||dL/dc_t||; RNN and GRU the hidden-state one.
    """
    from vgp.experiments import result

    groups: dict[str, list[np.ndarray]] = {}
    T = None
    for run in result("gating-forget-bias")["runs"]:
        cfg = run["config"]
        T = cfg["delay"]
        if cfg["cell"] == "lstm":
            label = f"LSTM cell state, forget bias {cfg['forget_bias']:g}"
            prof = run["profile_init"]["c"]
        else:
            label = {"rnn": "vanilla RNN hidden state", "gru": "GRU hidden state"}[cfg["cell"]]
            prof = run["profile_init"]["h"]
        groups.setdefault(label, []).append(np.log10(prof))
    dist = T - np.arange(1, T + 1)
    return {k: (dist, 10 ** np.mean(v, axis=0)) for k, v in groups.items()}


def trained_lstms() -> dict:
    """{forget bias: cached run} of the LSTMs trained on adding, T=40."""
    from vgp.experiments import result

    return {r["config"]["forget_bias"]: r for r in result("gating-forget-bias-trained")["runs"]}


@figure(
    "gating-cell-gradient-init",
    alt=("Log-scale gradient norm against distance from the loss at initialisation, 100 steps. "
         "The vanilla RNN's hidden-state gradient falls fastest; the LSTM cell-state gradient "
         "with forget bias 0 and the GRU's hidden-state gradient fall slightly slower, the LSTM "
         "with bias 1 much slower, and with bias 3 the curve stays nearly flat over the 100 "
         "steps."),
    caption=("At initialisation, adding problem, $T=100$, geometric mean over 3 seeds: "
             "$\\lVert\\partial L/\\partial c_t\\rVert$ through the LSTM cell state for three "
             "forget-gate biases, and $\\lVert\\partial L/\\partial h_t\\rVert$ for the vanilla "
             "RNN and the GRU."),
)
def cell_gradient_init():
    prof = init_profiles()
    fig, ax = subplots()
    for i, (label, (dist, norm)) in enumerate(sorted(prof.items())):
        ax.semilogy(dist, norm, color=f"C{i}", label=label)
    ax.set_xlabel("distance from the loss, $T-t$")
    ax.set_ylabel("gradient norm")
    ax.legend(fontsize=7)
    fig.tight_layout()
    return fig


@figure(
    "gating-forget-gates",
    alt=("Histograms of forget-gate values f_t over all units and steps, for LSTMs with forget "
         "bias 0 and 1, before and after training on the adding problem. Before training the "
         "values cluster tightly near sigma(0) and sigma(1); after training they spread out "
         "over much of the interval, with a few entries close to 1."),
    caption=("The diagonal of $\\partial c_t/\\partial c_{t-1}=\\operatorname{diag}(f_t)$: "
             "forget-gate values over every unit, step and sequence of a batch, at "
             "initialisation (left) and after training on adding, $T=40$ (right). A vector "
             "of different values, not one scalar."),
)
def forget_gates():
    from vgp.gradprofile import GATE_BINS

    runs = trained_lstms()
    edges = np.linspace(0, 1, GATE_BINS + 1)
    fig, axes = subplots(1, 2, figsize=(7.2, 3.0), sharey=True)
    for ax, when in zip(axes, ("forget_init", "forget_final")):
        for i, (fb, run) in enumerate(sorted(runs.items())):
            ax.stairs(run[when]["hist"], edges, color=f"C{i}", label=f"forget bias {fb:g}")
        ax.set_xlabel("$f_t$ entry")
        ax.set_title("at initialisation" if when == "forget_init" else "after training")
    axes[0].set_ylabel("fraction of entries")
    axes[0].legend(fontsize=8)
    fig.tight_layout()
    return fig


@figure(
    "gating-cell-gradient-trained",
    alt=("Log-scale gradient norm against distance from the loss after training on the adding "
         "problem with length 40: the LSTM cell-state gradients for forget bias 0 and 1 and the "
         "vanilla RNN hidden-state gradient."),
    caption=("After training on adding, $T=40$: gradient through the LSTM cell state for "
             "forget bias 0 and 1, and through the vanilla RNN's hidden state (same task, "
             "same budget). Legend: final evaluation MSE; the baseline is $1/6$."),
)
def cell_gradient_trained():
    from vgp.experiments import result

    fig, ax = subplots()
    for i, (fb, run) in enumerate(sorted(trained_lstms().items())):
        T = run["config"]["delay"]
        ax.semilogy(T - np.arange(1, T + 1), run["profile_final"]["c"], color=f"C{i}",
                    label=f"LSTM $c_t$, forget bias {fb:g} (MSE {run['eval_loss']:.3f})")
    rnn = [r for r in result("adding-lengths")["runs"]
           if r["config"]["cell"] == "rnn" and r["config"]["delay"] == T][0]
    ax.semilogy(T - np.arange(1, T + 1), rnn["profile_final"]["h"], color="C2",
                label=f"vanilla RNN $h_t$ (MSE {rnn['eval_loss']:.3f})")
    ax.set_xlabel("distance from the loss, $T-t$")
    ax.set_ylabel("gradient norm")
    ax.legend(fontsize=8)
    fig.tight_layout()
    return fig


@figure(
    "gating-parameter-counts",
    alt=("Grouped bars of the number of parameters of one-layer RNN, GRU and LSTM cores for "
         "hidden sizes 32, 64 and 128 with 10 inputs; GRU is three times and LSTM four times "
         "the RNN at every size."),
    caption=("Parameters of one-layer torch cores (`nn.RNN`, `nn.GRU`, `nn.LSTM`) with "
             "$D=10$ inputs, counted from the modules. Ratios 1 : 3 : 4."),
)
def parameter_counts():
    from vgp.models import CELLS, count_parameters

    sizes = (32, 64, 128)
    fig, ax = subplots()
    width = 0.25
    for i, cell in enumerate(CELLS):
        counts = [count_parameters(cell, 10, H) for H in sizes]
        ax.bar(np.arange(3) + (i - 1) * width, counts, width, color=f"C{i}", label=cell.upper())
    ax.set_xticks(np.arange(3), [f"H = {H}" for H in sizes])
    ax.set_ylabel("parameters")
    ax.legend(fontsize=8)
    fig.tight_layout()
    return fig


@figure(
    "gating-depth-paths",
    alt=("Two log-scale panels of gradient norm against layer index in a 50-layer network. "
         "Left: plain tanh stack, residual stack and highway stack. Right: highway stacks with "
         "transform-gate bias 0, -1, -2 and -3; the more negative the bias, the flatter the "
         "curve."),
    caption=("Across depth instead of time, 50 layers of width 32 at initialisation: "
             "$\\lVert\\partial L/\\partial x_l\\rVert$ per layer. Left: plain, residual "
             "and highway (gate bias $-2$). Right: the highway carry path "
             "$\\operatorname{diag}(1-t_l)$ for four gate biases."),
)
def depth_paths():
    from vgp.shortpaths import STACKS, depth_profile

    fig, (a, b) = subplots(1, 2, figsize=(7.2, 3.2), sharey=True)
    for i, kind in enumerate(STACKS):
        a.semilogy(depth_profile(kind), color=f"C{i}", label=kind)
    for i, bias in enumerate((0.0, -1.0, -2.0, -3.0)):
        b.semilogy(depth_profile("highway", gate_bias=bias), color=f"C{i}",
                   label=f"gate bias {bias:g}")
    for ax in (a, b):
        ax.set_xlabel("layer $l$ (loss after layer 50)")
        ax.legend(fontsize=8)
    a.set_ylabel(r"$\|\partial L/\partial x_l\|$")
    fig.tight_layout()
    return fig


@figure(
    "gating-attention",
    alt=("Log-scale gradient norm reaching each hidden state of a tanh RNN against distance from "
         "the output, 60 steps, at initialisation. Read out from the last state only, the "
         "gradient falls by many orders of magnitude; read out through attention over all "
         "states, it is nearly flat."),
    caption=("A 32-unit tanh RNN at initialisation, 60 steps: "
             "$\\lVert\\partial y/\\partial h_t\\rVert$ when the output reads $h_T$ only, and "
             "when it reads an attention-weighted sum of all $h_t$."),
)
def attention():
    from vgp.shortpaths import attention_profile

    fig, ax = subplots()
    for i, attend in enumerate((False, True)):
        prof = attention_profile(attend=attend)
        T = len(prof)
        ax.semilogy(T - np.arange(1, T + 1), prof, color=f"C{i}",
                    label="attention over $h_1..h_T$" if attend else "last state $h_T$ only")
    ax.set_xlabel("distance from the output, $T-t$")
    ax.set_ylabel(r"$\|\partial y/\partial h_t\|$")
    ax.legend(fontsize=8)
    fig.tight_layout()
    return fig
