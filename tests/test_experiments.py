"""Named experiments: declarations, caching per run (hit, miss, what changes recompute), locks."""

import re

import pytest

from vgp import experiments
from vgp.experiments import EXPERIMENTS, Experiment, RunConfig, result, run_name, runs_of
from vgp.summaries import SOLVED_RATIO, summarise_run, table

TINY = dict(hidden=6, steps=4, batch=4, eval_batch=8, profile_batch=2)


@pytest.fixture
def tiny(monkeypatch, tmp_path):
    """A registry holding only tiny experiments (so a cache miss never trains the real set)."""
    monkeypatch.setenv("VGP_CACHE_DIR", str(tmp_path))
    runs = (RunConfig(task="copy", cell="rnn", delay=2, n_symbols=2, alphabet=3, **TINY),
            RunConfig(task="adding", cell="lstm", delay=5, forget_bias=1.0, **TINY))
    registry = {"tiny": Experiment("tiny", "two tiny runs", runs),
                "other": Experiment("other", "one more", (
                    RunConfig(task="adding", cell="gru", delay=4, **TINY),))}
    monkeypatch.setattr(experiments, "EXPERIMENTS", registry)
    return tmp_path


def test_declarations():
    assert {"copy-delays", "adding-lengths", "claim-c25-copy", "gating-forget-bias",
            "home-gradient-vs-distance"} <= set(EXPERIMENTS)
    for name, exp in EXPERIMENTS.items():
        assert re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", name) and exp.name == name
        names = [run_name(c) for c in exp.runs]
        assert len(names) == len(set(names)), name
    cells = {(c.cell, c.delay) for c in EXPERIMENTS["copy-delays"].runs}
    assert cells == {(c, d) for c in ("rnn", "lstm", "gru") for d in experiments.COPY_DELAYS}


def test_claim_c25_setup_is_exactly_the_claim():
    (cfg,) = EXPERIMENTS["claim-c25-copy"].runs
    assert (cfg.task, cfg.cell, cfg.n_symbols, cfg.alphabet, cfg.delay) == ("copy", "rnn", 10, 8, 20)
    assert (cfg.hidden, cfg.lr, cfg.batch, cfg.steps, cfg.clip) == (64, 1e-3, 32, 500, 1.0)


def test_home_runs_are_shared_with_the_adding_sweep():
    sweep = set(EXPERIMENTS["adding-lengths"].runs)
    assert set(EXPERIMENTS["home-gradient-vs-distance"].runs) <= sweep


def test_result_computes_once_then_reads(tiny, monkeypatch):
    first = result("tiny", jobs=1)
    # a miss fills every experiment of the registry: 2 + 1 runs
    assert len(first["rows"]) == 2 and len(list(tiny.glob("*.json"))) == 3
    monkeypatch.setattr(experiments, "train", lambda *a, **k: pytest.fail("recomputed"))
    assert result("tiny", jobs=1) == first


def test_only_changed_runs_recompute(tiny, monkeypatch):
    result("tiny", jobs=1)
    old = experiments.EXPERIMENTS["tiny"].runs
    changed = (old[0], RunConfig(**{**old[1].as_dict(), "delay": 7}))
    monkeypatch.setitem(experiments.EXPERIMENTS, "tiny", Experiment("tiny", "", changed))
    computed = experiments.compute(runs_of("tiny"), jobs=1)
    assert computed == [changed[1]]


def test_parallel_compute_matches_serial(tiny, monkeypatch, tmp_path_factory):
    par = result("tiny", jobs=2)                     # two spawned worker processes
    monkeypatch.setenv("VGP_CACHE_DIR", str(tmp_path_factory.mktemp("serial")))
    ser = result("tiny", jobs=1)
    for a, b in zip(par["runs"], ser["runs"]):
        assert a["loss"] == b["loss"] and a["eval_loss"] == b["eval_loss"]


def test_seed_override(tiny):
    runs = runs_of("tiny", seed=3)
    assert {c.seed for c in runs} == {3}
    assert result("tiny", seed=3, jobs=1)["runs"][0]["config"]["seed"] == 3


def test_summary_single_run_keys(tiny, monkeypatch):
    reg = experiments.EXPERIMENTS
    monkeypatch.setitem(reg, "one", Experiment("one", "", reg["tiny"].runs[:1]))
    r = result("one", jobs=1)
    assert r["chance"] == pytest.approx(1 / 3)
    assert 0.0 <= r["recall_accuracy"] <= 1.0
    assert r["solved"] == (r["eval_loss"] / r["baseline"] <= SOLVED_RATIO)
    assert "| copy | rnn | 2 |" in table(r)


def test_fails_at_lists_unsolved_delays():
    def fake(cell, delay, loss):
        return {"config": {"task": "adding", "cell": cell, "delay": delay, "seed": 0,
                           "forget_bias": None, "hidden": 1, "steps": 1, "batch": 1},
                "baseline": 1.0, "eval_loss": loss, "eval_metric": loss,
                "seconds": 0.0, "cpu_seconds": 0.0}
    from vgp.summaries import summarise
    s = summarise("x", "", [fake("rnn", 10, 0.1), fake("rnn", 20, 0.9), fake("lstm", 20, 0.2)])
    assert s["fails_at"] == {"rnn": [20], "lstm": []}
    assert summarise_run(fake("rnn", 1, 0.5))["solved"]


def test_longest_runs_first_and_skip_when_locked(tiny):
    runs = experiments.EXPERIMENTS["tiny"].runs
    assert experiments.cost(runs[0]) != experiments.cost(runs[1])
    cfg = runs[0]
    with experiments._lock(cfg) as got:
        assert got
        assert experiments._run_if_free(cfg) is False      # held elsewhere: skipped
    assert not experiments.is_cached(cfg)
    assert experiments._run_if_free(cfg) is True and experiments.is_cached(cfg)


@pytest.mark.parametrize("call, exc", [
    (lambda: result("no-such-experiment"), KeyError),
    (lambda: result(3), TypeError),
    (lambda: result("claim-c25-copy", seed=-1), ValueError),
    (lambda: experiments.run({"task": "copy"}), TypeError),
    (lambda: experiments.compute([], jobs=0), ValueError),
])
def test_bad_arguments(call, exc):
    with pytest.raises(exc):
        call()
