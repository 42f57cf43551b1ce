"""The home page figure: gradient norm against distance from the loss, RNN and LSTM, measured."""

from __future__ import annotations

import numpy as np

from vgp.figures import figure, subplots

LABELS = {"rnn": "vanilla tanh RNN", "lstm": "LSTM (forget bias 1)"}


def distance_profiles() -> dict:
    """{cell: (distance, norm at init, norm after training)} from the cached experiment.

    The adding problem puts its only loss at the last step T, so the gradient reaching h_t
    has travelled exactly T - t steps.
    """
    from vgp.experiments import result

    out = {}
    for run in result("home-gradient-vs-distance")["runs"]:
        T = run["config"]["delay"]
        t = np.arange(1, T + 1)
        out[run["config"]["cell"]] = (T - t, np.array(run["profile_init"]["h"]),
                                      np.array(run["profile_final"]["h"]))
    return out


@figure(
    "home-gradient-vs-distance",
    alt=("Log-scale plot of the gradient norm reaching the hidden state against the number of "
         "steps back from the loss, for a vanilla tanh RNN and an LSTM trained on the adding "
         "problem. The RNN's gradient falls by many orders of magnitude as the distance grows; "
         "after training the LSTM's falls far less, staying nearly flat beyond the first few steps."),
    caption=("Measured $\\lVert\\partial L/\\partial h_t\\rVert$ against the distance $T-t$ "
             "from the loss, adding problem, before (dashed) and after (solid) training. "
             "Data: cached experiment `home-gradient-vs-distance` "
             "([how it was run](lessons/long-range.md))."),
)
def gradient_vs_distance():
    prof = distance_profiles()
    fig, ax = subplots(figsize=(6.4, 3.6))
    for i, cell in enumerate(("rnn", "lstm")):
        dist, init, final = prof[cell]
        color = f"C{i}"
        ax.semilogy(dist, final, color=color, label=f"{LABELS[cell]}, trained")
        ax.semilogy(dist, init, color=color, linestyle="--", linewidth=1.2,
                    label=f"{LABELS[cell]}, at initialisation")
    ax.set_xlabel("distance from the loss, $T - t$ (steps)")
    ax.set_ylabel(r"$\|\partial L / \partial h_t\|$")
    ax.legend(fontsize=8)
    fig.tight_layout()
    return fig
