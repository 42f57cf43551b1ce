"""vgp.init_compare: initialisers, the torch <-> vgp parameter bridge, the log-space profile
against torch autograd, and one tiny training run."""

import numpy as np
import pytest
import torch

from vgp.init_compare import (ACTIVATION, EXPERIMENT, INITS, build, log10_profile,
                              recurrent_matrix, to_params, train_one)
from vgp.rnn import forward
from vgp.tasks import adding_batch

TINY = dict(EXPERIMENT, hidden=6, length=8, batch=4, iterations=3, profile_batch=5,
            eval_batch=7, seeds=[0])


@pytest.mark.parametrize("kind", INITS)
def test_singular_values(kind):
    s = np.linalg.svd(recurrent_matrix(kind, EXPERIMENT, seed=0), compute_uv=False)
    if kind == "small_random":
        assert s.max() < 0.2
    else:
        np.testing.assert_allclose(s, 1.0, atol=1e-12)


@pytest.mark.parametrize("kind", INITS)
def test_bridge_reproduces_torch_forward(kind):
    rnn, out = build(kind, TINY, seed=1)
    x, _ = adding_batch(3, 8, generator=5)
    x = x.double()
    with torch.no_grad():
        h, _ = rnn(x)
        y_torch = out(h).numpy()
    y = forward(to_params(rnn, out), x.numpy(), activation=ACTIVATION[kind]).y
    np.testing.assert_allclose(y, y_torch, rtol=1e-12, atol=1e-14)


@pytest.mark.parametrize("kind", ["orthogonal", "identity"])
def test_profile_matches_autograd(kind):
    rnn, out = build(kind, TINY, seed=2)
    with torch.no_grad():                       # make the readout and inputs matter
        rnn.weight_ih_l0.mul_(10.0)
    x, y = adding_batch(4, 8, generator=7)
    x, y = x.double(), y.double()
    W_ih, W_hh = rnn.weight_ih_l0, rnn.weight_hh_l0
    b = rnn.bias_ih_l0 + rnn.bias_hh_l0
    act = torch.tanh if ACTIVATION[kind] == "tanh" else torch.relu
    h, hs = torch.zeros(4, 6, dtype=torch.float64), []
    for t in range(8):
        h = act(x[:, t] @ W_ih.T + h @ W_hh.T + b)
        h.retain_grad()
        hs.append(h)
    per_seq = (out(h)[:, 0] - y) ** 2
    per_seq.sum().backward()                    # sum: each sequence's own gradient
    ref = np.array([np.log10(hh.grad.norm(dim=1).numpy()).mean() for hh in hs])
    got = log10_profile(to_params(rnn, out), x.numpy(), y.numpy(), ACTIVATION[kind])
    np.testing.assert_allclose(got, ref, rtol=0, atol=1e-10)


def test_train_one_tiny():
    r = train_one("identity", TINY, seed=0)
    assert len(r["loss"]) == 3 and len(r["profile_init"]) == len(r["profile_final"]) == 8
    assert r["activation"] == "relu" and r["radius"][0] == pytest.approx(1.0)
    assert np.isfinite(r["eval_mse"])
    assert train_one("identity", TINY, seed=0)["loss"] == r["loss"]        # deterministic
