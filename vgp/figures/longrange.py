"""Figures for the lesson "Long-range dependencies, measured" (data: cached experiments)."""

from __future__ import annotations

import numpy as np

from vgp.figures import figure, subplots
from vgp.latch import fixed_point, gradient_along, gradient_factor, trajectory

CELLS = ("rnn", "lstm", "gru")
NAMES = {"rnn": "vanilla RNN", "lstm": "LSTM", "gru": "GRU"}
BASE = dict(color="black", linestyle="--", linewidth=1.2)


def _sweep(name: str):
    """{cell: (delays, rows, runs)} of a sweep experiment, sorted by delay."""
    from vgp.experiments import result

    res = result(name)
    out = {}
    for cell in CELLS:
        pairs = sorted((row["delay"], row, run) for row, run in zip(res["rows"], res["runs"])
                       if row["cell"] == cell)
        out[cell] = ([p[0] for p in pairs], [p[1] for p in pairs], [p[2] for p in pairs])
    return out


def _smooth(y, k: int = 25) -> np.ndarray:
    y = np.asarray(y, dtype=float)
    k = max(1, min(k, len(y)))
    return np.convolve(y, np.ones(k) / k, mode="valid")


@figure(
    "longrange-latch",
    alt=("Left: fixed points of h = tanh(w h) against w: zero for w up to 1, then two branches "
         "that approach plus and minus one. Right: the one-step derivative at the stored fixed "
         "point, equal to w below 1 and dropping quickly below 1 once w exceeds 1."),
    caption=("The latch $h_t=\\tanh(w h_{t-1})$. Left: its fixed points (solid: stable, "
             "dashed: unstable). Right: the derivative $w(1-h^{*2})$ at the fixed point that "
             "stores the bit. It is below 1 wherever the memory is stable."),
)
def latch_fixed_points():
    ws = np.linspace(0.0, 4.0, 401)
    hs = np.array([fixed_point(w) for w in ws])
    fig, (a, b) = subplots(1, 2, figsize=(7.2, 3.2))
    up = ws > 1
    a.plot(ws[up], hs[up], color="C0", label="$\\pm h^*$ (stable)")
    a.plot(ws[up], -hs[up], color="C0")
    a.plot(ws[~up], 0 * ws[~up], color="C1", label="$0$ (stable for $w<1$)")
    a.plot(ws[up], 0 * ws[up], color="C1", linestyle="--", label="$0$ (unstable for $w>1$)")
    a.set_xlabel("$w$")
    a.set_ylabel("fixed point $h^*$")
    a.legend(fontsize=8)
    b.plot(ws, [gradient_factor(w) for w in ws], color="C0")
    b.axhline(1.0, **BASE, label="1")
    b.set_xlabel("$w$")
    b.set_ylabel("$w(1-h^{*2})$")
    b.legend(fontsize=8)
    fig.tight_layout()
    return fig


@figure(
    "longrange-latch-noise",
    alt=("Left: noisy latch trajectories over 60 steps. With w = 0.8 the stored value decays to "
         "noise around zero; with w = 2 it stays near its stored fixed point. Right: the derivative of h_t with "
         "respect to h_0 along the same trajectories on a log scale; both fall steadily, the "
         "w = 2 one faster."),
    caption=("Storing versus learning. Left: $h_t$ with input noise $u_t\\sim N(0, 0.2^2)$, "
             "starting from $h_0=0.8$. Right: $\\partial h_t/\\partial h_0$ along the same "
             "trajectories. The latch that keeps its bit ($w=2$) is the one whose gradient "
             "vanishes fastest."),
)
def latch_noise():
    fig, (a, b) = subplots(1, 2, figsize=(7.2, 3.2))
    for i, w in enumerate((0.8, 2.0)):
        h = trajectory(w, 0.8, 60, noise=0.2, seed=1)
        a.plot(h, color=f"C{i}", label=f"$w={w}$")
        b.semilogy(np.abs(gradient_along(h, w)), color=f"C{i}", label=f"$w={w}$")
    a.set_xlabel("step $t$")
    a.set_ylabel("$h_t$")
    b.set_xlabel("step $t$")
    b.set_ylabel(r"$|\partial h_t/\partial h_0|$")
    a.legend(fontsize=8)
    fig.tight_layout()
    return fig


