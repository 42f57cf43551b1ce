"""vgp.charmodel: encoding, the entropy reference, Adam against torch, the training log."""

from collections import Counter

import numpy as np
import pytest
import torch

from vgp.bptt import PARAM_NAMES, loss_and_grads
from vgp.charmodel import (CONFIG, TEXT, _train, adam_update, batch, conditional_entropy,
                           encode, greedy_sample, log_lines, one_hot, params_of, train,
                           vocabulary, text_loss)
from vgp.clip import global_norm
from vgp.rnn import init_params

TINY = {**CONFIG, "hidden": 8, "window": 8, "batch": 4, "steps": 6}


@pytest.fixture
def tmp_cache(tmp_path, monkeypatch):
    monkeypatch.setenv("VGP_CACHE_DIR", str(tmp_path))
    return tmp_path


def test_encoding_round_trip():
    vocab = vocabulary()
    assert "".join(vocab[i] for i in encode(TEXT, vocab)) == TEXT
    assert len(vocab) == len(set(TEXT)) and list(vocab) == sorted(vocab)
    x = one_hot(encode("ab", "abc"), 3)
    assert x.tolist() == [[1.0, 0.0, 0.0], [0.0, 1.0, 0.0]]


def test_conditional_entropy_against_counting():
    text = "abcabd"
    # after a: b (2/2); after b: c, d (1/2 each); after c: a. H = (2/5) ln 2 over 5 pairs.
    assert conditional_entropy(text) == pytest.approx(2 / 5 * np.log(2))
    # H(next | current) <= H(next) <= ln V on the built-in text
    nxt = Counter(TEXT[1:])
    marginal = -sum(c / (len(TEXT) - 1) * np.log(c / (len(TEXT) - 1)) for c in nxt.values())
    assert 0 < conditional_entropy() <= marginal <= np.log(len(vocabulary()))


def test_batch_windows_are_shifted_text():
    vocab = vocabulary()
    codes = encode(TEXT, vocab)
    x, targets = batch(codes, len(vocab), 10, 5, np.random.default_rng(0))
    assert x.shape == (5, 10, len(vocab)) and targets.shape == (5, 10)
    np.testing.assert_array_equal(x[:, 1:].argmax(-1), targets[:, :-1])   # next char is the target


def test_adam_matches_torch():
    p = init_params(3, 4, 2, seed=0)
    P = [torch.tensor(getattr(p, n), requires_grad=True) for n in PARAM_NAMES]
    opt = torch.optim.Adam(P, lr=0.05)
    rng = np.random.default_rng(1)
    state: dict = {}
    for _ in range(5):
        grads = {n: rng.standard_normal(getattr(p, n).shape) for n in PARAM_NAMES}
        adam_update(p, grads, state, 0.05)
        for t, n in zip(P, PARAM_NAMES):
            t.grad = torch.tensor(grads[n])
        opt.step()
    for t, n in zip(P, PARAM_NAMES):
        np.testing.assert_allclose(getattr(p, n), t.detach().numpy(), rtol=1e-12, atol=1e-14)


def test_training_log_is_the_pre_clip_norm(tmp_cache):
    r = train(TINY)
    assert len(r["loss_per_char"]) == len(r["grad_norm"]) == TINY["steps"]
    # Replay step 1: the same batch and initial weights give the same loss and norm.
    vocab = vocabulary()
    x, targets = batch(encode(TEXT, vocab), len(vocab), TINY["window"], TINY["batch"],
                       np.random.default_rng(TINY["seed"] + 1))
    p0 = init_params(len(vocab), TINY["hidden"], len(vocab), seed=TINY["seed"])
    L, g = loss_and_grads(p0, x, targets, loss="cross_entropy")
    assert r["loss_per_char"][0] == pytest.approx(L / TINY["window"], rel=1e-12)
    assert r["grad_norm"][0] == pytest.approx(global_norm(g.as_dict().values()), rel=1e-12)
    lines = log_lines(r, every=2)
    assert lines[0].split() == ["step", "loss/char", "grad", "norm", "clipped"]
    assert [int(line.split()[0]) for line in lines[1:]] == [1, 3, 5, 6]
    assert train(TINY) == r                                   # cached


def test_clipping_bounds_the_applied_step(tmp_cache):
    """With max_norm tiny every step is clipped; training is deterministic and still finite."""
    r = _train({**TINY, "max_norm": 1e-3})
    assert all(n > 1e-3 for n in r["grad_norm"])
    assert np.all(np.isfinite(r["loss_per_char"]))
    assert r["loss_per_char"] == _train({**TINY, "max_norm": 1e-3})["loss_per_char"]


def test_sampling_and_text_loss(tmp_cache):
    r = train(TINY)
    s = greedy_sample(r, "the ", 10)
    assert s.startswith("the ") and len(s) == 14 and set(s) <= set(vocabulary())
    assert text_loss(r) > 0
    assert params_of(r).sizes == (len(vocabulary()), TINY["hidden"], len(vocabulary()))


@pytest.mark.parametrize("call,exc", [
    (lambda: vocabulary(3), TypeError),
    (lambda: vocabulary("aaaa"), ValueError),
    (lambda: encode("xyz", "ab"), ValueError),
    (lambda: one_hot(np.array([0, 3]), 3), ValueError),
    (lambda: one_hot(np.array([0.5]), 3), ValueError),
    (lambda: train({"hiden": 3}), ValueError),
    (lambda: train({"steps": 0}), ValueError),
    (lambda: train({"hidden": 2.5}), TypeError),
    (lambda: train({"lr": -1.0}), ValueError),
    (lambda: train({"window": 10_000}), ValueError),
    (lambda: log_lines({"config": {"max_norm": 1}, "loss_per_char": [], "grad_norm": []}, 0),
     ValueError),
])
def test_validation(call, exc):
    with pytest.raises(exc):
        call()


def test_page_run_beats_one_character_context():
    """The cached run shown on the page learns to use more than the current character."""
    r = train()
    assert r["loss_per_char"][0] > conditional_entropy() > text_loss(r)


def test_log_lines_round_but_decide_clipping_on_the_unrounded_norm():
    """A norm just above the threshold prints as the threshold but is still marked clipped."""
    r = {"config": {"max_norm": 20.0}, "loss_per_char": [3.14159, 0.12345],
         "grad_norm": [20.04, 19.96]}
    assert [line.split() for line in log_lines(r)[1:]] == [["1", "3.14", "20.0", "yes"],
                                                           ["2", "0.12", "20.0", "no"]]
