"""vgp.numerics: cached results are computed with the portable code paths, here or in a
fresh interpreter, and a process that is not portable is never trusted with them."""

import json
import os
import subprocess
import sys

import pytest

from vgp import cache, numerics


def _state():
    import torch

    return {"portable": numerics.is_portable(),
            "capability": torch.backends.cpu.get_cpu_capability(),
            **{k: os.environ.get(k) for k in numerics.PORTABLE_ENV}}


def test_the_test_process_is_portable():
    """conftest.py entered portable mode before torch loaded."""
    assert _state() == {"portable": True, "capability": "DEFAULT", **numerics.PORTABLE_ENV}


def _native_env(**extra):
    """This process's environment without the portable settings: native kernels."""
    return {**{k: v for k, v in os.environ.items() if k not in numerics.PORTABLE_ENV}, **extra}


def _run(code):
    out = subprocess.run([sys.executable, "-c", code], env=_native_env(), capture_output=True,
                         text=True, check=True)
    return out.stdout.strip().splitlines()


def test_call_from_a_native_process_computes_in_a_portable_one():
    """The native process is not portable, and `call` computes in a portable interpreter.
    (On a CPU with vector extensions such as AVX2 the native process also runs wider kernels
    than DEFAULT; the test does not require it, so it holds on any CPU.)"""
    lines = _run("import torch\n"
                 "from vgp import numerics\n"
                 "from tests.test_numerics import _state\n"
                 "print(numerics.is_portable())\n"
                 "print(numerics.call(_state))")
    assert lines[0] == "False"
    assert "'portable': True" in lines[1] and "'capability': 'DEFAULT'" in lines[1]


def test_enter_is_refused_once_torch_is_loaded():
    assert _run("import torch\nfrom vgp import numerics\nprint(numerics.enter())") == ["False"]


def test_cached_results_from_a_native_process_match_the_portable_ones(tmp_path):
    """The same cached computation, asked for by a process with native kernels, is computed in
    a portable interpreter: same file, same numbers as computed here."""
    code = ("import torch, json\n"
            "from vgp import cache\n"
            "from tests.test_numerics import tiny_training\n"
            "r = cache.cached('tiny', {'steps': 30}, tiny_training, module='vgp.rnn')\n"
            "print(json.dumps(r))")
    os.environ["VGP_CACHE_DIR"] = str(tmp_path / "a")
    try:
        here = cache.cached("tiny", {"steps": 30}, tiny_training, module="vgp.rnn")
    finally:
        del os.environ["VGP_CACHE_DIR"]
    out = subprocess.run([sys.executable, "-c", code],
                         env=_native_env(VGP_CACHE_DIR=str(tmp_path / "b")),
                         capture_output=True, text=True, check=True)
    assert json.loads(out.stdout) == here
    names = [sorted(p.name for p in (tmp_path / d).iterdir()) for d in "ab"]
    assert names[0] == names[1]


def tiny_training(cfg):
    """A few Adam steps of a small tanh RNN: enough for rounding to show in the last digits."""
    import torch

    g = torch.Generator().manual_seed(0)
    rnn = torch.nn.RNN(8, 32, batch_first=True)
    with torch.no_grad():
        for p in rnn.parameters():
            p.copy_(torch.randn(p.shape, generator=g) * 0.3)
    x = torch.randn(16, 20, 8, generator=g)
    opt = torch.optim.Adam(rnn.parameters(), lr=1e-2)
    losses = []
    for _ in range(cfg["steps"]):
        opt.zero_grad()
        loss = rnn(x)[0][:, -1].pow(2).mean()
        loss.backward()
        opt.step()
        losses.append(loss.item())
    return {"loss": losses, "hex": [float(v).hex() for v in losses[-3:]]}


def test_call_validates_fn():
    with pytest.raises(TypeError, match="fn must be callable"):
        numerics.call(3)
    with pytest.raises(ValueError, match="jobs"):
        with numerics.pool(0):
            pass


def test_progress_is_refused_where_the_run_would_leave_the_process(tmp_path):
    """A progress callback can not follow a run computed in another interpreter; a cached
    run needs no computation, so there it is accepted."""
    code = ("import torch\n"
            "from vgp.experiments import run\n"
            "from vgp.train import RunConfig\n"
            "tiny = RunConfig('adding', 'rnn', delay=4, hidden=4, steps=2, batch=4, eval_batch=8,"
            " profile_batch=4)\n"
            "try:\n"
            "    run(tiny, progress=print)\n"
            "except RuntimeError as exc:\n"
            "    print('refused:', exc)\n"
            "run(tiny)\n"
            "print(len(run(tiny, progress=print)['loss']))")
    out = subprocess.run([sys.executable, "-c", code], env=_native_env(VGP_CACHE_DIR=str(tmp_path)),
                         capture_output=True, text=True, check=True).stdout.splitlines()
    assert out[0].startswith("refused: progress needs a portable process") and out[1] == "2"
