r"""Truncated backpropagation through time (TBPTT) and what its truncation length can learn.

A long stream $x_1, x_2, \dots$ is cut into chunks of $k$ steps. The hidden state is carried
from one chunk to the next (the forward pass never forgets), but it is **detached**: for
the backward pass the first state of a chunk is a constant. The gradient of a loss at step
$t$ therefore reaches back at most to the first step of its chunk,

$$
\frac{\partial \ell_t}{\partial W}\Big|_{\text{TBPTT}}
  = \sum_{s = s_0}^{t} \frac{\partial \ell_t}{\partial h_t}
    \frac{\partial h_t}{\partial h_s} \frac{\partial^+ h_s}{\partial W},
\qquad s_0 = \text{first step of the chunk holding } t,
$$

instead of summing over every $s \le t$. Memory is $O(k)$ stored states per update instead
of $O(T)$, and the price is the horizon: a target that depends on an input more than
$t - s_0$ steps back gets no gradient linking the two.

The experiment here is the *delayed echo*: a stream of random bits, and the target at step
$t$ is the input bit from `lag` steps earlier. A loss at chunk position $j$ (0-based) can see
its source only if $j \ge$ `lag`, so a fraction $\max(0, k - \text{lag})/k$ of the targets
carry a learning signal (`gradient_path_fraction`), and none do when $k \le$ `lag`.

torch is imported inside the functions; every random draw uses a seeded `torch.Generator`.
"""

from __future__ import annotations

import time

import numpy as np

from vgp._validate import integer, real
from vgp.cache import cached

#: The sweep shown on the BPTT page: every lag against every truncation length, two seeds.
EXPERIMENT = {
    "lags": [2, 4, 6],
    "ks": [2, 3, 4, 5, 6, 7, 8, 12],
    "seeds": [0, 1],
    "hidden": 16,
    "batch": 64,
    "steps": 1500,
    "lr": 0.01,
    "test_batch": 256,
    "test_steps": 200,
    "success": 0.95,
}


def gradient_path_fraction(lag: int, k: int) -> float:
    r"""Fraction of delayed-echo targets whose source input lies in the same TBPTT chunk.

    The target at chunk position $j = 0, \dots, k-1$ is the input at position $j - \text{lag}$,
    which is inside the chunk iff $j \ge \text{lag}$: $\max(0, k - \text{lag}) / k$.

    >>> gradient_path_fraction(4, 4), gradient_path_fraction(4, 5), gradient_path_fraction(4, 8)
    (0.0, 0.2, 0.5)
    """
    lag = integer("lag", lag, minimum=1)
    k = integer("k", k, minimum=1)
    return max(0, k - lag) / k


def echo_stream(batch: int, steps: int, lag: int, generator):
    r"""Random bits x (batch, steps + lag) as floats 0/1; the target at step $t$ is $x_{t - \text{lag}}$.

    >>> import torch
    >>> x = echo_stream(2, 6, 2, torch.Generator().manual_seed(0))
    >>> x.shape, x.dtype, x[0].tolist()
    (torch.Size([2, 8]), torch.float64, [0.0, 1.0, 1.0, 0.0, 1.0, 1.0, 1.0, 1.0])
    """
    import torch

    batch = integer("batch", batch, minimum=1)
    steps = integer("steps", steps, minimum=1)
    lag = integer("lag", lag, minimum=1)
    if not isinstance(generator, torch.Generator):
        raise TypeError(f"generator must be a torch.Generator, got {type(generator).__name__}")
    return torch.randint(0, 2, (batch, steps + lag), generator=generator).to(torch.float64)


def make_model(hidden: int, generator):
    r"""A tanh RNN (1 input, `hidden` units) and a linear read-out, float64, seeded init.

    Every weight is drawn from $U(-1/\sqrt{H}, 1/\sqrt{H})$ (torch's default range) with `generator`:
    $h_t = \tanh(W_{ih} x_t + b_{ih} + W_{hh} h_{t-1} + b_{hh})$, logit $W_{hy} h_t + b_y$.

    >>> import torch
    >>> rnn, out = make_model(4, torch.Generator().manual_seed(0))
    >>> rnn.weight_hh_l0.shape, out.weight.shape
    (torch.Size([4, 4]), torch.Size([1, 4]))
    >>> bool(rnn.weight_hh_l0.abs().max() <= 0.5)          # 1/sqrt(4)
    True
    """
    import torch

    hidden = integer("hidden", hidden, minimum=1)
    rnn = torch.nn.RNN(1, hidden, nonlinearity="tanh", batch_first=True, dtype=torch.float64)
    out = torch.nn.Linear(hidden, 1, dtype=torch.float64)
    bound = 1.0 / hidden**0.5
    with torch.no_grad():
        for p in (*rnn.parameters(), *out.parameters()):
            p.copy_((torch.rand(p.shape, generator=generator, dtype=torch.float64) * 2 - 1) * bound)
    return rnn, out


