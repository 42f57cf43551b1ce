"""vgp.vanishing: power tables, the naive float64 recursion against the log-space one,
per-step terms of dL/dW_hh against BPTT, swamping, and the no-op update."""

import math

import numpy as np
import pytest

from vgp.bptt import backward
from vgp.profile import backward_log10_norms, random_rnn_slopes
from vgp.rnn import forward, init_params
from vgp.vanishing import (contributions_to_dW_hh, lost_horizon, naive_backward_norms,
                           power_table, radius_profiles, safe_norm, swamping,
                           swamping_example, update_is_noop)


@pytest.mark.parametrize("gamma, n", [(0.45, 10), (0.45, 100), (1.1, 50), (0.9, 7), (2.0, 30)])
def test_power_table_matches_direct_power_where_representable(gamma, n):
    row = power_table(gamma, [n]).splitlines()[1].split()
    assert row[0] == str(n)
    assert row[1] == f"{gamma ** n:.3e}"


def test_power_table_beyond_float_range():
    lines = power_table(0.1, [400, 0]).splitlines()
    assert lines[1].split()[1] == "1.000e-400" and lines[2].split()[1] == "1.000e+00"
    assert power_table(10.0, [500]).splitlines()[1].split()[1] == "1.000e+500"
    with pytest.raises(ValueError, match="ns"):
        power_table(0.5, [])
    with pytest.raises(ValueError, match="gamma"):
        power_table(0.0, [1])


def test_safe_norm():
    rng = np.random.default_rng(0)
    v = rng.standard_normal(50)
    assert safe_norm(v) == pytest.approx(np.linalg.norm(v), rel=1e-14)
    for scale in (1e-300, 1e-170, 1e170, 1e300):
        assert safe_norm(v * scale) == pytest.approx(np.linalg.norm(v) * scale, rel=1e-13)
    assert safe_norm(np.zeros(3)) == 0.0 and safe_norm([]) == 0.0


def test_naive_agrees_with_log_space_until_it_underflows():
    W_hh, S = random_rnn_slopes(32, 1200, 0.5, seed=3)
    g = np.ones(32) / np.sqrt(32)
    naive = naive_backward_norms(W_hh, S[:, 0], g)
    logs = backward_log10_norms(W_hh, S[:, 0], g)
    normal = naive > 1e-300
    np.testing.assert_allclose(np.log10(naive[normal]), logs[normal], rtol=0, atol=1e-10)
    assert naive[0] == 0.0 and logs[0] < -330          # underflowed, yet known in log space
    assert np.all(np.diff((naive == 0).astype(int)) <= 0)   # once 0 (going back), always 0


def test_naive_overflows_when_exploding():
    W = 2.0 * np.eye(3)
    out = naive_backward_norms(W, np.ones((1100, 3)), [1.0, 0.0, 0.0])
    bad = np.flatnonzero(~np.isfinite(out))
    assert np.isinf(out[bad[-1]]) and (1100 - int(bad[-1])) * math.log10(2.0) > 308  # overflow
    assert np.isnan(out[0])                      # then inf * 0 inside the matmul: NaN
    assert out[-1] == 1.0 and out[1100 - 10] == 2.0 ** 10


def test_contributions_sum_to_bptt_gradient():
    p = init_params(2, 5, 3, seed=4, radius=1.1)
    rng = np.random.default_rng(4)
    x = rng.standard_normal((12, 2))
    dL_dyT = rng.standard_normal(3)
    C = contributions_to_dW_hh(p, x, dL_dyT)
    dL_dy = np.zeros((1, 12, 3))
    dL_dy[0, -1] = dL_dyT
    ref = backward(p, forward(p, x[None]), dL_dy).dW_hh
    np.testing.assert_allclose(C.sum(axis=0), ref, rtol=1e-12, atol=1e-14)
    assert np.all(C[0] == 0.0)                          # h_0 = 0: no first term


def test_contributions_against_finite_differences_of_truncated_use():
    """Term k is the gradient w.r.t. the copy of W_hh used at step k only."""
    p = init_params(1, 3, 1, seed=5, radius=0.9)
    x = np.random.default_rng(5).standard_normal((6, 1))
    C = contributions_to_dW_hh(p, x, [1.0])
    k, (i, j), eps = 4, (1, 2), 1e-6

    def loss_with_step_k_perturbed(delta):
        h = np.zeros(3)
        for t in range(1, 7):
            W = p.W_hh.copy()
            if t == k:
                W[i, j] += delta
            h = np.tanh(W @ h + p.W_xh @ x[t - 1] + p.b_h)
        return float(p.W_hy[0] @ h + p.b_y[0])              # L = y_T, so dL/dy_T = 1

    fd = (loss_with_step_k_perturbed(eps) - loss_with_step_k_perturbed(-eps)) / (2 * eps)
    assert C[k - 1, i, j] == pytest.approx(fd, rel=1e-7, abs=1e-10)


def test_swamping_and_lost_horizon():
    C = swamping_example(steps=120, radius=0.6)
    m = lost_horizon(C)
    assert 1 < m < 120
    assert swamping(C, m)["identical"] and not swamping(C, m - 1)["identical"]
    assert swamping(C, 120)["identical"] and swamping(C, 120)["relative_far"] == 0.0
    with pytest.raises(ValueError, match="horizon"):
        swamping(C, 0)


def test_update_is_noop():
    assert update_is_noop(1.0, 1e-17, 1.0)
    assert not update_is_noop(1.0, 1e-15, 1.0)
    assert update_is_noop(0.0, 0.0, 0.1)


def test_radius_profiles_small():
    profs = radius_profiles((0.5, 1.5), hidden=8, steps=200, trials=2)
    assert list(profs) == [0.5, 1.5]
    assert profs[0.5].log10_norm[0] < profs[1.5].log10_norm[0]
    assert profs[0.5].log10_norm.shape == (200,)
    assert math.isclose(profs[0.5].log10_norm[-1], 0.0)
