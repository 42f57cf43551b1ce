r"""Faithful reproductions of the setups behind the checked claims (see `vgp.claims`).

Each function rebuilds one experiment exactly as a claim describes it and returns the raw
measurements; `vgp.claims` turns them into verdicts. torch is imported inside the functions
that need it.

>>> errs = step_jacobian_check(seed=0)
>>> bool(errs["diag(1-h_t^2) W_h"] < 1e-8 < errs["diag(1-h_t^2) W_h^T"])
True
"""

from __future__ import annotations

import math
from typing import NamedTuple

import numpy as np

from vgp._validate import integer
from vgp.activations import dphi, phi
from vgp.init import orthogonal
from vgp.spectral import spectral_radius


class RandomRNNRun(NamedTuple):
    r"""What `random_rnn_norms` records: $\lVert g_t \rVert$ per trial and step, and $\rho(W_h)$ per trial.

    >>> run = random_rnn_norms(seed=0, hidden=4, steps=5, trials=2)
    >>> run.norms.shape, run.radii.shape
    ((2, 5), (2,))
    """

    norms: np.ndarray  # (trials, steps): [:, 0] at step T (most recent), [:, -1] at step 1
    radii: np.ndarray  # (trials,) spectral radius of each trial's W_h


def step_jacobian_check(seed: int = 0, hidden: int = 5, inputs: int = 3,
                        eps: float = 1e-6) -> dict[str, float]:
    r"""Max abs error of two candidate step Jacobians against central finite differences.

    For $h_t = \tanh(W_h h_{t-1} + W_x x_t + b)$ the candidates are
    $\mathrm{diag}(1 - h_t^2)\,W_h$ and $\mathrm{diag}(1 - h_t^2)\,W_h^\top$; column $j$ of the
    reference is $(h_t(h_{t-1} + \epsilon e_j) - h_t(h_{t-1} - \epsilon e_j)) / 2\epsilon$.

    >>> errs = step_jacobian_check(seed=2, hidden=3)
    >>> sorted(k for k, v in errs.items() if v < 1e-8)
    ['diag(1-h_t^2) W_h']
    """
    integer("seed", seed, minimum=0)
    H = integer("hidden", hidden, minimum=2)
    D = integer("inputs", inputs, minimum=1)
    rng = np.random.default_rng(seed)
    W_h = rng.standard_normal((H, H)) / np.sqrt(H)     # (H, H), not symmetric
    W_x = rng.standard_normal((H, D)) / np.sqrt(D)     # (H, D)
    b = 0.1 * rng.standard_normal(H)                  # (H,)
    x_t = rng.standard_normal(D)                      # (D,)
    h_prev = np.tanh(rng.standard_normal(H))          # (H,) h_{t-1}

    def step(h):
        return np.tanh(W_h @ h + W_x @ x_t + b)        # h_t

    h_t = step(h_prev)
    fd = np.empty((H, H))                              # fd[i, j] = dh_t[i] / dh_{t-1}[j]
    for j in range(H):
        e = np.zeros(H)
        e[j] = eps
        fd[:, j] = (step(h_prev + e) - step(h_prev - e)) / (2 * eps)
    slope = (1.0 - h_t ** 2)[:, None]                  # diag(1 - h_t^2) as a column
    return {"diag(1-h_t^2) W_h": float(np.max(np.abs(slope * W_h - fd))),
            "diag(1-h_t^2) W_h^T": float(np.max(np.abs(slope * W_h.T - fd)))}


