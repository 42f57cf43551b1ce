"""Benchmark: `vgp profile` against the floor and against the torch way, for T = 10,000, H = 256.

    .venv/bin/python benchmarks/bench_profile.py [--steps 10000] [--hidden 256] [--radius 0.9]
                                                 [--repeats 3] [--trials 20]

* floor: 2T bare matrix-vector products `v = W @ v` in a Python loop (one forward and one
  backward matvec per step is the least any per-step gradient profile can do);
* vgp: `vgp.profile.random_rnn_profile(..., trials=1)` end to end (drawing the network,
  rescaling it to the spectral radius, forward pass, log-space backward pass);
* torch: what a reader would write: the same RNN unrolled with autograd, `retain_grad()` on
  every hidden state, one `backward()`, then `h_t.grad.norm()`, in float64 and float32.

Prints the time ratios (against the faster of `W @ v` and `v @ W`), then where torch's
numbers become exactly 0 while vgp's log10 norms stay finite: first `h_t.grad.norm()` (its sum
of squares underflows when the entries are below ~1e-154 in float64, ~1e-19 in float32), then
the gradient itself (every entry 0); and how well vgp and torch agree where torch's gradient
entries are normal floats (norm computed there without squaring underflow).
Times are the minimum over `--repeats` runs; BLAS and torch are pinned to one thread so the
comparison is fair on a shared machine. This is a script, not a test.
"""

from __future__ import annotations

import os

for _var in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_var, "1")

import argparse  # noqa: E402
import math  # noqa: E402
import time  # noqa: E402

import numpy as np  # noqa: E402

from vgp.profile import format_log10, random_rnn_profile  # noqa: E402
from vgp.spectral import rescale  # noqa: E402


def best_of(repeats, fn):
    times, out = [], None
    for _ in range(repeats):
        t0 = time.perf_counter()
        out = fn()
        times.append(time.perf_counter() - t0)
    return min(times), out


def floor(W, T, B=1):
    """2T bare products: v = W @ v (B = 1), v = v @ W with v (H,) (B = -1) or (B, H) (B > 1)."""
    v = np.ones(W.shape[0]) if B in (1, -1) else np.ones((B, W.shape[0]))
    if B == 1:
        for _ in range(2 * T):
            v = W @ v
    else:
        for _ in range(2 * T):
            v = v @ W
    return v


def same_network(H, T, radius, input_scale, seed):
    """The draws of random_rnn_profile(..., trials=1), in its documented order."""
    rng = np.random.default_rng(seed)
    W_hh = rescale(rng.standard_normal((H, H)) / np.sqrt(H), radius=radius)
    W_xh = rng.standard_normal((H, 1)) * input_scale
    g = rng.standard_normal(H)
    g /= np.linalg.norm(g)
    x = rng.standard_normal((T, 1))
    return W_hh, W_xh, g, x


