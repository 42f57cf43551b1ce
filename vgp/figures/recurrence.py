"""Figures for the lesson "Recurrence and unrolling"."""

from __future__ import annotations

import numpy as np

from vgp.figures import figure, subplots
from vgp.rnn import forward, init_params


def trajectories(radius: float, *, seed: int = 0, steps: int = 40, hidden: int = 8):
    """Hidden states h_t (T+1, H) of one random tanh RNN driven by a single input pulse."""
    p = init_params(1, hidden, 1, seed=seed, radius=radius, scale=1.0)
    x = np.zeros((1, steps, 1))
    x[0, 0, 0] = 3.0  # one pulse at t = 1, silence afterwards
    return forward(p, x).h[0]


def settle_step(h: np.ndarray, tol: float = 0.01) -> int:
    """First step t after which every unit stays within `tol` of 0, for h (T+1, H)."""
    above = np.flatnonzero(np.max(np.abs(h), axis=1) >= tol)
    return int(above[-1]) + 1 if above.size else 0


# Numbers quoted in the alt text are computed here, never typed.
_SETTLE = settle_step(trajectories(0.8))
_FINAL = np.min(np.abs(trajectories(1.5)[-1]))


@figure(
    "recurrence-trajectories",
    alt=("Two panels of hidden-unit traces over 40 steps after a single input pulse at t=1. "
         f"With spectral radius 0.8 every unit decays towards zero and stays within 0.01 of it "
         f"from step {_SETTLE} on; with spectral radius 1.5 the units move for a while, then settle "
         f"into sustained nonzero values (every unit ends at least {_FINAL:.2f} away from 0)."),
    caption=("Hidden states $h_t$ of an 8-unit tanh RNN after one input pulse at $t=1$, for "
             "$W_{hh}$ rescaled to spectral radius 0.8 (left) and 1.5 (right). Same weights "
             "up to scale; the recurrence alone decides whether the pulse is forgotten."),
)
def hidden_trajectories():
    fig, axes = subplots(1, 2, figsize=(7.2, 3.2), sharey=True)
    for ax, radius in zip(axes, (0.8, 1.5)):
        h = trajectories(radius)
        ax.plot(np.arange(h.shape[0]), h, linewidth=1.2)
        ax.set_title(f"spectral radius of $W_{{hh}}$ = {radius}")
        ax.set_xlabel("time step $t$")
    axes[0].set_ylabel("$h_t$ (each line one unit)")
    fig.tight_layout()
    return fig


def _node(ax, xy, text, color):
    ax.annotate(text, xy, ha="center", va="center", fontsize=11,
                bbox=dict(boxstyle="round,pad=0.35", fc=color, ec="#333333", lw=1.0))


def _arrow(ax, start, end, label=None, offset=(0.0, 0.0)):
    ax.annotate("", xy=end, xytext=start,
                arrowprops=dict(arrowstyle="-|>", lw=1.2, color="#333333",
                                shrinkA=14, shrinkB=14))
    if label:
        mid = ((start[0] + end[0]) / 2 + offset[0], (start[1] + end[1]) / 2 + offset[1])
        ax.text(*mid, label, ha="center", va="center", fontsize=9, color="#0072B2")


@figure(
    "recurrence-unrolled",
    alt=("Diagram of an RNN unrolled over four steps: inputs x1 to x4 along the bottom, hidden "
         "states h0 to h4 in the middle connected left to right by arrows all labelled W_hh, "
         "and outputs y1 to y4 on top, each reached through W_hy. The chain of W_hh arrows is "
         "as long as the sequence."),
    caption=("The network unrolled over $T = 4$ steps. Every horizontal arrow applies the same "
             "$W_{hh}$ followed by $\\tanh$; every vertical arrow into $h_t$ the same $W_{xh}$. "
             "A gradient from $y_4$ back to $h_0$ crosses four copies of $W_{hh}$."),
)
def unrolled_graph():
    T = 4
    fig, ax = subplots(figsize=(7.2, 3.0))
    ax.set_xlim(-0.7, T + 0.6)
    ax.set_ylim(-0.6, 2.6)
    ax.axis("off")
    _node(ax, (0, 1), "$h_0$", "#e8eef8")
    for t in range(1, T + 1):
        _node(ax, (t, 0), f"$x_{t}$", "#fdf1e3")
        _node(ax, (t, 1), f"$h_{t}$", "#e8eef8")
        _node(ax, (t, 2), f"$y_{t}$", "#e6f4ef")
        _arrow(ax, (t - 1, 1), (t, 1), "$W_{hh}$", offset=(0.0, 0.17))
        _arrow(ax, (t, 0), (t, 1), "$W_{xh}$", offset=(0.2, 0.0))
        _arrow(ax, (t, 1), (t, 2), "$W_{hy}$", offset=(0.2, 0.0))
    fig.tight_layout()
    return fig
