r"""Three initialisations of $W_{hh}$, measured: gradient profiles before and after training.

The same small RNN (2 inputs, H hidden units, one linear output read at the last step) is
trained on the adding problem (`vgp.tasks.adding_batch`, Le, Jaitly & Hinton 2015 form)
from three starting points for the recurrent matrix (`vgp.init`):

| name           | $W_{hh}$                      | activation | singular values of $W_{hh}$ |
|----------------|-------------------------------|------------|-----------------------------|
| `small_random` | entries $N(0, 0.01^2)$        | tanh       | all far below 1             |
| `orthogonal`   | Haar-random orthogonal        | tanh       | all exactly 1               |
| `identity`     | $I$ (IRNN)                    | ReLU       | all exactly 1               |

Input weights are $N(0, \sigma_x^2)$ with $\sigma_x$ = `input_std`, biases 0, the readout
$N(0, 1/H)$. Before and after training, the gradient of the per-sequence loss
$\ell = (y_T - \text{target})^2$ with respect to every hidden state is measured with
`vgp.profile.gradient_profile` (NumPy, log space) on a fixed batch, and averaged over the
batch in log10 (a geometric mean). Training: Adam, global-norm clipping, float64, one
thread; per seed s the model is drawn from `torch.Generator().manual_seed(s)`, training
batches from seed s + 1e6, the profiling batch from s + 2e6 and the evaluation batch from
s + 3e6, so no two streams overlap. The result is cached with `vgp.cache.cached`.
"""

from __future__ import annotations

import math
import time

import numpy as np

from vgp._validate import choice
from vgp.cache import cached
from vgp.init import identity, orthogonal, small_random
from vgp.profile import gradient_profile
from vgp.rnn import RNNParams
from vgp.spectral import spectral_norm, spectral_radius

#: The comparison shown on the lesson page.
EXPERIMENT = {
    "hidden": 32, "length": 50, "batch": 32, "iterations": 500, "lr": 1e-3, "max_norm": 1.0,
    "input_std": 0.1, "small_std": 0.01, "seeds": [0, 1, 2], "profile_batch": 64,
    "eval_batch": 1000,
}
INITS = ("small_random", "orthogonal", "identity")
ACTIVATION = {"small_random": "tanh", "orthogonal": "tanh", "identity": "relu"}


def recurrent_matrix(kind: str, cfg: dict, seed: int) -> np.ndarray:
    r"""$W_{hh}$ (H, H) of initialisation `kind`: $N(0, \sigma^2)$ entries, Haar orthogonal, or $I$.

    >>> W = recurrent_matrix("orthogonal", EXPERIMENT, seed=0)
    >>> f"{spectral_norm(W):.6f}", f"{np.linalg.svd(W, compute_uv=False).min():.6f}"
    ('1.000000', '1.000000')
    """
    choice("kind", kind, INITS)
    H = cfg["hidden"]
    if kind == "small_random":
        return small_random(H, std=cfg["small_std"], seed=seed)
    if kind == "orthogonal":
        return orthogonal(H, seed=seed)
    return identity(H)


def build(kind: str, cfg: dict, seed: int):
    """(rnn, readout) torch modules in float64 with W_hh from `recurrent_matrix`.

    >>> tiny = dict(EXPERIMENT, hidden=4, length=6, batch=4, iterations=2, seeds=[0],
    ...             profile_batch=4, eval_batch=8)
    >>> rnn, out = build("identity", tiny, seed=0)
    >>> rnn.nonlinearity, rnn.weight_hh_l0.diagonal().tolist()
    ('relu', [1.0, 1.0, 1.0, 1.0])
    """
    import torch

    H = cfg["hidden"]
    generator = torch.Generator().manual_seed(seed)
    rnn = torch.nn.RNN(2, H, batch_first=True, nonlinearity=ACTIVATION[kind], dtype=torch.float64)
    out = torch.nn.Linear(H, 1, dtype=torch.float64)
    with torch.no_grad():
        rnn.weight_hh_l0.copy_(torch.from_numpy(recurrent_matrix(kind, cfg, seed)))
        rnn.weight_ih_l0.copy_(torch.randn(H, 2, generator=generator, dtype=torch.float64) * cfg["input_std"])
        out.weight.copy_(torch.randn(1, H, generator=generator, dtype=torch.float64) / math.sqrt(H))
        for b in (rnn.bias_ih_l0, rnn.bias_hh_l0, out.bias):
            b.zero_()
    return rnn, out


def to_params(rnn, out) -> RNNParams:
    r"""The torch modules as `vgp.rnn.RNNParams` (torch's two biases summed into $b_h = b_{ih} + b_{hh}$).

    The NumPy forward pass with these parameters reproduces torch's hidden states:

    >>> import torch
    >>> from vgp.rnn import forward
    >>> tiny = dict(EXPERIMENT, hidden=4, length=6, batch=4, iterations=2, seeds=[0],
    ...             profile_batch=4, eval_batch=8)
    >>> rnn, out = build("orthogonal", tiny, seed=0)
    >>> x = torch.rand(3, 6, 2, dtype=torch.float64, generator=torch.Generator().manual_seed(0))
    >>> h_numpy = forward(to_params(rnn, out), x.numpy()).h[:, 1:]      # h_1..h_T
    >>> bool(np.allclose(h_numpy, rnn(x)[0].detach().numpy()))
    True
    """
    d = {k: v.detach().numpy().copy() for k, v in rnn.named_parameters()}
    return RNNParams(W_xh=d["weight_ih_l0"], W_hh=d["weight_hh_l0"],
                     b_h=d["bias_ih_l0"] + d["bias_hh_l0"],
                     W_hy=out.weight.detach().numpy().copy(), b_y=out.bias.detach().numpy().copy())