def torch_profile(W_hh, W_xh, g, x, dtype):
    """The reader's way: autograd + retain_grad on every hidden state.

    Returns (log10 of h_t.grad.norm() as the reader computes it, log10 of the norm computed
    without squaring underflow, whether every entry of dL/dh_t is exactly 0), each (T,), t=1..T.
    """
    import torch

    W, U, G = (torch.tensor(a, dtype=dtype) for a in (W_hh, W_xh, g))
    X = torch.tensor(x, dtype=dtype)
    h = torch.zeros(W.shape[0], dtype=dtype, requires_grad=True)
    hs = []
    for t in range(X.shape[0]):
        h = torch.tanh(W @ h + U @ X[t])
        h.retain_grad()
        hs.append(h)
    (hs[-1] * G).sum().backward()
    naive = torch.stack([h.grad.norm() for h in hs]).double().numpy()
    grads = torch.stack([h.grad for h in hs]).double().numpy()          # (T, H)
    big = np.abs(grads).max(axis=1)
    with np.errstate(divide="ignore", invalid="ignore"):
        safe = np.log10(big) + np.log10(np.linalg.norm(grads / big[:, None], axis=1))
        return np.log10(naive), np.where(big > 0, safe, -np.inf), big == 0


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--steps", type=int, default=10_000)
    ap.add_argument("--hidden", type=int, default=256)
    ap.add_argument("--radius", type=float, default=0.9)
    ap.add_argument("--input-scale", type=float, default=0.1)
    ap.add_argument("--trials", type=int, default=20, help="batch size of the batched comparison")
    ap.add_argument("--repeats", type=int, default=3)
    ap.add_argument("--seed", type=int, default=0)
    a = ap.parse_args(argv)
    T, H = a.steps, a.hidden

    import torch

    torch.set_num_threads(1)
    print(f"T = {T}, H = {H}, radius = {a.radius}, input_scale = {a.input_scale}; "
          f"min of {a.repeats} runs, 1 BLAS/torch thread; numpy {np.__version__}, torch {torch.__version__}")
    W_hh, W_xh, g, x = same_network(H, T, a.radius, a.input_scale, a.seed)

    t_floor1, _ = best_of(a.repeats, lambda: floor(W_hh, T))
    t_floor2, _ = best_of(a.repeats, lambda: floor(W_hh, T, B=-1))
    t_floor = min(t_floor1, t_floor2)
    t_vgp, prof = best_of(a.repeats, lambda: random_rnn_profile(H, T, a.radius, "tanh",
                                                                a.input_scale, 1, a.seed))
    t_f64, ref64 = best_of(max(1, a.repeats - 1), lambda: torch_profile(W_hh, W_xh, g, x, torch.float64))
    t_f32, ref32 = best_of(max(1, a.repeats - 1), lambda: torch_profile(W_hh, W_xh, g, x, torch.float32))
    t_floorB, _ = best_of(a.repeats, lambda: floor(W_hh, T, a.trials))
    t_vgpB, _ = best_of(a.repeats, lambda: random_rnn_profile(H, T, a.radius, "tanh",
                                                              a.input_scale, a.trials, a.seed))

    print("\ntime (s)                                   seconds   ratio to floor")
    print(f"  floor: 2T bare matvecs v = W @ v         {t_floor1:8.3f}   {t_floor1 / t_floor:.2f}")
    print(f"  floor: 2T bare matvecs v = v @ W         {t_floor2:8.3f}   {t_floor2 / t_floor:.2f}")
    print(f"  vgp random_rnn_profile (1 trial)         {t_vgp:8.3f}   {t_vgp / t_floor:.2f}")
    print(f"  torch autograd + retain_grad, float64    {t_f64:8.3f}   {t_f64 / t_floor:.2f}")
    print(f"  torch autograd + retain_grad, float32    {t_f32:8.3f}   {t_f32 / t_floor:.2f}")
    print(f"  floor, batch of {a.trials}: 2T (B,H)@(H,H)     {t_floorB:8.3f}   1.00")
    print(f"  vgp, {a.trials} trials batched                   {t_vgpB:8.3f}   {t_vgpB / t_floorB:.2f}")

    ours = prof.log10_norm                               # (T,), t = 1..T
    print(f"\ncorrectness (vgp finite at every step: {bool(np.all(np.isfinite(ours)))}; "
          f"earliest step t=1: log10 = {ours[0]:.2f}, norm = {format_log10(ours[0])})")
    for name, (naive, safe, zero) in (("float64", ref64), ("float32", ref32)):
        for what, mask in (("h_t.grad.norm() == 0", naive == -np.inf),
                           ("every entry of h_t.grad == 0", zero)):
            idx = np.flatnonzero(mask)
            if idx.size:
                t0 = idx.max() + 1                       # latest step where it is 0
                print(f"  torch {name}: {what} for {idx.size} of {T} steps (t <= {t0}, "
                      f"{T - t0} steps before the loss); vgp at t = {t0}: {format_log10(ours[t0 - 1])}")
            else:
                print(f"  torch {name}: {what} at no step")
        tiny = math.log10(np.finfo(np.float64 if name == "float64" else np.float32).tiny)
        ok = np.isfinite(safe) & (safe > tiny + 2)       # gradient entries are normal floats
        print(f"  torch {name}: |log10 vgp - log10 torch| over {ok.sum()} steps with normal "
              f"gradient entries: max {np.max(np.abs(ours[ok] - safe[ok])):.2e}")

if __name__ == "__main__":
    main()
