"""`vgp experiment list|run`: output, progress bar on stderr, summary table, errors (exit 2)."""

import pytest

from vgp import experiments
from vgp.cli import main
from vgp.experiments import EXPERIMENTS, Experiment, RunConfig

TINY = dict(hidden=6, steps=5, batch=4, eval_batch=8, profile_batch=2)


@pytest.fixture
def tiny(monkeypatch, tmp_path):
    monkeypatch.setenv("VGP_CACHE_DIR", str(tmp_path))
    runs = (RunConfig(task="copy", cell="gru", delay=1, n_symbols=2, alphabet=3, **TINY),)
    monkeypatch.setitem(EXPERIMENTS, "tiny", Experiment("tiny", "one tiny run", runs))


def test_list(tiny, capsys):
    assert main(["experiment", "list"]) == 0
    out = capsys.readouterr().out
    for name in ("copy-delays", "adding-lengths", "claim-c25-copy", "tiny"):
        assert name in out
    assert "one tiny run" in out


def test_run_then_cached(tiny, capsys):
    assert main(["experiment", "run", "tiny"]) == 0
    cap = capsys.readouterr()
    assert "| copy | gru | 1 |" in cap.out and "1 runs computed" in cap.out
    assert "step" in cap.err and "loss=" in cap.err          # tqdm progress bar on stderr
    assert main(["experiment", "run", "tiny", "--quiet"]) == 0
    assert "0 runs computed, 1 read from the cache" in capsys.readouterr().out


def test_run_with_seed(tiny, capsys):
    assert main(["experiment", "run", "tiny", "--seed", "4", "--quiet"]) == 0
    assert "1 runs computed" in capsys.readouterr().out
    (cfg,) = EXPERIMENTS["tiny"].runs
    from dataclasses import replace
    assert experiments.is_cached(replace(cfg, seed=4)) and not experiments.is_cached(cfg)


@pytest.mark.parametrize("argv, message", [
    (["experiment", "run", "nope"], "unknown experiment"),
    (["experiment", "run", "tiny", "--seed", "-2"], "--seed"),
    (["experiment", "run", "tiny", "--seed", "x"], "invalid int"),
    (["experiment"], "required"),
])
def test_errors_exit_2_with_one_line(tiny, capsys, argv, message):
    try:
        code = main(argv)
    except SystemExit as exc:
        code = exc.code
    err = capsys.readouterr().err
    assert code == 2 and message in err and len(err.strip().splitlines()) == 1
