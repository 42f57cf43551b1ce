r"""Named, declarative experiments; every training run cached on disk.

An `Experiment` is a name, a one-line description and a tuple of `RunConfig`s (see
`vgp.train`). Each run is cached by `vgp.cache.cached` under a name derived from its own
config, keyed on that config, the source of `vgp.train` and everything it imports, and the
library versions. Editing this file (adding a delay, a new experiment) therefore recomputes
only the runs whose configs are new; editing the training code recomputes them all. Two
experiments that list the same run share one cache file.

    result("copy-delays")      # computes missing runs, then reads them all from disk

The set is sized to run cold within 4 minutes on a 2-core CPU (`benchmarks/bench_experiments.py`
times it; `vgp experiment run all` runs it with a progress bar).
"""

from __future__ import annotations

import contextlib
import fcntl
import functools
import hashlib
import json
from dataclasses import dataclass, replace

from vgp import cache, numerics
from vgp._validate import integer
from vgp.summaries import summarise
from vgp.train import RunConfig, train

MODULE = "vgp.train"            # the code a run's cache key depends on
JOBS = 2                        # worker processes for missing runs (one torch thread each)


@dataclass(frozen=True)
class Experiment:
    """A named experiment: a one-line description and the `RunConfig` of every run.

    >>> exp = get("claim-c25-copy")
    >>> exp.name, len(exp.runs), exp.runs[0].cell, exp.runs[0].delay
    ('claim-c25-copy', 1, 'rnn', 20)
    """

    name: str
    description: str
    runs: tuple[RunConfig, ...]


# --8<-- [start:configs]
COPY = dict(task="copy", n_symbols=3, alphabet=4, hidden=64, batch=32, lr=1e-2,
            steps=1200, clip=1.0)
COPY_DELAYS = (10, 20, 40)
ADDING = dict(task="adding", hidden=64, batch=128, lr=1e-2, steps=600, clip=1.0)
ADDING_LENGTHS = (10, 20, 40)
LSTM_FORGET_BIAS = 1.0          # Jozefowicz et al. (2015); torch's own init is ~0


def _cells(base: dict, knob: tuple[int, ...]) -> tuple[RunConfig, ...]:
    return tuple(RunConfig(cell=cell, delay=d, **base,
                           forget_bias=LSTM_FORGET_BIAS if cell == "lstm" else None)
                 for cell in ("rnn", "lstm", "gru") for d in knob)


_PROFILE = dict(task="adding", delay=100, hidden=64, steps=0, profile_batch=128)

EXPERIMENTS = {e.name: e for e in (
    Experiment("copy-delays", "Copying task: RNN, LSTM, GRU against the delay",
               _cells(COPY, COPY_DELAYS)),
    Experiment("adding-lengths", "Adding problem: RNN, LSTM, GRU against the length",
               _cells(ADDING, ADDING_LENGTHS)),
    Experiment("claim-c25-copy",
               "Claim C25: vanilla RNN, copying (S=10, K=8, 20 blanks), H=64, Adam 1e-3, "
               "batch 32, 500 steps, clip 1.0",
               (RunConfig(task="copy", cell="rnn", delay=20, n_symbols=10, alphabet=8,
                          hidden=64, lr=1e-3, batch=32, steps=500, clip=1.0),)),
    Experiment("gating-forget-bias",
               "Gradient through the LSTM cell state at initialisation, forget bias 0/1/3, "
               "against the vanilla RNN (adding, T=100, 3 seeds)",
               tuple(RunConfig(cell=c, forget_bias=fb, seed=s, **_PROFILE)
                     for c, fb in (("rnn", None), ("lstm", 0.0), ("lstm", 1.0),
                                   ("lstm", 3.0), ("gru", None))
                     for s in range(3))),
    Experiment("gating-forget-bias-trained",
               "LSTM with forget bias 0 and 1 trained on the adding problem, T=40",
               tuple(replace(r, forget_bias=fb) for r in _cells(ADDING, (40,))
                     if r.cell == "lstm" for fb in (0.0, 1.0))),
    Experiment("home-gradient-vs-distance",
               "Gradient norm against distance from the loss, tanh RNN and LSTM, adding task",
               tuple(r for r in _cells(ADDING, ADDING_LENGTHS)
                     if r.delay == max(ADDING_LENGTHS) and r.cell != "gru")),
)}
# --8<-- [end:configs]


def run_name(cfg: RunConfig) -> str:
    """Cache name of one run: task, cell and a hash of the full config.

    >>> name = run_name(RunConfig("copy", "lstm", delay=20))
    >>> name[:10], len(name), name == run_name(RunConfig("copy", "lstm", delay=20, seed=1))
    ('copy-lstm-', 20, False)
    """
    blob = json.dumps(cfg.as_dict(), sort_keys=True).encode()
    return f"{cfg.task}-{cfg.cell}-{hashlib.sha256(blob).hexdigest()[:10]}"


