r"""`vgp profile`: the gradient-norm profile of a random RNN, in log space.

    vgp profile --hidden 64 --steps 200 --radius 0.9 [--activation tanh] [--input-scale 0.1]
                [--trials 20] [--seed 0] [--format table|json|csv]

prints $\log_{10}\lVert \partial L/\partial h_t\rVert$ for t = 1..T (loss at step T, so step T is
0), the mean over trials of the log10 norms, from `vgp.profile.random_rnn_profile`. Norms are
formatted from their log10, so $10^{-1500}$ prints as ``1.000e-1500``, never as 0. JSON holds
the arrays "t", "log10_norm" and "norm", "log10_rate" (mean log10 change per step) and "config".

>>> from vgp.cli import main
>>> main(["profile", "--hidden", "4", "--steps", "3", "--trials", "2", "--format", "csv"])
t,log10_norm,norm
1,-0.092423,8.083e-01
2,0.012382,1.029e+00
3,0.000000,1.000e+00
0
"""

from __future__ import annotations

import argparse
import json
import math
import os
import sys

from vgp.activations import ACTIVATIONS
from vgp.profile import random_rnn_profile

FORMATS = ("table", "json", "csv")

# Library parameter name -> command-line option, so errors name what the user typed.
_OPTIONS = {"hidden": "--hidden", "steps": "--steps", "radius": "--radius",
            "activation": "--activation", "input_scale": "--input-scale", "trials": "--trials",
            "seed": "--seed"}


def add_parser(subparsers) -> argparse.ArgumentParser:
    """Register `vgp profile` on the dispatcher's subparsers."""
    p = subparsers.add_parser(
        "profile", help="gradient-norm profile of a random RNN (log space, never underflows)",
        description="Print log10 ||dL/dh_t|| for t = 1..T of a random RNN whose W_hh is rescaled "
                    "to the given spectral radius; loss at the last step, mean over trials of "
                    "the log10 norms (geometric mean).")
    p.add_argument("--hidden", type=int, default=64, help="hidden units H (default 64)")
    p.add_argument("--steps", type=int, default=200, help="sequence length T (default 200)")
    p.add_argument("--radius", type=float, default=0.9, help="spectral radius of W_hh (default 0.9)")
    p.add_argument("--activation", choices=ACTIVATIONS, default="tanh", help="default tanh")
    p.add_argument("--input-scale", type=float, default=0.1, dest="input_scale",
                   help="std of the input weights W_xh (default 0.1)")
    p.add_argument("--trials", type=int, default=20, help="input sequences averaged (default 20)")
    p.add_argument("--seed", type=int, default=0, help="seed of every random draw (default 0)")
    p.add_argument("--format", choices=FORMATS, default="table", dest="fmt",
                   help="output format (default table)")
    p.set_defaults(func=run)
    return p


def _log10_text(v: float) -> str:
    return "-inf" if v == -math.inf else f"{v:.6f}"


def render(prof, fmt: str) -> str:
    r"""The profile as a table, CSV or JSON string (`fmt` = "table", "csv" or "json").

    Norms are formatted from $\log_{10}\lVert \partial L/\partial h_t\rVert$, so they never print as 0.

    >>> prof = random_rnn_profile(hidden=4, steps=3, radius=0.9, trials=2)
    >>> print(render(prof, "table"))
    # vgp profile: hidden=4 steps=3 radius=0.9 activation=tanh input_scale=0.1 trials=2 seed=0
    # log10 ||dL/dh_t|| with the loss at t = 3: mean over trials (geometric mean of the norms); -0.0462 per step
          t    log10_norm       norm
          1     -0.092423  8.083e-01
          2      0.012382  1.029e+00
          3      0.000000  1.000e+00
    >>> json.loads(render(prof, "json"))["norm"]
    ['8.083e-01', '1.029e+00', '1.000e+00']
    """
    logs = [float(v) for v in prof.log10_norm]
    norms = prof.norm_strings()
    if fmt == "json":
        data = prof.to_dict(trials=False)
        data["log10_rate"] = prof.log10_rate
        return json.dumps(data, allow_nan=False)
    if fmt == "csv":
        rows = ["t,log10_norm,norm"]
        rows += [f"{t},{_log10_text(v)},{n}" for t, v, n in zip(prof.t, logs, norms)]
        return "\n".join(rows)
    c = prof.config
    width = max(len(n) for n in norms)
    lines = [f"# vgp profile: hidden={c['hidden']} steps={c['steps']} radius={c['radius']:g} "
             f"activation={c['activation']} input_scale={c['input_scale']:g} "
             f"trials={c['trials']} seed={c['seed']}",
             f"# log10 ||dL/dh_t|| with the loss at t = {c['steps']}: mean over trials "
             f"(geometric mean of the norms); {prof.log10_rate:+.4f} per step",
             f"{'t':>7}  {'log10_norm':>12}  {'norm':>{width}}"]
    lines += [f"{t:>7}  {_log10_text(v):>12}  {n:>{width}}" for t, v, n in zip(prof.t, logs, norms)]
    return "\n".join(lines)


def run(args: argparse.Namespace) -> int:
    """Compute and print the profile; bad values raise ValueError naming the option."""
    kwargs = {name: getattr(args, name) for name in _OPTIONS}
    try:
        prof = random_rnn_profile(**kwargs)
    except (ValueError, TypeError) as exc:
        msg = str(exc.args[0]) if exc.args else str(exc)
        for name, option in _OPTIONS.items():
            if msg.startswith(name + " "):
                msg = option + msg[len(name):]
                break
        raise ValueError(msg) from None
    text = render(prof, args.fmt)
    try:
        sys.stdout.write(text + "\n")
        sys.stdout.flush()
    except BrokenPipeError:                       # `vgp profile | head`: stop quietly
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
    return 0
