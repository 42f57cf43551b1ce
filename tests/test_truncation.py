"""vgp.truncation: the gradient-path count against autograd, TBPTT against full BPTT, validation."""

import numpy as np
import pytest
import torch

from vgp.truncation import (EXPERIMENT, echo_accuracy, echo_stream, experiment,
                            gradient_path_fraction, make_model, success_table, tbptt_epoch,
                            train_echo)


@pytest.fixture
def tmp_cache(tmp_path, monkeypatch):
    monkeypatch.setenv("VGP_CACHE_DIR", str(tmp_path))
    return tmp_path


def reachable_positions(lag: int, k: int, hidden: int = 3) -> list[bool]:
    """By autograd: does the output at position j of the second chunk depend on its source?"""
    g = torch.Generator().manual_seed(0)
    rnn, _ = make_model(hidden, g)
    stream = torch.randn(1, 2 * k, 1, generator=g, dtype=torch.float64, requires_grad=True)
    _, h = rnn(stream[:, :k], torch.zeros(1, 1, hidden, dtype=torch.float64))
    states, _ = rnn(stream[:, k:], h.detach())                # chunk 2 starts from a constant
    out = []
    for j in range(k):
        (grad,) = torch.autograd.grad(states[0, j].sum(), stream, retain_graph=True)
        out.append(bool(grad[0, k + j - lag, 0] != 0))         # source of position j
    return out


@pytest.mark.parametrize("lag,k", [(1, 1), (2, 2), (2, 3), (3, 8), (4, 5), (5, 12)])
def test_gradient_path_fraction_matches_autograd(lag, k):
    reach = reachable_positions(lag, k)
    assert reach == [j >= lag for j in range(k)]
    assert np.mean(reach) == pytest.approx(gradient_path_fraction(lag, k))


def test_without_detach_gradient_crosses_the_boundary():
    """The oracle above is meaningful: without detach, position 0 does reach chunk 1."""
    g = torch.Generator().manual_seed(0)
    rnn, _ = make_model(3, g)
    stream = torch.randn(1, 8, 1, generator=g, dtype=torch.float64, requires_grad=True)
    _, h = rnn(stream[:, :4], torch.zeros(1, 1, 3, dtype=torch.float64))
    states, _ = rnn(stream[:, 4:], h)
    (grad,) = torch.autograd.grad(states[0, 0].sum(), stream)
    assert grad[0, 2, 0] != 0


def test_one_chunk_is_full_bptt():
    """With k covering the whole stream, the single TBPTT update is a full-BPTT SGD step."""
    lag, steps = 2, 10
    g = torch.Generator().manual_seed(1)
    x = echo_stream(3, steps, lag, g)
    rnn, out = make_model(4, torch.Generator().manual_seed(2))
    params = [*rnn.parameters(), *out.parameters()]
    before = [p.detach().clone() for p in params]
    states, _ = rnn((2 * x[:, lag:] - 1)[:, :, None], torch.zeros(1, 3, 4, dtype=torch.float64))
    loss = torch.nn.functional.binary_cross_entropy_with_logits(out(states).squeeze(-1), x[:, :steps])
    grads = torch.autograd.grad(loss, params)
    losses = tbptt_epoch(rnn, out, torch.optim.SGD(params, lr=1.0), x, lag, steps)
    assert losses == [pytest.approx(loss.item(), rel=1e-14)]
    for p, b, gr in zip(params, before, grads):
        torch.testing.assert_close(p.detach(), b - gr, rtol=1e-13, atol=1e-15)


def test_updates_per_chunk():
    g = torch.Generator().manual_seed(0)
    rnn, out = make_model(4, g)
    opt = torch.optim.SGD([*rnn.parameters(), *out.parameters()], lr=0.0)
    assert len(tbptt_epoch(rnn, out, opt, echo_stream(2, 20, 3, g), 3, 6)) == 20 // 6


def test_echo_stream_and_accuracy_of_an_oracle():
    g = torch.Generator().manual_seed(0)
    x = echo_stream(4, 30, 2, g)
    assert x.shape == (4, 32) and set(x.unique().tolist()) <= {0.0, 1.0}

    class Echo(torch.nn.Module):  # a perfect read-out: remembers the input exactly
        hidden_size = 1

        def forward(self, inputs, h=None):
            shifted = torch.nn.functional.pad(inputs, (0, 0, 2, 0))[:, :-2]   # x_{t-2}
            return shifted, None

    assert echo_accuracy(Echo(), torch.nn.Identity(), 2, batch=8, steps=40,
                         generator=torch.Generator().manual_seed(1)) == 1.0


def test_train_echo_deterministic_and_learns_short_lag():
    a = train_echo(1, 3, seed=0, hidden=8, batch=32, steps=450)
    b = train_echo(1, 3, seed=0, hidden=8, batch=32, steps=450)
    assert a["losses"] == b["losses"] and a["accuracy"] == b["accuracy"]
    assert a["updates"] == 150
    assert a["accuracy"] > 0.95


def test_success_table_and_small_experiment(tmp_cache):
    cfg = {**EXPERIMENT, "lags": [1], "ks": [1, 3], "seeds": [0], "hidden": 8, "batch": 32,
           "steps": 300, "test_batch": 16, "test_steps": 40}
    r = experiment(cfg)
    assert np.asarray(r["accuracy"]).shape == (1, 2, 1)
    assert r["updates"] == [300, 100]
    rows = success_table(r)
    assert [(lag, k) for lag, k, _, _ in rows] == [(1, 1), (1, 3)]
    assert rows[0][3] is False                              # k = lag: never learned
    assert experiment(cfg) == r                             # second call reads the cache
    assert len(list(tmp_cache.glob("truncation-echo-*.json"))) == 1


@pytest.mark.parametrize("call,exc", [
    (lambda: gradient_path_fraction(0, 3), ValueError),
    (lambda: gradient_path_fraction(2, 0), ValueError),
    (lambda: gradient_path_fraction(2.0, 3), TypeError),
    (lambda: echo_stream(2, 5, 1, generator=0), TypeError),
    (lambda: echo_stream(0, 5, 1, generator=torch.Generator()), ValueError),
    (lambda: train_echo(2, 0, seed=0), ValueError),
    (lambda: train_echo(2, 3, seed=-1), ValueError),
    (lambda: train_echo(2, 3, seed=0, lr=0.0), ValueError),
    (lambda: train_echo(2, 3, seed=0, steps=2), ValueError),
    (lambda: experiment({**EXPERIMENT, "ks": []}), ValueError),
    (lambda: experiment({**EXPERIMENT, "lags": [0]}), ValueError),
])
def test_validation(call, exc):
    with pytest.raises(exc):
        call()


def test_page_experiment_learns_exactly_when_k_exceeds_lag():
    """The cached sweep behind the page's figure (computed once, about 30 s of CPU)."""
    rows = success_table(experiment())
    assert all(ok == (k > lag) for lag, k, _, ok in rows)


@pytest.mark.parametrize("T,k", [(40, 8), (10, 3), (5, 5), (7, 1)])
def test_truncation_mask_keeps_whole_chunks(T, k):
    """The figure's mask: ceil(T/k) lower-triangular blocks on the diagonal, nothing else."""
    from vgp.figures.bptt import truncation_mask

    mask = truncation_mask(T, k)
    s, t = np.nonzero(mask)                                    # 0-based s-1, t-1
    assert np.all((t <= s) & (s - t < k) & (s // k == t // k))
    assert len({int(c) for c in s // k}) == -(-T // k)
    assert mask.sum() == sum(n * (n + 1) // 2 for n in [k] * (T // k) + ([T % k] if T % k else []))