def get(name: str) -> Experiment:
    """The experiment called `name` (a key of `EXPERIMENTS`); KeyError names the known ones.

    >>> get("copy-delays").description
    'Copying task: RNN, LSTM, GRU against the delay'
    >>> get("copy-delay")
    Traceback (most recent call last):
    ...
    KeyError: "unknown experiment 'copy-delay'; known: ...
    """
    if not isinstance(name, str):
        raise TypeError(f"name must be a string, got {type(name).__name__}")
    if name not in EXPERIMENTS:
        raise KeyError(f"unknown experiment {name!r}; known: {', '.join(EXPERIMENTS)}")
    return EXPERIMENTS[name]


def is_cached(cfg: RunConfig) -> bool:
    """True if run `cfg` is on disk for the current code, so `run` only reads it.

    >>> import os, tempfile
    >>> from unittest import mock
    >>> tiny = RunConfig("adding", "rnn", delay=4, hidden=4, steps=2, batch=4, eval_batch=8,
    ...                  profile_batch=4)
    >>> with tempfile.TemporaryDirectory() as tmp, mock.patch.dict(os.environ, {"VGP_CACHE_DIR": tmp}):
    ...     before = is_cached(tiny)
    ...     _ = run(tiny)
    ...     after = is_cached(tiny)
    >>> before, after
    (False, True)
    """
    return cache.path_for(run_name(cfg), cfg.as_dict(), MODULE).is_file()


@contextlib.contextmanager
def _lock(cfg: RunConfig, *, wait: bool = True):
    """Only one process computes a given run; others wait (or, with wait=False, skip it).

    Yields whether the lock was taken."""
    path = cache.cache_dir() / f"{run_name(cfg)}.lock"
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "w") as fh:
        try:
            fcntl.flock(fh, fcntl.LOCK_EX | (0 if wait else fcntl.LOCK_NB))
        except BlockingIOError:
            yield False
            return
        try:
            yield True
        finally:
            fcntl.flock(fh, fcntl.LOCK_UN)


def run(cfg: RunConfig, progress=None) -> dict:
    """The result of one run, from the cache or computed (and cached).

    The dict `vgp.train.train` returns. A two-step run, in a scratch cache directory:

    >>> import os, tempfile
    >>> from unittest import mock
    >>> tiny = RunConfig("adding", "rnn", delay=4, hidden=4, steps=2, batch=4, eval_batch=8,
    ...                  profile_batch=4)
    >>> with tempfile.TemporaryDirectory() as tmp, mock.patch.dict(os.environ, {"VGP_CACHE_DIR": tmp}):
    ...     r = run(tiny)
    >>> len(r["loss"]), r["config"] == tiny.as_dict()
    (2, True)
    """
    if not isinstance(cfg, RunConfig):
        raise TypeError(f"cfg must be a RunConfig, got {type(cfg).__name__}")
    with _lock(cfg):
        if progress is not None and not numerics.is_portable() and not is_cached(cfg):
            raise RuntimeError("progress needs a portable process (vgp.numerics.enter() before "
                               "torch is imported): the run can not report from another one")
        return cache.cached(run_name(cfg), cfg.as_dict(),
                            functools.partial(_train, progress=progress), module=MODULE)


def _train(config: dict, progress=None) -> dict:
    return train(RunConfig(**config), progress)


def _run_if_free(cfg: RunConfig) -> bool:
    """Worker entry point: compute `cfg` unless another process is already computing it."""
    with _lock(cfg, wait=False) as free:
        if free:
            cache.cached(run_name(cfg), cfg.as_dict(), _train, module=MODULE)
    return free


def cost(cfg: RunConfig) -> float:
    r"""Rough relative cost of a run (steps x sequence length x batch and cell factors),
    used to start the longest runs first: $(\text{steps} + 5)\, L\, (B/32)^{0.7}\, c_{\text{cell}}$.

    >>> rnn, gru = RunConfig("adding", "rnn", delay=20), RunConfig("adding", "gru", delay=20)
    >>> cost(gru) / cost(rnn), cost(RunConfig("adding", "rnn", delay=30)) / cost(rnn)
    (2.0, 1.5)
    """
    T = 2 * cfg.n_symbols + cfg.delay + 1 if cfg.task == "copy" else cfg.delay
    cell = {"rnn": 1.0, "lstm": 1.2, "gru": 2.0}[cfg.cell]
    return (cfg.steps + 5) * T * (cfg.batch / 32) ** 0.7 * cell


def all_runs() -> tuple[RunConfig, ...]:
    """Every distinct run of every named experiment.

    Runs that two experiments share appear once:

    >>> n = sum(len(exp.runs) for exp in EXPERIMENTS.values())
    >>> len(all_runs()) == len(set(all_runs())), len(all_runs()) < n
    (True, True)
    """
    return tuple(dict.fromkeys(c for exp in EXPERIMENTS.values() for c in exp.runs))


