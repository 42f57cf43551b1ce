"""The training loop: determinism, logging, clipping, a tiny task actually learned, errors."""

import pytest
import torch

from vgp.train import RunConfig, Task, deterministic, train

TINY = dict(hidden=8, steps=6, batch=4, eval_batch=16, profile_batch=4)


@pytest.mark.parametrize("task, cell, delay", [("copy", "rnn", 2), ("adding", "lstm", 6),
                                               ("copy", "gru", 0)])
def test_run_shapes_and_keys(task, cell, delay):
    cfg = RunConfig(task=task, cell=cell, delay=delay, n_symbols=2, alphabet=3, **TINY)
    r = train(cfg)
    assert len(r["loss"]) == len(r["metric"]) == len(r["grad_norm"]) == 6
    T = delay if task == "adding" else 2 * 2 + delay + 1
    assert len(r["profile_init"]["h"]) == len(r["profile_final"]["h"]) == T
    assert ("c" in r["profile_final"]) == (cell == "lstm")
    assert r["config"] == cfg.as_dict() and r["baseline"] > 0
    assert r["seconds"] > 0 and r["threads"] == 1


def test_deterministic_and_seed_sensitive():
    cfg = RunConfig(task="copy", cell="lstm", delay=3, forget_bias=1.0, **TINY)
    a, b = train(cfg), train(cfg)
    c = train(RunConfig(task="copy", cell="lstm", delay=3, forget_bias=1.0, seed=1, **TINY))
    for key in ("loss", "grad_norm", "eval_loss", "eval_metric"):
        assert a[key] == b[key]
    assert a["loss"] != c["loss"]


def test_progress_and_clipping_norm_is_pre_clip():
    seen = []
    cfg = RunConfig(task="adding", cell="rnn", delay=5, clip=1e-3, **TINY)
    r = train(cfg, progress=seen.append)
    assert seen == r["loss"]
    assert min(r["grad_norm"]) > 1e-3       # logged before clipping, so above the clip value


def test_deterministic_context_restores_state():
    threads, det = torch.get_num_threads(), torch.are_deterministic_algorithms_enabled()
    with deterministic(1):
        assert torch.get_num_threads() == 1 and torch.are_deterministic_algorithms_enabled()
    assert torch.get_num_threads() == threads
    assert torch.are_deterministic_algorithms_enabled() == det


def test_learns_a_short_copy():
    """Sanity: a GRU remembers one of two symbols over one blank within 150 steps."""
    cfg = RunConfig(task="copy", cell="gru", delay=1, n_symbols=1, alphabet=2, hidden=16,
                    steps=150, batch=32, lr=1e-2, eval_batch=256, profile_batch=4)
    r = train(cfg)
    assert r["eval_metric"] > 0.95 and r["eval_loss"] < 0.2 * r["baseline"]


def test_task_metric_and_loss():
    cfg = RunConfig(task="copy", cell="rnn", delay=2, n_symbols=2, alphabet=3, **TINY)
    task = Task(cfg)
    x, y = task.batch(5, torch.Generator().manual_seed(0))
    assert x.shape == (5, 7, 5) and task.sizes == (5, 4)
    perfect = torch.nn.functional.one_hot(y, 4).double() * 100
    assert task.metric(perfect, y) == 1.0 and float(task.loss(perfect, y)) < 1e-10


@pytest.mark.parametrize("kw, exc", [
    (dict(task="sort"), ValueError), (dict(cell="tcn"), ValueError),
    (dict(delay=-1), ValueError), (dict(lr=0.0), ValueError), (dict(clip=-1.0), ValueError),
    (dict(steps=2.5), TypeError), (dict(task="adding", delay=1), ValueError),
    (dict(alphabet=1), ValueError),
])
def test_config_validation(kw, exc):
    base = dict(task="copy", cell="rnn", delay=3)
    with pytest.raises(exc):
        RunConfig(**{**base, **kw})


def test_train_rejects_non_config():
    with pytest.raises(TypeError):
        train({"task": "copy"})