@figure(
    "longrange-copy-loss",
    alt=("Evaluation cross-entropy on the copying task against the delay for the vanilla RNN, "
         "LSTM and GRU, with the memoryless baseline as a dashed line. At the shortest delay "
         "every model is below the baseline, the RNN only about halfway; the RNN sits on the "
         "baseline from delay 20; the LSTM is below it at every delay but much closer to it at "
         "40 than at 20; the GRU stays far below it."),
    caption=("Copying task, 3 symbols from an alphabet of 4: cross-entropy per position on a "
             "fresh batch after training, against the delay $d$. Dashed: the memoryless "
             "baseline $S\\ln K/(2S+d+1)$. A point on the dashed line learned nothing that "
             "needs memory."),
)
def copy_loss():
    sweep = _sweep("copy-delays")
    fig, ax = subplots()
    for i, cell in enumerate(CELLS):
        d, rows, _ = sweep[cell]
        ax.semilogy(d, [r["eval_loss"] for r in rows], "o-", color=f"C{i}", label=NAMES[cell])
    d, rows, _ = sweep["rnn"]
    grid = np.arange(min(d), max(d) + 1)                     # the baseline at every integer delay
    from vgp.tasks import copying_baseline

    run = sweep["rnn"][2][0]["config"]
    ax.semilogy(grid, [copying_baseline(int(g), n_symbols=run["n_symbols"],
                                        alphabet=run["alphabet"]) for g in grid],
                **BASE, label="memoryless baseline")
    ax.set_xlabel("delay $d$ (blanks between message and delimiter)")
    ax.set_ylabel("evaluation cross-entropy (nats/position)")
    ax.legend(fontsize=8)
    fig.tight_layout()
    return fig


@figure(
    "longrange-copy-accuracy",
    alt=("Recall accuracy on the copying task against the delay for the three models, with "
         "chance level 1/K as a dashed line. The GRU recalls nearly every symbol at the two "
         "shorter delays and most of them at delay 40; the LSTM recalls most symbols at delays "
         "10 and 20 and falls well below that, though above chance, at delay 40; the RNN "
         "recalls about half at the shortest delay and is at chance from delay 20."),
    caption=("Copying task: fraction of the recalled symbols that are right, on a fresh "
             "batch, against the delay. Dashed: chance, $1/K$."),
)
def copy_accuracy():
    sweep = _sweep("copy-delays")
    fig, ax = subplots()
    for i, cell in enumerate(CELLS):
        d, rows, _ = sweep[cell]
        ax.plot(d, [r["eval_metric"] for r in rows], "o-", color=f"C{i}", label=NAMES[cell])
    K = sweep["rnn"][2][0]["config"]["alphabet"]
    ax.axhline(1 / K, **BASE, label=f"chance $1/K = 1/{K}$")
    ax.set_ylim(0, 1.05)
    ax.set_xlabel("delay $d$")
    ax.set_ylabel("recall accuracy")
    ax.legend(fontsize=8)
    fig.tight_layout()
    return fig


@figure(
    "longrange-adding-mse",
    alt=("Evaluation mean squared error on the adding problem against the sequence length for "
         "the three models, with the predict-the-mean baseline 1/6 as a dashed line."),
    caption=("Adding problem: mean squared error on a fresh batch after training, against the "
             "sequence length $T$. Dashed: always predicting the mean, MSE $=1/6$."),
)
def adding_mse():
    from vgp.tasks import adding_baseline

    sweep = _sweep("adding-lengths")
    fig, ax = subplots()
    for i, cell in enumerate(CELLS):
        T, rows, _ = sweep[cell]
        ax.semilogy(T, [r["eval_loss"] for r in rows], "o-", color=f"C{i}", label=NAMES[cell])
    ax.axhline(adding_baseline(), **BASE, label="predict the mean, 1/6")
    ax.set_xlabel("sequence length $T$")
    ax.set_ylabel("evaluation MSE")
    ax.legend(fontsize=8)
    fig.tight_layout()
    return fig


