r"""Gradient clipping, demonstrated: what it does to the direction, and a run with and without it.

* `clip_directions`: cosine between a gradient and its clipped version, for clipping by global
  norm (always 1: the direction is kept) and by value (below 1 unless clamping scales every
  non-zero entry by the same factor), using `vgp.clip`.
* `torch_clip_agreement`: `vgp.clip.clip_by_global_norm` against
  ``torch.nn.utils.clip_grad_norm_`` on the same gradients (both return the pre-clip norm).
* `experiment`: SGD on a small tanh RNN whose $W_{hh}$ starts at spectral radius 1.2, on the
  *sign-memory* task below, once without clipping and once clipping the global norm to 1;
  several seeds, cached with `vgp.cache.cached`.

The sign-memory task (a "flip-flop"): the scalar input is 0 at most steps and a pulse of
$\pm 1$ with probability `p` per step; the target at every step is the sign of the most recent
pulse (0 before the first one). Holding that bit needs a state that persists, which is what
pushes an RNN towards the regimes where gradients explode.
"""

from __future__ import annotations

import math
import time

import numpy as np

from vgp._validate import integer, real
from vgp.cache import cached
from vgp.clip import clip_by_global_norm, clip_by_value, global_norm

#: The run shown on the lesson page.
EXPERIMENT = {
    "hidden": 16, "steps": 100, "batch": 32, "pulse_prob": 0.05, "radius": 1.2,
    "lr": 0.1, "iterations": 400, "max_norm": 1.0, "seeds": [0, 1, 2],
}


def exploding_gradient(radius: float = 1.2, *, hidden: int = 16, steps: int = 100,
                       batch: int = 4, seed: int = 0) -> dict:
    """BPTT gradients (dict by parameter name) of a random tanh RNN, `vgp.bptt.loss_and_grads`:
    W_hh at spectral radius `radius`, inputs N(0, 0.1^2), targets N(0, 1), MSE at every step.

    >>> g = exploding_gradient()
    >>> sorted(g), g["W_hh"].shape
    (['W_hh', 'W_hy', 'W_xh', 'b_h', 'b_y'], (16, 16))
    """
    from vgp.bptt import loss_and_grads
    from vgp.rnn import init_params

    p = init_params(1, hidden, 1, seed=seed, radius=radius)
    rng = np.random.default_rng(seed)
    x = 0.1 * rng.standard_normal((batch, steps, 1))                 # (B, T, D=1)
    y = rng.standard_normal((batch, steps, 1))                       # (B, T, O=1)
    return loss_and_grads(p, x, y)[1].as_dict()


def _flat(grads: dict) -> np.ndarray:
    return np.concatenate([np.ravel(grads[k]) for k in sorted(grads)])


def cosine(a, b) -> float:
    r"""$\cos\theta = a^\top b / (\lVert a\rVert\,\lVert b\rVert)$, the cosine of the angle between two arrays (flattened).

    >>> f"{cosine([1, 0], [1, 1]):.4f}"
    '0.7071'
    """
    a, b = np.ravel(np.asarray(a, float)), np.ravel(np.asarray(b, float))
    return float(a @ b / (np.linalg.norm(a) * np.linalg.norm(b)))


# --8<-- [start:directions]
def clip_directions(grads: dict, max_norm: float, clip_value: float) -> dict:
    """Pre-clip norm, then norm and cosine with the original after each kind of clipping.

    Clipping by norm keeps the direction (cosine 1); clamping two of three entries turns it:

    >>> g = {"W": np.array([3.0, -0.5]), "b": np.array([4.0])}
    >>> d = clip_directions(g, max_norm=1.0, clip_value=1.0)
    >>> {k: f"{v:.4f}" for k, v in d.items() if k.startswith("cos") or k == "norm"}
    {'norm': '5.0249', 'cos_norm_clip': '1.0000', 'cos_value_clip': '0.9619'}
    """
    by_norm, norm = clip_by_global_norm(grads, max_norm)
    by_value = clip_by_value(grads, clip_value)
    g = _flat(grads)
    return {"norm": norm,
            "norm_after_norm_clip": global_norm(by_norm.values()),
            "norm_after_value_clip": global_norm(by_value.values()),
            "cos_norm_clip": cosine(g, _flat(by_norm)),
            "cos_value_clip": cosine(g, _flat(by_value)),
            "fraction_clamped": float(np.mean(np.abs(g) > clip_value))}
# --8<-- [end:directions]