# --8<-- [start:random_rnn_norms]
def random_rnn_norms(seed: int = 0, hidden: int = 64, steps: int = 80,
                     trials: int = 20) -> RandomRNNRun:
    r"""Recorded gradient norms of the 64-unit setup, shape (trials, steps), and rho(W_h).

    Per trial: W_h = N(0,1) * 0.9/sqrt(H), W_x (H, 1) = N(0,1) * 0.1, zero bias, scalar
    inputs x_t ~ N(0,1), h_0 = 0. Backward from g = ones(H)/sqrt(H) at step T; at each
    step t = T, ..., 1 the norm of g is recorded *before* g is propagated one step back,
    g <- W_h^T diag(1 - h_t^2) g. Column 0 is step T (most recent), column -1 is step 1:

    $$\lVert g_T \rVert = \lVert \mathbf{1}/\sqrt{H} \rVert = 1,\qquad
      g_{t-1} = W_h^\top \mathrm{diag}(1 - h_t^2)\, g_t .$$

    >>> run = random_rnn_norms(seed=0, hidden=8, steps=5, trials=2)
    >>> run.norms.shape, run.norms[:, 0].round(12).tolist()
    ((2, 5), [1.0, 1.0])
    """
    integer("seed", seed, minimum=0)
    H = integer("hidden", hidden, minimum=1)
    T = integer("steps", steps, minimum=1)
    n = integer("trials", trials, minimum=1)
    rng = np.random.default_rng(seed)
    norms, radii = np.empty((n, T)), np.empty(n)
    for k in range(n):
        W_h = rng.standard_normal((H, H)) * 0.9 / np.sqrt(H)   # (H, H)
        radii[k] = spectral_radius(W_h)
        W_x = rng.standard_normal((H, 1)) * 0.1                # (H, 1)
        x = rng.standard_normal((T, 1))                        # (T, 1)
        h = np.zeros((T + 1, H))                               # h[t] = h_t
        for t in range(1, T + 1):
            h[t] = np.tanh(W_h @ h[t - 1] + W_x @ x[t - 1])
        g = np.ones(H) / np.sqrt(H)                            # dL/dh_T
        for t in range(T, 0, -1):
            norms[k, T - t] = np.linalg.norm(g)                # record, then propagate
            g = W_h.T @ ((1.0 - h[t] ** 2) * g)                # dL/dh_{t-1}
    return RandomRNNRun(norms, radii)
# --8<-- [end:random_rnn_norms]


def clip_grad_norm_return(seed: int = 0, max_norm: float = 1.0) -> dict[str, float]:
    r"""What torch.nn.utils.clip_grad_norm_ returns, next to the norms before and after.

    Gradients of two float64 parameters are drawn as 5 N(0, 1); torch rescales them by
    $\min(1, c / (\lVert g\rVert + 10^{-6}))$ and returns $\lVert g \rVert$ measured before.

    >>> r = clip_grad_norm_return(seed=0, max_norm=1.0)
    >>> r["returned"] == r["before"], round(r["after"], 4)
    (True, 1.0)
    """
    import torch

    gen = torch.Generator().manual_seed(integer("seed", seed, minimum=0))
    params = [torch.nn.Parameter(torch.zeros(shape, dtype=torch.float64)) for shape in ((4, 3), (3,))]
    for p in params:
        p.grad = 5.0 * torch.randn(p.shape, generator=gen, dtype=torch.float64)
    norm = lambda: float(torch.sqrt(sum((p.grad ** 2).sum() for p in params)))  # noqa: E731
    before = norm()
    returned = float(torch.nn.utils.clip_grad_norm_(params, max_norm))
    return {"before": before, "returned": returned, "after": norm()}


def lstm_cell_path_jacobian(seed: int = 0, hidden: int = 4, inputs: int = 3) -> dict:
    r"""dc_t/dc_{t-1} of a torch.nn.LSTMCell (h_{t-1}, x_t held fixed) and the forget gate f_t.

    $c_t = f_t \odot c_{t-1} + i_t \odot g_t$ with gates that do not depend on $c_{t-1}$,
    so the Jacobian should be $\mathrm{diag}(f_t)$. Weights are N(0, 1/H) from the seed.

    >>> r = lstm_cell_path_jacobian(seed=0, hidden=3)
    >>> bool(np.allclose(r["jacobian"], np.diag(r["f_t"])))
    True
    """
    import torch

    integer("seed", seed, minimum=0)
    H = integer("hidden", hidden, minimum=1)
    D = integer("inputs", inputs, minimum=1)
    cell = torch.nn.LSTMCell(D, H).double()
    gen = torch.Generator().manual_seed(seed)
    with torch.no_grad():  # our own seeded weights, not torch's global generator
        for p in cell.parameters():
            p.copy_(torch.randn(p.shape, generator=gen, dtype=torch.float64) / np.sqrt(H))
    x_t = torch.randn(1, D, generator=gen, dtype=torch.float64)
    h_prev = torch.randn(1, H, generator=gen, dtype=torch.float64)
    c_prev = torch.randn(1, H, generator=gen, dtype=torch.float64)
    jac = torch.autograd.functional.jacobian(lambda c: cell(x_t, (h_prev, c))[1], c_prev)
    # torch orders the gates i, f, g, o: f_t = sigmoid(W_if x_t + b_if + W_hf h_{t-1} + b_hf)
    W_ih, W_hh = cell.weight_ih[H:2 * H], cell.weight_hh[H:2 * H]
    b = cell.bias_ih[H:2 * H] + cell.bias_hh[H:2 * H]
    f_t = torch.sigmoid(x_t @ W_ih.T + h_prev @ W_hh.T + b)[0]
    return {"jacobian": jac.reshape(H, H).detach().numpy(), "f_t": f_t.detach().numpy()}