@figure(
    "longrange-training-curves",
    alt=("Two panels of training loss against step, smoothed, for the three models, each with "
         "its baseline as a dashed line. Left: copying with delay 20; the RNN stays on the "
         "baseline while the LSTM and GRU go below it. Right: adding with length 40; the RNN "
         "stays at the baseline while the LSTM and GRU drop far below it."),
    caption=("Training loss (moving average over 25 steps) at the longest setting where the "
             "LSTM succeeds. Dashed: the baseline of each task."),
)
def training_curves():
    fig, axes = subplots(1, 2, figsize=(7.2, 3.2))
    for ax, name, knob, title in ((axes[0], "copy-delays", 20, "copying, $d=20$"),
                                  (axes[1], "adding-lengths", 40, "adding, $T=40$")):
        sweep = _sweep(name)
        for i, cell in enumerate(CELLS):
            d, rows, runs = sweep[cell]
            run = runs[d.index(knob)]
            ax.semilogy(_smooth(run["loss"]), color=f"C{i}", label=NAMES[cell])
        ax.axhline(rows[0]["baseline"] if name == "adding-lengths"
                   else sweep["rnn"][1][d.index(knob)]["baseline"], **BASE, label="baseline")
        ax.set_title(title)
        ax.set_xlabel("training step")
    axes[0].set_ylabel("training loss")
    axes[1].legend(fontsize=8)
    fig.tight_layout()
    return fig


@figure(
    "longrange-gradient-profiles",
    alt=("Gradient norm reaching each hidden state against the distance from the loss, on a "
         "log scale, for the three models after training on the adding problem with length "
         "40. The RNN's falls steeply with distance; the LSTM's and GRU's stay nearly flat."),
    caption=("After training on the adding problem ($T=40$): $\\lVert\\partial L/\\partial "
             "h_t\\rVert$ per sequence, measured with hooks, against the distance $T-t$ from "
             "the loss."),
)
def gradient_profiles():
    sweep = _sweep("adding-lengths")
    fig, ax = subplots()
    for i, cell in enumerate(CELLS):
        d, _, runs = sweep[cell]
        run = runs[-1]
        T = run["config"]["delay"]
        ax.semilogy(T - np.arange(1, T + 1), run["profile_final"]["h"], color=f"C{i}",
                    label=NAMES[cell])
    ax.set_xlabel("distance from the loss, $T-t$")
    ax.set_ylabel(r"$\|\partial L/\partial h_t\|$")
    ax.legend(fontsize=8)
    fig.tight_layout()
    return fig


@figure(
    "longrange-timing",
    alt=("Horizontal bars of the wall and CPU time of each named experiment, and a last bar "
         "for the whole set divided by the two cores, compared with a vertical dashed line "
         "at the 4-minute budget."),
    caption=("Compute time of each experiment, summed over its runs (a run shared by two "
             "experiments counts once), as recorded when the cache was filled for this build; "
             "wall times include any slowdown from other processes on the machine at the "
             "time. Runs execute two at a time, one per core, so the last bar, the whole set "
             "divided by the two cores, estimates the elapsed time of a cold build; the "
             "dashed line, the 4-minute budget, applies to that bar."),
)
def timing():
    from vgp.experiments import JOBS, timings

    t = timings()
    cores = JOBS                                # worker processes, one per core
    names = list(t["per_experiment"]) + [f"whole set / {cores} cores"]
    wall = [t["per_experiment"][n] for n in names[:-1]] + [t["total"] / cores]
    cpu = [t["per_experiment_cpu"][n] for n in names[:-1]] + [t["cpu_total"] / cores]
    fig, ax = subplots(figsize=(6.4, 3.4))
    ax.barh(names, wall, color="C0", label="wall time of its runs")
    ax.barh(names, cpu, color="C1", height=0.35, label="CPU time of its runs")
    for y, s in enumerate(wall):
        ax.text(s, y, f" {s:.1f} s", va="center", fontsize=8)
    ax.axvline(240, **BASE, label="budget for the whole set, 240 s")
    ax.invert_yaxis()
    ax.set_title(f"{t['runs']} runs, {t['steps']} training steps: {t['total']:.0f} s summed "
                 f"wall time, {t['cpu_total']:.0f} s CPU", fontsize=9)
    ax.set_xlabel("seconds")
    ax.legend(fontsize=8, loc="center right")
    fig.tight_layout()
    return fig