# --8<-- [start:agreement]
def torch_clip_agreement(grads: dict, max_norm: float) -> dict:
    """Clip the same gradients with vgp and with torch.nn.utils.clip_grad_norm_ (float64).

    Differences are reported absolutely and in units in the last place (`np.spacing`).

    >>> g = {"W": np.array([3.0, -0.5]), "b": np.array([4.0])}
    >>> a = torch_clip_agreement(g, max_norm=1.0)
    >>> f"{a['vgp_norm']:.6f}", f"{a['torch_norm']:.6f}", a["max_ulp_diff"] <= 2
    ('5.024938', '5.024938', True)
    """
    import torch

    mine, my_norm = clip_by_global_norm(grads, max_norm)
    params = []
    for k in sorted(grads):
        p = torch.zeros(np.shape(grads[k]), dtype=torch.float64, requires_grad=True)
        p.grad = torch.tensor(np.asarray(grads[k], dtype=np.float64))
        params.append(p)
    torch_norm = float(torch.nn.utils.clip_grad_norm_(params, max_norm))  # pre-clip norm
    diffs = [np.abs(p.grad.numpy() - mine[k]) for k, p in zip(sorted(grads), params)]
    ulps = [d / np.spacing(np.abs(mine[k])) for d, k in zip(diffs, sorted(grads))]  # in units of the last place
    return {"vgp_norm": my_norm, "torch_norm": torch_norm,
            "max_abs_diff": max(float(np.max(d)) for d in diffs),
            "max_ulp_diff": max(float(np.max(u)) for u in ulps)}
# --8<-- [end:agreement]


def sign_memory_batch(batch: int, steps: int, *, pulse_prob: float, generator):
    """(x, y), both (B, T, 1) float64 tensors: pulses of +-1 and the sign of the latest pulse.

    >>> import torch
    >>> x, y = sign_memory_batch(1, 8, pulse_prob=0.3, generator=torch.Generator().manual_seed(3))
    >>> x[0, :, 0].tolist()
    [1.0, -1.0, 0.0, -1.0, 0.0, 0.0, 1.0, 0.0]
    >>> y[0, :, 0].tolist()
    [1.0, -1.0, -1.0, -1.0, -1.0, -1.0, 1.0, 1.0]
    """
    import torch

    B = integer("batch", batch, minimum=1)
    T = integer("steps", steps, minimum=1)
    p = real("pulse_prob", pulse_prob, minimum=0.0, maximum=1.0)
    f64 = torch.float64
    fire = torch.rand(B, T, generator=generator, dtype=f64) < p
    sign = 2.0 * torch.randint(0, 2, (B, T), generator=generator).to(f64) - 1.0
    pulse = torch.where(fire, sign, torch.zeros((), dtype=f64))     # (B, T)
    idx = torch.where(fire, torch.arange(T).expand(B, T), torch.full((B, T), -1))
    last = torch.cummax(idx, dim=1).values                          # index of latest pulse
    y = torch.where(last >= 0, torch.gather(pulse, 1, last.clamp(min=0)), torch.zeros((), dtype=f64))
    return pulse[..., None], y[..., None]


def _model(cfg: dict, generator):
    """tanh RNN (1 -> H) + linear readout, float64; weights N(0, 1/fan_in), W_hh at radius."""
    import torch

    H = cfg["hidden"]
    rnn = torch.nn.RNN(1, H, batch_first=True, dtype=torch.float64)
    out = torch.nn.Linear(H, 1, dtype=torch.float64)
    with torch.no_grad():
        for p in (rnn.weight_ih_l0, rnn.weight_hh_l0, out.weight):
            p.copy_(torch.randn(p.shape, generator=generator, dtype=torch.float64) / math.sqrt(p.shape[1]))
        for p in (rnn.bias_ih_l0, rnn.bias_hh_l0, out.bias):
            p.zero_()
        rho = torch.linalg.eigvals(rnn.weight_hh_l0).abs().max()
        rnn.weight_hh_l0.mul_(cfg["radius"] / rho)              # spectral radius = cfg radius
    return rnn, out


# --8<-- [start:run]
def train_sign_memory(cfg: dict, seed: int, max_norm: float | None) -> dict:
    """SGD on the sign-memory task; log the loss and the pre-clip global gradient norm.

    `max_norm` None trains without clipping. Three iterations of a tiny configuration:

    >>> tiny = dict(EXPERIMENT, hidden=4, steps=10, batch=4, iterations=3, seeds=[0])
    >>> log = train_sign_memory(tiny, seed=0, max_norm=1.0)
    >>> {k: len(v) for k, v in log.items()}
    {'loss': 3, 'grad_norm': 3, 'param_norm': 3}
    """
    import torch

    g = torch.Generator().manual_seed(seed)
    rnn, out = _model(cfg, g)
    params = list(rnn.parameters()) + list(out.parameters())
    opt = torch.optim.SGD(params, lr=cfg["lr"])
    log = {"loss": [], "grad_norm": [], "param_norm": []}
    for _ in range(cfg["iterations"]):
        x, y = sign_memory_batch(cfg["batch"], cfg["steps"], pulse_prob=cfg["pulse_prob"], generator=g)
        h, _ = rnn(x)                                         # (B, T, H)
        loss = ((out(h) - y) ** 2).mean()                     # MSE over every step
        opt.zero_grad()
        loss.backward()
        limit = math.inf if max_norm is None else max_norm    # inf: measure, never clip
        norm = torch.nn.utils.clip_grad_norm_(params, limit)  # returns the PRE-clip norm
        opt.step()
        log["loss"].append(loss.item())
        log["grad_norm"].append(float(norm))
        with torch.no_grad():                                 # size of the weights after the step
            log["param_norm"].append(float(torch.sqrt(sum((p ** 2).sum() for p in params))))
    return log
