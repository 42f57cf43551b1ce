r"""One training loop for every model and task: Adam, global-norm clipping, logging.

A run is fully described by a `RunConfig` (plain fields, JSON-able, the cache key). `train`
returns a dict with the loss, task metric and pre-clip global gradient norm of every step,
the evaluation on a fresh batch, the baseline, and the per-timestep gradient profiles
(`vgp.gradprofile`) at initialisation and after training.

Seeds: the model is initialised from `seed`, training batches come from a generator seeded
with `seed + 1_000_000`, the evaluation batch from `seed + 2_000_000` and the batch on which
gradient profiles are measured from `seed + 3_000_000`, so the four streams never overlap. Runs are deterministic on CPU: `deterministic()` sets
`torch.use_deterministic_algorithms(True)` and a fixed thread count, and restores both after.
"""

from __future__ import annotations

import contextlib
import time
from dataclasses import asdict, dataclass

import torch
import torch.nn.functional as F

from vgp._validate import choice, integer, real
from vgp.gradprofile import forget_gates, gate_summary, gradient_profile
from vgp.models import CELLS, SequenceModel
from vgp.tasks import adding_baseline, adding_batch, copying_baseline, copying_batch

TASKS = ("copy", "adding")
THREADS = 1  # torch threads per run: small recurrent nets are dispatch-bound, 1 is fastest


@dataclass(frozen=True)
class RunConfig:
    """One training run. `delay`: copy -> blanks d between message and delimiter;
    adding -> sequence length T (the first marker is at least T/2 steps from the end).

    Fields are validated on construction; `as_dict` is the cache key's content.

    >>> cfg = RunConfig("copy", "lstm", delay=20, steps=100)
    >>> cfg.as_dict()["hidden"], cfg.as_dict()["clip"]
    (64, 1.0)
    >>> RunConfig("copy", "transformer", delay=20)
    Traceback (most recent call last):
    ...
    ValueError: cell must be one of ['gru', 'lstm', 'rnn'], got 'transformer'
    """

    task: str
    cell: str
    delay: int
    hidden: int = 64
    steps: int = 500
    batch: int = 32
    lr: float = 1e-3
    clip: float = 1.0
    seed: int = 0
    n_symbols: int = 10
    alphabet: int = 8
    forget_bias: float | None = None
    eval_batch: int = 512
    profile_batch: int = 64

    def __post_init__(self):
        choice("task", self.task, TASKS)
        choice("cell", self.cell, CELLS)
        integer("delay", self.delay, minimum=0 if self.task == "copy" else 2)
        for name in ("hidden", "batch", "n_symbols", "eval_batch", "profile_batch"):
            integer(name, getattr(self, name), minimum=1)
        integer("steps", self.steps, minimum=0)
        integer("seed", self.seed, minimum=0)
        integer("alphabet", self.alphabet, minimum=2)
        real("lr", self.lr, minimum=0.0, strict_min=True)
        real("clip", self.clip, minimum=0.0, strict_min=True)

    def as_dict(self) -> dict:
        """Every field by name (JSON-able)."""
        return asdict(self)


@contextlib.contextmanager
def deterministic(threads: int = THREADS):
    """Deterministic CPU torch with a fixed thread count, restored on exit.

    >>> before = torch.are_deterministic_algorithms_enabled()
    >>> with deterministic(threads=1):
    ...     torch.get_num_threads(), torch.are_deterministic_algorithms_enabled()
    (1, True)
    >>> torch.are_deterministic_algorithms_enabled() == before
    True
    """
    old_threads, old_det = torch.get_num_threads(), torch.are_deterministic_algorithms_enabled()
    torch.set_num_threads(integer("threads", threads, minimum=1))
    torch.use_deterministic_algorithms(True)
    try:
        yield
    finally:
        torch.set_num_threads(old_threads)
        torch.use_deterministic_algorithms(old_det)