def runs_of(name: str, *, seed: int | None = None) -> tuple[RunConfig, ...]:
    """The run configs of experiment `name`; with `seed`, each run repeated with that seed.

    >>> len(runs_of("copy-delays")), {c.seed for c in runs_of("copy-delays", seed=3)}
    (9, {3})
    """
    runs = get(name).runs
    if seed is None:
        return runs
    seed = integer("seed", seed, minimum=0)
    return tuple(dict.fromkeys(replace(c, seed=seed) for c in runs))


def compute(runs, *, jobs: int = JOBS) -> list[RunConfig]:
    """Compute the runs that are not cached, longest first, `jobs` processes at a time.

    Returns the runs that were missing. A run another process is already computing is
    skipped by the workers and waited for at the end, so parallel builds never duplicate work.

    >>> import os, tempfile
    >>> from unittest import mock
    >>> tiny = RunConfig("adding", "rnn", delay=4, hidden=4, steps=2, batch=4, eval_batch=8,
    ...                  profile_batch=4)
    >>> with tempfile.TemporaryDirectory() as tmp, mock.patch.dict(os.environ, {"VGP_CACHE_DIR": tmp}):
    ...     first, second = compute([tiny], jobs=1), compute([tiny], jobs=1)
    >>> len(first), second
    (1, [])
    """
    jobs = integer("jobs", jobs, minimum=1)
    missing = sorted(dict.fromkeys(c for c in runs if not is_cached(c)), key=cost, reverse=True)
    if len(missing) > 1 and jobs > 1:
        # fresh interpreters with the portable code paths (no forked torch thread pools)
        with numerics.pool(min(jobs, len(missing))) as ex:
            list(ex.map(_run_if_free, missing, chunksize=1))
    for cfg in missing:
        run(cfg)                           # waits for runs computed elsewhere; computes leftovers
    return missing


def result(name: str, *, seed: int | None = None, jobs: int = JOBS) -> dict:
    """Summary dict of experiment `name` (see `vgp.summaries.summarise`).

    If a run of `name` is not cached, every missing run of every experiment is computed
    first (`jobs` at a time, longest first): a cold build needs them all, and one pool keeps
    both cores busy. With `seed`, only this experiment's runs, repeated with that seed.

    >>> sorted(get("claim-c25-copy").runs[0].as_dict())[:4]   # result() of it is read on the pages
    ['alphabet', 'batch', 'cell', 'clip']
    """
    exp = get(name)
    runs = runs_of(name, seed=seed)
    if not all(is_cached(c) for c in runs):
        compute(runs + (all_runs() if seed is None else ()), jobs=jobs)
    return summarise(exp.name, exp.description, [run(c) for c in runs])


def timings() -> dict:
    """Recorded compute time of every experiment, each shared run counted once (first use).

    Keys: per_experiment {name: seconds}, per_experiment_cpu, total, cpu_total, runs, steps.
    Seconds are the wall times the runs took when they were computed (in whatever process and
    under whatever load that was); cpu_* are the CPU times of the same runs.

    It computes every missing run first, so the example swaps in two tiny experiments that
    share their only run (scratch cache directory):

    >>> import os, tempfile
    >>> from unittest import mock
    >>> tiny = RunConfig("adding", "rnn", delay=4, hidden=4, steps=2, batch=4, eval_batch=8,
    ...                  profile_batch=4)
    >>> two = {"a": Experiment("a", "first", (tiny,)), "b": Experiment("b", "second", (tiny,))}
    >>> with tempfile.TemporaryDirectory() as tmp, mock.patch.dict(os.environ, {"VGP_CACHE_DIR": tmp}):
    ...     with mock.patch.dict(EXPERIMENTS, two, clear=True):
    ...         t = timings()
    >>> t["runs"], t["steps"], t["per_experiment"]["b"]
    (1, 2, 0.0)
    """
    seen: set[str] = set()
    out = {"per_experiment": {}, "per_experiment_cpu": {}, "runs": 0, "steps": 0}
    for name, exp in EXPERIMENTS.items():
        compute(exp.runs)
        wall = cpu = 0.0
        for cfg in exp.runs:
            key = run_name(cfg)
            if key in seen:
                continue
            seen.add(key)
            r = run(cfg)
            wall, cpu = wall + r["seconds"], cpu + r["cpu_seconds"]
            out["runs"] += 1
            out["steps"] += cfg.steps
        out["per_experiment"][name], out["per_experiment_cpu"][name] = wall, cpu
    out["total"] = sum(out["per_experiment"].values())
    out["cpu_total"] = sum(out["per_experiment_cpu"].values())
    return out