# --8<-- [end:run]


def first_step(cfg: dict | None = None, seed: int = 0) -> dict:
    r"""What one *unclipped* SGD step does to the run of `experiment` (seed `seed`).

    Returns the gradient norm of each parameter at initialisation (torch names), the longest
    stretch of the first batch before a sequence's first pulse (`silent_prefix_max`), the
    fraction of hidden values $|h| > 0.99$ before and after the step, the global gradient
    norm of the recurrent layer's parameters after it (`recurrent_grad_after`), and
    $\eta\lambda_{\max}$ of the read-out's quadratic loss before and after: the Hessian of the
    MSE with respect to (W_hy, b_y) is $\tfrac{2}{BT}\sum a a^\top$ with $a = (h_t, 1)$, and
    gradient descent on that quadratic diverges when $\eta\lambda_{\max} > 2$.

    >>> tiny = dict(EXPERIMENT, hidden=4, steps=10, batch=4, iterations=3, seeds=[0])
    >>> info = first_step(tiny)
    >>> sorted(info["grad_norms"]), 0 <= info["silent_prefix_max"] <= tiny["steps"]
    (['bias_hh_l0', 'bias_ih_l0', 'bias_y', 'weight_hh_l0', 'weight_hy', 'weight_ih_l0'], True)
    """
    import torch

    from vgp.train import deterministic

    cfg = dict(EXPERIMENT if cfg is None else cfg)
    out = {}
    with deterministic():
        g = torch.Generator().manual_seed(seed)
        rnn, readout = _model(cfg, g)
        params = list(rnn.parameters()) + list(readout.parameters())
        opt = torch.optim.SGD(params, lr=cfg["lr"])
        for when in ("before", "after"):
            x, y = sign_memory_batch(cfg["batch"], cfg["steps"], pulse_prob=cfg["pulse_prob"], generator=g)
            h, _ = rnn(x)
            loss = ((readout(h) - y) ** 2).mean()
            opt.zero_grad()
            loss.backward()
            h = h.detach().reshape(-1, cfg["hidden"])                        # (B*T, H)
            a = torch.cat([h, torch.ones(h.shape[0], 1, dtype=h.dtype)], dim=1)
            lam = float(torch.linalg.eigvalsh(2.0 * a.T @ a / a.shape[0]).max())
            out[f"saturated_{when}"] = float((h.abs() > 0.99).double().mean())
            out[f"lr_lambda_{when}"] = cfg["lr"] * lam
            if when == "before":
                names = [n for n, _ in rnn.named_parameters()] + ["weight_hy", "bias_y"]
                out["grad_norms"] = {n: float(p.grad.norm()) for n, p in zip(names, params)}
                fired = x[:, :, 0] != 0                                      # (B, T)
                first = torch.where(fired.any(dim=1), fired.double().argmax(dim=1),
                                    torch.tensor(cfg["steps"]))
                out["silent_prefix_max"] = int(first.max())                  # steps with h = 0
                opt.step()                                                   # the unclipped step
            else:
                out["recurrent_grad_after"] = float(torch.sqrt(sum((p.grad ** 2).sum()
                                                                   for p in rnn.parameters())))
    return out


def _compute(cfg: dict) -> dict:
    from vgp.train import deterministic

    start = time.process_time()
    runs = {}
    with deterministic():
        for seed in cfg["seeds"]:
            for label, limit in (("unclipped", None), ("clipped", cfg["max_norm"])):
                runs[f"{label}-{seed}"] = train_sign_memory(cfg, seed, limit)
    return {"config": cfg, "runs": runs, "cpu_seconds": time.process_time() - start}


def experiment(config: dict | None = None) -> dict:
    """The with/without clipping runs (cached). `runs["clipped-0"]["loss"]` etc.; losses that
    overflowed are stored as the strings 'inf'/'nan' (see `as_float_array`).

    `config` has the keys of `EXPERIMENT` (the page's run). A tiny one, in a scratch cache
    directory so the page's cached run is left alone:

    >>> import os, tempfile
    >>> from unittest import mock
    >>> tiny = dict(EXPERIMENT, hidden=4, steps=10, batch=4, iterations=3, seeds=[0])
    >>> with tempfile.TemporaryDirectory() as tmp, mock.patch.dict(os.environ, {"VGP_CACHE_DIR": tmp}):
    ...     result = experiment(tiny)
    >>> sorted(result["runs"]), len(result["runs"]["clipped-0"]["loss"])
    (['clipped-0', 'unclipped-0'], 3)
    """
    cfg = dict(EXPERIMENT if config is None else config)
    return cached("clipping-sign-memory", cfg, _compute, module="vgp.clipping_demo")


def as_float_array(values) -> np.ndarray:
    """A cached list (where 'inf' and 'nan' are strings) back to a float array.

    >>> as_float_array([0.5, "inf", "nan"]).tolist()[:2]
    [0.5, inf]
    """
    return np.array([float(v) for v in values])