# --8<-- [start:profile]
def log10_profile(params: RNNParams, x: np.ndarray, target: np.ndarray, activation: str) -> np.ndarray:
    r"""Batch mean of $\log_{10}\lVert \partial \ell_b/\partial h_t\rVert$, t = 1..T,
    $\ell_b = (y_{b,T} - \text{target}_b)^2$; x (B, T, 2), target (B,).

    At the last step $\partial \ell_b/\partial h_T = 2 (y_{b,T} - \text{target}_b)\, W_{hy}^\top$:

    >>> from vgp.rnn import forward
    >>> tiny = dict(EXPERIMENT, hidden=4, length=6, batch=4, iterations=2, seeds=[0],
    ...             profile_batch=4, eval_batch=8)
    >>> p = to_params(*build("orthogonal", tiny, seed=0))
    >>> x, target = np.random.default_rng(0).random((3, 6, 2)), np.ones(3)
    >>> prof = log10_profile(p, x, target, "tanh")
    >>> y_T = forward(p, x).y[:, -1, 0]
    >>> direct = np.log10(np.abs(2 * (y_T - target)) * np.linalg.norm(p.W_hy[0])).mean()
    >>> prof.shape, f"{prof[-1]:.6f}" == f"{direct:.6f}"
    ((6,), True)
    """
    from vgp.rnn import forward

    y_T = forward(params, x, activation=activation).y[:, -1, 0]     # (B,)
    dl_dhT = 2.0 * (y_T - target)[:, None] * params.W_hy[0]         # (B, H) = dl/dy_T W_hy
    logs = gradient_profile(params, x, dl_dhT, activation=activation)  # (T+1, B), log10
    return logs[1:].mean(axis=1)                                    # (T,), steps 1..T
# --8<-- [end:profile]


# --8<-- [start:train]
def train_one(kind: str, cfg: dict, seed: int) -> dict:
    r"""Train one initialisation on the adding problem; profiles at the start and the end.

    Adam on the MSE $(y_T - \text{target})^2$ at the last step, global norm clipped to `max_norm`.

    >>> tiny = dict(EXPERIMENT, hidden=4, length=6, batch=4, iterations=2, seeds=[0],
    ...             profile_batch=4, eval_batch=8)
    >>> run = train_one("orthogonal", tiny, seed=0)
    >>> len(run["loss"]), run["profile_init"].shape, f"{run['radius'][0]:.4f}"
    (2, (6,), '1.0000')
    """
    import torch

    from vgp.tasks import adding_batch

    rnn, out = build(kind, cfg, seed)
    act = ACTIVATION[kind]
    g_train = torch.Generator().manual_seed(seed + 1_000_000)
    xp, yp = adding_batch(cfg["profile_batch"], cfg["length"], generator=seed + 2_000_000)
    xe, ye = adding_batch(cfg["eval_batch"], cfg["length"], generator=seed + 3_000_000)
    xp, yp, xe, ye = (t.double() for t in (xp, yp, xe, ye))
    params = list(rnn.parameters()) + list(out.parameters())
    opt = torch.optim.Adam(params, lr=cfg["lr"])
    start = to_params(rnn, out)
    profile_init = log10_profile(start, xp.numpy(), yp.numpy(), act)
    losses = []
    for _ in range(cfg["iterations"]):
        x, y = adding_batch(cfg["batch"], cfg["length"], generator=g_train)
        h, _ = rnn(x.double())                                       # (B, T, H)
        loss = ((out(h[:, -1])[:, 0] - y.double()) ** 2).mean()      # MSE at step T
        opt.zero_grad()
        loss.backward()
        torch.nn.utils.clip_grad_norm_(params, cfg["max_norm"])
        opt.step()
        losses.append(loss.item())
    end = to_params(rnn, out)
    with torch.no_grad():
        h, _ = rnn(xe)
        eval_mse = float(((out(h[:, -1])[:, 0] - ye) ** 2).mean())
    return {"loss": losses, "eval_mse": eval_mse, "activation": act,
            "profile_init": profile_init, "profile_final": log10_profile(end, xp.numpy(), yp.numpy(), act),
            "radius": [spectral_radius(start.W_hh), spectral_radius(end.W_hh)],
            "norm": [spectral_norm(start.W_hh), spectral_norm(end.W_hh)]}
# --8<-- [end:train]


def _compute(cfg: dict) -> dict:
    from vgp.train import deterministic

    out = {"config": cfg, "runs": {}, "cpu_seconds": {}}
    with deterministic():
        for kind in INITS:
            for seed in cfg["seeds"]:
                t0 = time.process_time()
                out["runs"][f"{kind}-{seed}"] = train_one(kind, cfg, seed)
                out["cpu_seconds"][f"{kind}-{seed}"] = time.process_time() - t0
    return out


def experiment(config: dict | None = None) -> dict:
    """All three initialisations, every seed, same config (cached); runs["identity-0"] etc.

    `config` has the keys of `EXPERIMENT` (the page's comparison). A tiny one, in a scratch
    cache directory so the page's cached comparison is left alone:

    >>> import os, tempfile
    >>> from unittest import mock
    >>> tiny = dict(EXPERIMENT, hidden=4, length=6, batch=4, iterations=2, seeds=[0],
    ...             profile_batch=4, eval_batch=8)
    >>> with tempfile.TemporaryDirectory() as tmp, mock.patch.dict(os.environ, {"VGP_CACHE_DIR": tmp}):
    ...     result = experiment(tiny)
    >>> sorted(result["runs"])
    ['identity-0', 'orthogonal-0', 'small_random-0']
    """
    cfg = dict(EXPERIMENT if config is None else config)
    return cached("init-compare-adding", cfg, _compute, module="vgp.init_compare")