def seed42_norms() -> np.ndarray:
    """Gradient norms of the seed-42 NumPy setup, shape (50,): [0] at step 50, [-1] at step 1.

    np.random.RandomState(42) is the stream np.random.seed(42) gives; draws in the stated
    order: W_hh = 0.01 randn(5, 5), W_xh = 0.01 randn(5, 3), then 50 inputs randn(3).
    h_0 = 0, zero bias, tanh; the backward pass starts from ones(5) at step 50 and records
    the norm at each step before propagating it.

    >>> norms = seed42_norms()
    >>> f"{norms[0]:.4f}", bool(norms[-1] / norms[0] < 1e-10)
    ('2.2361', True)
    """
    rs = np.random.RandomState(42)
    W_hh = 0.01 * rs.randn(5, 5)
    W_xh = 0.01 * rs.randn(5, 3)
    x = [rs.randn(3) for _ in range(50)]
    h, z = [np.zeros(5)], []
    for x_t in x:
        z.append(W_hh @ h[-1] + W_xh @ x_t)           # z_t
        h.append(phi("tanh", z[-1]))                  # h_t
    g, norms = np.ones(5), np.empty(50)                # g = dL/dh_50
    for t in range(50, 0, -1):
        norms[50 - t] = np.linalg.norm(g)
        g = W_hh.T @ (dphi("tanh", z[t - 1]) * g)     # dL/dh_{t-1}
    return norms


def orthogonal_matrices(hidden: int = 64, seed: int = 0) -> list[np.ndarray]:
    r"""Orthogonally initialised (H, H) matrices, $W^\top W = I$: torch's and vgp.init's.

    >>> [bool(np.allclose(W.T @ W, np.eye(8))) for W in orthogonal_matrices(8, seed=1)]
    [True, True]
    """
    import torch

    H = integer("hidden", hidden, minimum=1)
    integer("seed", seed, minimum=0)
    gen = torch.Generator().manual_seed(seed)
    W = torch.nn.init.orthogonal_(torch.empty(H, H, dtype=torch.float64), generator=gen)
    return [W.numpy(), orthogonal(H, seed=seed)]


def copy_claim() -> tuple[str, bool, str]:
    r"""C25 from the cached experiment `claim-c25-copy` of `vgp.experiments`.

    "Near chance" is judged statistically: with $n$ recalled symbols in the evaluation batch,
    guessing gives accuracy $p = 1/K$ with standard error $\sqrt{p(1-p)/n}$; the claim holds
    if the measured accuracy is within three standard errors of $p$.

    >>> recomputed, holds, note = copy_claim()
    >>> recomputed.startswith("recall ")
    True
    """
    from vgp.experiments import result

    r = result("claim-c25-copy")
    cfg = r["runs"][0]["config"]
    n = cfg["eval_batch"] * cfg["n_symbols"]                 # recalled symbols evaluated
    p, acc = r["chance"], r["recall_accuracy"]
    band = 3 * math.sqrt(p * (1 - p) / n)
    holds = abs(acc - p) <= band
    recomputed = (f"recall {acc:.4f} (chance {p:.4f} ± {band:.4f}, 3 s.e. over {n:,} symbols; "
                  f"loss {r['ratio']:.2f}× the memoryless baseline)")
    note = (f"Recall accuracy {acc:.4f} is more than three standard errors ({band:.4f}) from "
            f"chance {p:.4f}.")
    return recomputed, holds, note
