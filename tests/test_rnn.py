"""vgp.rnn.forward against torch.nn.RNN (float64, weights copied)."""

import numpy as np
import pytest
import torch
from hypothesis import given, settings
from hypothesis import strategies as st

from vgp.rnn import RNNParams, forward, init_params


def _torch_forward(p, x, h0, activation):
    """nn.RNN: h_t = act(x_t W_ih^T + b_ih + h_{t-1} W_hh^T + b_hh); then a Linear for y_t."""
    D, H, O = p.sizes
    rnn = torch.nn.RNN(D, H, nonlinearity=activation, batch_first=True, dtype=torch.float64)
    out_layer = torch.nn.Linear(H, O, dtype=torch.float64)
    with torch.no_grad():
        rnn.weight_ih_l0.copy_(torch.tensor(p.W_xh))
        rnn.weight_hh_l0.copy_(torch.tensor(p.W_hh))
        rnn.bias_ih_l0.copy_(torch.tensor(p.b_h))
        rnn.bias_hh_l0.zero_()                          # vgp has a single hidden bias
        out_layer.weight.copy_(torch.tensor(p.W_hy))
        out_layer.bias.copy_(torch.tensor(p.b_y))
        hs, h_T = rnn(torch.tensor(x), torch.tensor(h0)[None])
        return hs.numpy(), h_T[0].numpy(), out_layer(hs).numpy()


@settings(max_examples=30, deadline=None)
@given(B=st.integers(1, 3), T=st.integers(1, 8), D=st.integers(1, 4), H=st.integers(1, 5),
       O=st.integers(1, 3), activation=st.sampled_from(["tanh", "relu"]),
       scale=st.floats(0.1, 3.0), seed=st.integers(0, 2**16))
def test_forward_matches_torch_rnn(B, T, D, H, O, activation, scale, seed):
    rng = np.random.default_rng(seed)
    p = init_params(D, H, O, seed=seed, scale=scale)
    p.b_h[:] = rng.standard_normal(H)
    p.b_y[:] = rng.standard_normal(O)
    x = rng.standard_normal((B, T, D))
    h0 = rng.standard_normal((B, H))
    fwd = forward(p, x, h0=h0, activation=activation)
    hs, h_T, y = _torch_forward(p, x, h0, activation)
    np.testing.assert_allclose(fwd.h[:, 1:], hs, rtol=1e-12, atol=1e-14)
    np.testing.assert_allclose(fwd.h[:, -1], h_T, rtol=1e-12, atol=1e-14)
    np.testing.assert_allclose(fwd.y, y, rtol=1e-12, atol=1e-13)
    np.testing.assert_array_equal(fwd.h[:, 0], h0)


def test_indexing_convention():
    """h[:, t] = h_t with h[:, 0] = h_0; z[:, t-1] = z_t; y[:, t-1] = y_t."""
    p = RNNParams([[1.0]], [[0.5]], [0.0], [[2.0]], [1.0])
    fwd = forward(p, np.array([[[1.0], [0.0]]]), h0=[0.2], activation="identity")
    # z_1 = 0.5 * 0.2 + 1 = 1.1, z_2 = 0.5 * 1.1 = 0.55
    np.testing.assert_allclose(fwd.z[0, :, 0], [1.1, 0.55])
    np.testing.assert_allclose(fwd.h[0, :, 0], [0.2, 1.1, 0.55])
    np.testing.assert_allclose(fwd.y[0, :, 0], [3.2, 2.1])


@pytest.mark.parametrize("activation, f", [
    ("sigmoid", lambda z: 1 / (1 + np.exp(-z))), ("identity", lambda z: z)])
def test_other_activations_by_hand(activation, f):
    rng = np.random.default_rng(0)
    p = init_params(2, 3, 1, seed=0)
    x = rng.standard_normal((1, 4, 2))
    fwd = forward(p, x, activation=activation)
    h = np.zeros(3)
    for t in range(4):
        h = f(p.W_hh @ h + p.W_xh @ x[0, t] + p.b_h)
        np.testing.assert_allclose(fwd.h[0, t + 1], h, rtol=1e-13)


def test_h0_broadcasts():
    p = init_params(2, 3, 1, seed=0)
    x = np.ones((4, 2, 2))
    a = forward(p, x, h0=np.full(3, 0.1))
    b = forward(p, x, h0=np.full((4, 3), 0.1))
    np.testing.assert_array_equal(a.h, b.h)


def test_bad_input():
    p = init_params(2, 3, 1, seed=0)
    with pytest.raises(ValueError, match="activation"):
        forward(p, np.ones((1, 2, 2)), activation="gelu")
    with pytest.raises(ValueError, match="T >= 1"):
        forward(p, np.ones((1, 0, 2)))
    with pytest.raises(ValueError, match="x"):
        forward(p, np.ones((1, 2, 5)))
    with pytest.raises(ValueError, match="x"):
        forward(p, np.ones((2, 2)))
    with pytest.raises(ValueError, match="h0"):
        forward(p, np.ones((2, 2, 2)), h0=np.ones((3, 3)))
    with pytest.raises(TypeError, match="params"):
        forward("params", np.ones((1, 2, 2)))
    with pytest.raises(ValueError, match="W_hh"):
        RNNParams(np.ones((3, 2)), np.ones((3, 2)), np.ones(3), np.ones((1, 3)), np.ones(1))
    with pytest.raises(ValueError, match="b_y"):
        RNNParams(np.ones((3, 2)), np.ones((3, 3)), np.ones(3), np.ones((1, 3)), np.ones(2))
    with pytest.raises(ValueError, match="hidden_size"):
        init_params(2, 0, 1, seed=0)
    with pytest.raises(TypeError, match="seed"):
        init_params(2, 3, 1, seed=1.5)
