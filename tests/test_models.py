"""Models: the unrolled equations equal torch's fused modules and cells; gating conventions;
parameter counts; per-timestep gradient profiles against autograd and finite differences."""

import numpy as np
import pytest
import torch

from vgp.gradprofile import gradient_profile, log10_profile
from vgp.models import CELLS, SequenceModel, count_parameters, gru_step, lstm_step, rnn_step


def _x(B=3, T=9, D=4, seed=0, dtype=torch.float64):
    return torch.randn(B, T, D, generator=torch.Generator().manual_seed(seed), dtype=dtype)


@pytest.mark.parametrize("cell", CELLS)
def test_unrolled_equals_fused(cell):
    m = SequenceModel(cell, 4, 6, 3, seed=1).double()
    x = _x()
    y, hs, cs = m.unrolled(x)
    assert torch.allclose(m(x), y, atol=1e-12)
    assert len(hs) == 9 and (len(cs) == 9) == (cell == "lstm")


@pytest.mark.parametrize("cell", CELLS)
def test_step_functions_equal_torch_cells(cell):
    torch_cell = {"rnn": torch.nn.RNNCell, "lstm": torch.nn.LSTMCell,
                  "gru": torch.nn.GRUCell}[cell](4, 5).double()
    p = {"W_ih": torch_cell.weight_ih, "W_hh": torch_cell.weight_hh,
         "b_ih": torch_cell.bias_ih, "b_hh": torch_cell.bias_hh}
    x, h, c = _x(2, 1, 4)[:, 0], _x(2, 1, 5, seed=1)[:, 0], _x(2, 1, 5, seed=2)[:, 0]
    if cell == "lstm":
        mine, ref = lstm_step(p, x, h, c), torch_cell(x, (h, c))
        assert all(torch.allclose(a, b, atol=1e-14) for a, b in zip(mine, ref))
    else:
        step = rnn_step if cell == "rnn" else gru_step
        assert torch.allclose(step(p, x, h), torch_cell(x, h), atol=1e-14)


def test_seeded_init_is_reproducible_and_in_torch_default_range():
    a, b, c = (SequenceModel("gru", 3, 16, 2, seed=s) for s in (4, 4, 5))
    for pa, pb, pc in zip(a.parameters(), b.parameters(), c.parameters()):
        assert torch.equal(pa, pb) and not torch.equal(pa, pc)
        assert float(pa.detach().abs().max()) <= 1 / 4          # U(-1/sqrt(H), 1/sqrt(H))


def test_forget_bias():
    H = 5
    m = SequenceModel("lstm", 2, H, 1, seed=0, forget_bias=1.0)
    total = m.core.bias_ih_l0 + m.core.bias_hh_l0
    assert torch.allclose(total[H:2 * H], torch.ones(H))
    with pytest.raises(ValueError, match="forget_bias"):
        SequenceModel("rnn", 2, H, 1, seed=0, forget_bias=1.0)


def test_cell_path_jacobian_is_diag_f():
    """dc_t/dc_{t-1} with h_{t-1} held fixed is diag(f_t): a vector of gates, not a scalar."""
    H = 4
    m = SequenceModel("lstm", 3, H, 1, seed=2).double()
    p = m.params()
    x, h, c = _x(1, 1, 3)[:, 0], _x(1, 1, H, seed=1)[:, 0], _x(1, 1, H, seed=2)[:, 0]
    J = torch.autograd.functional.jacobian(lambda cc: lstm_step(p, x, h, cc)[1], c)[0, :, 0, :]
    a = x @ p["W_ih"].T + p["b_ih"] + h @ p["W_hh"].T + p["b_hh"]
    f = torch.sigmoid(a[0, H:2 * H]).detach()
    assert torch.allclose(J, torch.diag(f), atol=1e-14)
    assert float(f.max() - f.min()) > 0.01              # different gate per unit


def test_gru_update_gate_convention():
    """torch's convention: z_t -> 1 keeps h_{t-1}, z_t -> 0 takes the candidate n_t."""
    m = SequenceModel("gru", 2, 3, 1, seed=0).double()
    p = {k: v.detach().clone() for k, v in m.params().items()}
    x, h = _x(2, 1, 2)[:, 0], _x(2, 1, 3, seed=1)[:, 0].tanh()
    p["b_ih"][3:6] = 50.0                               # z block saturated at 1
    assert torch.allclose(gru_step(p, x, h), h, atol=1e-12)