# --8<-- [start:tbptt]
def tbptt_epoch(rnn, out, optimizer, x, lag: int, k: int) -> list[float]:
    r"""One pass of truncated BPTT over a stream x (B, lag + N): chunks of k steps.

    The state is carried across chunks but detached, so each backward pass stops at the
    chunk boundary. Returns the loss of every chunk: the mean binary cross-entropy of its
    k logits $o_t$ against the bits `lag` steps back,
    $-\frac{1}{Bk}\sum_{b,t} \big[x_{t-\text{lag}} \ln \sigma(o_t) + (1 - x_{t-\text{lag}}) \ln(1 - \sigma(o_t))\big]$. A stream of 12 supervised steps is 3 chunks of 4:

    >>> import torch
    >>> rnn, out = make_model(4, torch.Generator().manual_seed(0))
    >>> opt = torch.optim.Adam([*rnn.parameters(), *out.parameters()], lr=0.01)
    >>> x = echo_stream(4, 12, 2, torch.Generator().manual_seed(1))
    >>> [f"{loss:.2f}" for loss in tbptt_epoch(rnn, out, opt, x, lag=2, k=4)]
    ['0.78', '0.80', '0.65']
    """
    import torch
    import torch.nn.functional as F

    B, total = x.shape
    h = torch.zeros(1, B, rnn.hidden_size, dtype=x.dtype)   # (layers, B, H)
    losses = []
    for start in range(lag, total - k + 1, k):               # chunk = steps start .. start+k-1
        inputs = 2 * x[:, start:start + k, None] - 1         # (B, k, 1), bits as -1/+1
        target = x[:, start - lag:start - lag + k]           # (B, k): the bit from `lag` ago
        h = h.detach()              # keep the value, cut the graph: the truncation
        states, h = rnn(inputs, h)  # (B, k, H); h is the last state, carried on
        loss = F.binary_cross_entropy_with_logits(out(states).squeeze(-1), target)
        optimizer.zero_grad()
        loss.backward()             # reaches back k steps at most
        optimizer.step()
        losses.append(loss.item())
    return losses
# --8<-- [end:tbptt]


def echo_accuracy(rnn, out, lag: int, *, batch: int, steps: int, generator) -> float:
    r"""Fraction of bits recalled correctly on a fresh stream (full forward pass, no truncation).

    The prediction at step $t$ is the sign of the logit; it is right if it equals $x_{t-\text{lag}}$.
    An untrained model is a coin toss:

    >>> import torch
    >>> rnn, out = make_model(4, torch.Generator().manual_seed(0))
    >>> acc = echo_accuracy(rnn, out, 2, batch=64, steps=50, generator=torch.Generator().manual_seed(2))
    >>> 0.4 < acc < 0.6
    True
    """
    import torch

    x = echo_stream(batch, steps, lag, generator)
    with torch.no_grad():
        states, _ = rnn((2 * x - 1)[:, :, None])
        predicted = (out(states).squeeze(-1) > 0).to(x.dtype)
    return float((predicted[:, lag:] == x[:, :-lag]).to(torch.float64).mean())


