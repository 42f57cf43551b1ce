"""vgp.cache: results are computed once per (inputs, code) and read back afterwards."""

import math

import numpy as np
import pytest

from vgp import cache


@pytest.fixture(autouse=True)
def tmp_cache(tmp_path, monkeypatch):
    monkeypatch.setenv("VGP_CACHE_DIR", str(tmp_path))
    return tmp_path


def test_computes_once_then_reads(tmp_cache):
    calls = []

    def compute(cfg):
        calls.append(cfg)
        return {"x": np.arange(3) * cfg["k"], "s": np.float64(0.5), "inf": math.inf}

    first = cache.cached("demo", {"k": 2}, compute, module="vgp.rnn")
    second = cache.cached("demo", {"k": 2}, compute, module="vgp.rnn")
    assert first == second == {"x": [0, 2, 4], "s": 0.5, "inf": "inf"}
    assert len(calls) == 1
    cache.cached("demo", {"k": 3}, compute, module="vgp.rnn")
    assert len(calls) == 2
    # the older version of "demo" is replaced, other names are left alone
    cache.cached("demo-other", {"k": 3}, compute, module="vgp.rnn")
    names = sorted(p.name.rsplit("-", 1)[0] for p in tmp_cache.glob("*.json"))
    assert names == ["demo", "demo-other"]


def test_key_depends_on_config_and_module():
    k = cache.key("n", {"a": 1}, "vgp.rnn")
    assert k != cache.key("n", {"a": 2}, "vgp.rnn")
    assert k != cache.key("n", {"a": 1}, "vgp.activations")
    assert k == cache.key("n", {"a": 1}, "vgp.rnn")


@pytest.mark.parametrize("name", ["", "a/b", None])
def test_bad_names(name):
    with pytest.raises((ValueError, TypeError)):
        cache.cached(name, {}, lambda c: {}, module="vgp.rnn")


def test_bad_config():
    with pytest.raises(TypeError, match="config"):
        cache.key("n", [1, 2], "vgp.rnn")
