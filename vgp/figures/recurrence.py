"""Figures for the lesson "Recurrence and unrolling"."""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np

from vgp.figures import figure
from vgp.rnn import forward, init_params


def trajectories(radius: float, *, seed: int = 0, steps: int = 40, hidden: int = 8):
    """Hidden states h_t (T+1, H) of one random tanh RNN driven by a single input pulse."""
    p = init_params(1, hidden, 1, seed=seed, radius=radius, scale=1.0)
    x = np.zeros((1, steps, 1))
    x[0, 0, 0] = 3.0  # one pulse at t = 1, silence afterwards
    return forward(p, x).h[0]


@figure(
    "recurrence-trajectories",
    alt=("Two panels of hidden-unit traces over 40 steps after a single input pulse at t=1. "
         "With spectral radius 0.8 every unit decays to zero within about 20 steps; with "
         "spectral radius 1.5 the units keep moving and settle into sustained nonzero values."),
    caption=("Hidden states $h_t$ of an 8-unit tanh RNN after one input pulse at $t=1$, for "
             "$W_{hh}$ rescaled to spectral radius 0.8 (left) and 1.5 (right). Same weights "
             "up to scale; the recurrence alone decides whether the pulse is forgotten."),
)
def hidden_trajectories():
    fig, axes = plt.subplots(1, 2, figsize=(7.2, 3.2), sharey=True)
    for ax, radius in zip(axes, (0.8, 1.5)):
        h = trajectories(radius)
        ax.plot(np.arange(h.shape[0]), h, linewidth=1.2)
        ax.set_title(f"spectral radius of $W_{{hh}}$ = {radius}")
        ax.set_xlabel("time step $t$")
    axes[0].set_ylabel("$h_t$ (each line one unit)")
    fig.tight_layout()
    return fig