class Task:
    r"""Batches, inputs, loss and metric of one task, as the loop needs them.

    Copy inputs are one-hot over $K + 2$ tokens and outputs are logits over $K + 1$; uniform
    logits give the cross-entropy $\ln(K + 1)$:

    >>> import math
    >>> task = Task(RunConfig("copy", "gru", delay=5))
    >>> x, y = task.batch(2, torch.Generator().manual_seed(0))
    >>> task.sizes, x.shape, y.shape
    ((10, 9), torch.Size([2, 26, 10]), torch.Size([2, 26]))
    >>> f"{task.loss(torch.zeros(2, 26, 9), y).item():.4f}", f"{math.log(9):.4f}"
    ('2.1972', '2.1972')
    """

    def __init__(self, cfg: RunConfig):
        self.cfg = cfg
        self.vocab = cfg.alphabet + 2                    # blank, K symbols, delimiter
        if cfg.task == "copy":
            self.sizes = (self.vocab, cfg.alphabet + 1)  # (D, O): one-hot in, blank+K out
            self.baseline = copying_baseline(cfg.delay, n_symbols=cfg.n_symbols,
                                             alphabet=cfg.alphabet)
        else:
            self.sizes = (2, 1)
            self.baseline = adding_baseline()

    def batch(self, size: int, g: torch.Generator):
        """(x (B, T, D) float32, target)."""
        c = self.cfg
        if c.task == "copy":
            b = copying_batch(size, c.delay, n_symbols=c.n_symbols, alphabet=c.alphabet,
                              generator=g)
            return F.one_hot(b.x, self.vocab).float(), b.y
        b = adding_batch(size, c.delay, generator=g)
        return b.x, b.y

    def loss(self, y: torch.Tensor, target: torch.Tensor) -> torch.Tensor:
        """Copy: cross-entropy averaged over all L positions. Adding: MSE of the last output."""
        if self.cfg.task == "copy":
            return F.cross_entropy(y.reshape(-1, y.shape[-1]), target.reshape(-1))
        return ((y[:, -1, 0] - target) ** 2).mean()

    def metric(self, y: torch.Tensor, target: torch.Tensor) -> float:
        """Copy: recall accuracy over the last S positions. Adding: MSE."""
        if self.cfg.task == "copy":
            S = self.cfg.n_symbols
            return float((y[:, -S:].argmax(-1) == target[:, -S:]).float().mean())
        return float(((y[:, -1, 0] - target) ** 2).mean())


# --8<-- [start:train]
def train(cfg: RunConfig, progress=None) -> dict:
    """Train one model on one task; `progress(loss)` is called after every step.

    Each step: Adam on the task loss, after clipping the global gradient norm to `cfg.clip`
    (the logged `grad_norm` is the norm before clipping). A three-step run of a tiny model:

    >>> cfg = RunConfig("adding", "rnn", delay=6, hidden=4, steps=3, batch=4, eval_batch=8,
    ...                 profile_batch=4)
    >>> r = train(cfg)
    >>> len(r["loss"]), len(r["grad_norm"]), f"{r['baseline']:.4f}", sorted(r["profile_init"])
    (3, 3, '0.1667', ['h'])
    """
    if not isinstance(cfg, RunConfig):
        raise TypeError(f"cfg must be a RunConfig, got {type(cfg).__name__}")
    start, cpu_start = time.perf_counter(), time.process_time()
    with deterministic():
        task = Task(cfg)
        D, O = task.sizes
        model = SequenceModel(cfg.cell, D, cfg.hidden, O, seed=cfg.seed,
                              forget_bias=cfg.forget_bias)
        g_train = torch.Generator().manual_seed(cfg.seed + 1_000_000)
        g_eval = torch.Generator().manual_seed(cfg.seed + 2_000_000)
        g_prof = torch.Generator().manual_seed(cfg.seed + 3_000_000)
        x_prof, t_prof = task.batch(cfg.profile_batch, g_prof)     # for gradient profiles
        profile_init = gradient_profile(model, x_prof, lambda y: task.loss(y, t_prof))
        gates = {}
        if cfg.cell == "lstm":
            gates["forget_init"] = gate_summary(forget_gates(model, x_prof))
        opt = torch.optim.Adam(model.parameters(), lr=cfg.lr)
        log = {"loss": [], "metric": [], "grad_norm": []}
        for _ in range(cfg.steps):
            x, target = task.batch(cfg.batch, g_train)
            y = model(x)                                           # (B, T, O)
            loss = task.loss(y, target)
            opt.zero_grad()
            loss.backward()
            norm = torch.nn.utils.clip_grad_norm_(model.parameters(), cfg.clip)  # pre-clip
            opt.step()
            log["loss"].append(loss.item())
            log["metric"].append(task.metric(y.detach(), target))
            log["grad_norm"].append(norm.item())
            if progress is not None:
                progress(log["loss"][-1])
        with torch.no_grad():
            x, target = task.batch(cfg.eval_batch, g_eval)         # fresh, seeded
            y = model(x)
            eval_loss, eval_metric = float(task.loss(y, target)), task.metric(y, target)
        if cfg.steps:
            profile_final = gradient_profile(model, x_prof, lambda y: task.loss(y, t_prof))
            if cfg.cell == "lstm":
                gates["forget_final"] = gate_summary(forget_gates(model, x_prof))
        else:                                                      # untrained: nothing moved
            profile_final = profile_init
            if cfg.cell == "lstm":
                gates["forget_final"] = gates["forget_init"]
    return {"config": cfg.as_dict(), "baseline": task.baseline, **log,
            "eval_loss": eval_loss, "eval_metric": eval_metric,
            "profile_init": profile_init, "profile_final": profile_final, **gates,
            "seconds": time.perf_counter() - start,
            "cpu_seconds": time.process_time() - cpu_start, "threads": THREADS}
# --8<-- [end:train]