@pytest.mark.parametrize("cell, D, H", [("rnn", 10, 64), ("gru", 3, 7), ("lstm", 1, 128)])
def test_count_parameters(cell, D, H):
    G = {"rnn": 1, "gru": 3, "lstm": 4}[cell]
    assert count_parameters(cell, D, H) == G * H * (D + H + 2)


def _last_step_loss(y):
    return (y[:, -1, 0] ** 2).mean()


@pytest.mark.parametrize("cell", CELLS)
def test_gradient_profile_against_autograd(cell):
    m = SequenceModel(cell, 4, 6, 1, seed=3)
    x = _x(5, 8, 4, dtype=torch.float32)
    prof = gradient_profile(m, x, _last_step_loss)
    twin = SequenceModel(cell, 4, 6, 1, seed=3).double()
    y, hs, cs = twin.unrolled(x.double())
    loss = _last_step_loss(y) * 5                       # per-sequence losses, summed
    grads = torch.autograd.grad(loss, hs + cs)
    want_h = [float(g.norm(dim=1).mean()) for g in grads[:8]]
    np.testing.assert_allclose(prof["h"], want_h, rtol=1e-10)
    if cell == "lstm":
        np.testing.assert_allclose(prof["c"], [float(g.norm(dim=1).mean()) for g in grads[8:]],
                                   rtol=1e-10)


def test_gradient_profile_against_finite_differences():
    """dL/dh_t of a tanh RNN by central differences on h_t itself, one sequence."""
    m = SequenceModel("rnn", 2, 4, 1, seed=0).double()
    p = m.params()
    x = _x(1, 6, 2)
    prof = gradient_profile(m, x, _last_step_loss)

    @torch.no_grad()
    def loss_from(t, h_t):                             # run steps t+1..T from a given h_t
        h = h_t
        for s in range(t + 1, 7):
            h = rnn_step(p, x[:, s - 1], h)
        return float(_last_step_loss(m.readout(h)[:, None, :]))

    hs = m.unrolled(x)[1]
    eps = 1e-6
    for t in range(1, 7):
        h = hs[t - 1].detach()
        g = torch.zeros(4, dtype=torch.float64)
        for i in range(4):
            e = torch.zeros_like(h)
            e[0, i] = eps
            g[i] = (loss_from(t, h + e) - loss_from(t, h - e)) / (2 * eps)
        assert float(g.norm()) == pytest.approx(prof["h"][t - 1], rel=1e-6)


def test_profile_resolves_norms_below_float32_range():
    m = SequenceModel("rnn", 1, 8, 1, seed=0)
    with torch.no_grad():
        m.core.weight_hh_l0.mul_(0.05)                  # strongly contracting
    x = torch.zeros(2, 40, 1)
    x[:, 0] = 1.0
    prof = gradient_profile(m, x, _last_step_loss)
    logs = log10_profile(prof["h"])
    assert logs[0] < -45 and np.isfinite(logs).all()    # float32 would have flushed to 0


@pytest.mark.parametrize("call, exc", [
    (lambda: SequenceModel("elman", 1, 2, 1, seed=0), ValueError),
    (lambda: SequenceModel("rnn", 0, 2, 1, seed=0), ValueError),
    (lambda: SequenceModel("rnn", 1, 2, 1, seed=-1), ValueError),
    (lambda: SequenceModel("rnn", 1, 2, 1, seed=0)(torch.zeros(3, 1)), ValueError),
    (lambda: gradient_profile("model", torch.zeros(1, 2, 1), _last_step_loss), TypeError),
    (lambda: count_parameters("lstm", 1, 0), ValueError),
])
def test_bad_arguments(call, exc):
    with pytest.raises(exc):
        call()


def test_forget_gates_first_step_is_sigmoid_of_the_bias():
    from vgp.gradprofile import forget_gates, gate_summary
    m = SequenceModel("lstm", 2, 3, 1, seed=0, forget_bias=1.0)
    f = forget_gates(m, torch.zeros(2, 4, 2))          # x = 0 and h_0 = 0: a_f = b_f = 1
    np.testing.assert_allclose(f[:, 0], 1 / (1 + np.exp(-1.0)), rtol=1e-6)
    s = gate_summary(f)
    assert sum(s["hist"]) == pytest.approx(1.0) and 0 < s["mean"] < 1
    with pytest.raises(ValueError):
        forget_gates(SequenceModel("gru", 2, 3, 1, seed=0), torch.zeros(1, 2, 2))