def train_echo(lag: int, k: int, *, seed: int, hidden: int = 16, batch: int = 64,
               steps: int = 1500, lr: float = 0.01, test_batch: int = 256,
               test_steps: int = 200) -> dict:
    r"""Train on one stream of `steps` supervised steps with TBPTT length k; test recall.

    Returns accuracy (on a fresh stream), the number of updates, the loss of every chunk and
    the wall time in seconds. Deterministic for a given seed (one torch thread).
    Updates: one per full chunk, $\lfloor \text{steps}/k \rfloor$. A tiny run:

    >>> r = train_echo(2, 4, seed=0, hidden=4, batch=4, steps=12, test_batch=8, test_steps=10)
    >>> r["updates"], len(r["losses"]), 0.0 <= r["accuracy"] <= 1.0
    (3, 3, True)
    """
    import torch

    lag = integer("lag", lag, minimum=1)
    k = integer("k", k, minimum=1)
    seed = integer("seed", seed, minimum=0)
    steps = integer("steps", steps, minimum=k)
    test_steps = integer("test_steps", test_steps, minimum=lag + 1)
    lr = real("lr", lr, minimum=0.0, strict_min=True)
    threads = torch.get_num_threads()
    torch.set_num_threads(1)                                 # bitwise reproducible
    try:
        start = time.process_time()
        g = torch.Generator().manual_seed(seed)
        rnn, out = make_model(hidden, g)
        opt = torch.optim.Adam([*rnn.parameters(), *out.parameters()], lr=lr)
        losses = tbptt_epoch(rnn, out, opt, echo_stream(batch, steps, lag, g), lag, k)
        acc = echo_accuracy(rnn, out, lag, batch=test_batch, steps=test_steps, generator=g)
        seconds = time.process_time() - start
    finally:
        torch.set_num_threads(threads)
    return {"accuracy": acc, "updates": len(losses), "losses": losses, "seconds": seconds}


def _sweep(config: dict) -> dict:
    accuracy = np.zeros((len(config["lags"]), len(config["ks"]), len(config["seeds"])))
    seconds = np.zeros_like(accuracy)
    updates = np.zeros(len(config["ks"]), dtype=int)
    for a, lag in enumerate(config["lags"]):
        for b, k in enumerate(config["ks"]):
            for c, seed in enumerate(config["seeds"]):
                r = train_echo(lag, k, seed=seed, hidden=config["hidden"], batch=config["batch"],
                               steps=config["steps"], lr=config["lr"],
                               test_batch=config["test_batch"], test_steps=config["test_steps"])
                accuracy[a, b, c], seconds[a, b, c], updates[b] = (
                    r["accuracy"], r["seconds"], r["updates"])
    return {"config": config, "accuracy": accuracy, "seconds": seconds, "updates": updates,
            "total_seconds": float(seconds.sum())}


def experiment(config: dict | None = None) -> dict:
    """The truncation sweep (cached): accuracy[lag][k][seed], seconds, updates per k.

    `config` has the keys of `EXPERIMENT` (the sweep on the BPTT page). A tiny sweep, in a
    scratch cache directory so the page's cached sweep is left alone:

    >>> import os, tempfile
    >>> from unittest import mock
    >>> tiny = dict(EXPERIMENT, lags=[2], ks=[1, 4], seeds=[0], hidden=4, batch=4, steps=12,
    ...             test_batch=8, test_steps=10)
    >>> with tempfile.TemporaryDirectory() as tmp, mock.patch.dict(os.environ, {"VGP_CACHE_DIR": tmp}):
    ...     r = experiment(tiny)
    >>> np.shape(r["accuracy"]), r["updates"]                 # (lags, ks, seeds); updates per k
    ((1, 2, 1), [12, 3])
    """
    config = dict(EXPERIMENT if config is None else config)
    for key in ("lags", "ks", "seeds"):
        if not isinstance(config.get(key), list) or not config[key]:
            raise ValueError(f"config[{key!r}] must be a non-empty list of integers")
        for v in config[key]:
            integer(f"config[{key!r}] entry", v, minimum=0 if key == "seeds" else 1)
    return cached("truncation-echo", config, _sweep, module="vgp.truncation")


def success_table(result: dict) -> list[tuple[int, int, float, bool]]:
    """Rows (lag, k, worst accuracy over seeds, every seed >= the success threshold).

    >>> result = {"config": {"lags": [2], "ks": [2, 4], "success": 0.95},
    ...           "accuracy": [[[0.50, 0.52], [0.99, 0.97]]]}       # [lag][k][seed]
    >>> success_table(result)
    [(2, 2, 0.5, False), (2, 4, 0.97, True)]
    """
    cfg = result["config"]
    acc = np.asarray(result["accuracy"])
    rows = []
    for a, lag in enumerate(cfg["lags"]):
        for b, k in enumerate(cfg["ks"]):
            worst = float(acc[a, b].min())
            rows.append((lag, k, worst, bool(worst >= cfg["success"])))
    return rows
