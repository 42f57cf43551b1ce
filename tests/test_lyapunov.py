"""vgp.lyapunov: repeated-QR exponents against log spectral radius and brute-force products."""

import math

import numpy as np
import pytest

from vgp.jacobians import log_jacobian_product
from vgp.lyapunov import (lyapunov_spectrum, naive_rate, random_rnn_lyapunov,
                          rnn_lyapunov_spectrum)
from vgp.profile import random_rnn_profile, random_rnn_slopes
from vgp.spectral import rescale


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_linear_constant_jacobian_gives_log_spectral_radius(seed):
    # identity activation, no input: J_t = W_hh for every t, lambda_1 = ln rho(W_hh)
    W = np.random.default_rng(seed).standard_normal((6, 6)) / math.sqrt(6)
    W = rescale(W, radius=0.8)
    lam = rnn_lyapunov_spectrum(W, np.ones((3000, 6)), burn_in=300)[0]
    assert lam == pytest.approx(math.log(0.8), abs=5e-3)


def test_full_spectrum_of_a_constant_matrix_is_log_eigenvalue_moduli():
    W = np.triu(np.random.default_rng(3).standard_normal((4, 4)), 1) + np.diag([0.9, -0.6, 0.3, 0.1])
    got = lyapunov_spectrum(np.stack([W] * 2000), k=4, burn_in=200)
    np.testing.assert_allclose(got, np.log([0.9, 0.6, 0.3, 0.1]), atol=5e-3)


def test_exponent_matches_brute_force_log_space_product():
    # a real tanh RNN: compare QR with (1/n) ln ||J_1^T ... J_T^T|| from the log-space product
    W_hh, S = random_rnn_slopes(8, 3000, 1.3, input_scale=1.0, seed=4)
    S = S[:, 0]
    Js = S[:, :, None] * W_hh[None]
    lp = log_jacobian_product(Js, norms=False)                  # J_T ... J_1 (same norm as ^T)
    brute = lp.log10_frobenius[0] * math.log(10) / 3000
    lam = rnn_lyapunov_spectrum(W_hh, S)[0]
    assert lam == pytest.approx(brute, abs=2e-3)
    np.testing.assert_allclose(lyapunov_spectrum(Js), lam, rtol=1e-12)


def test_exponent_predicts_the_profile_slope():
    est = random_rnn_lyapunov(32, 3000, 0.9, seed=0)
    prof = random_rnn_profile(32, 3000, 0.9, trials=1, seed=0)
    assert est.log10_rate == pytest.approx(prof.log10_rate, abs=2e-3)
    assert est.radius == pytest.approx(0.9)
    assert est.naive == pytest.approx(math.log(0.9 * est.mean_slope))


def test_naive_rate_can_be_far_off_for_saturated_units():
    est = random_rnn_lyapunov(32, 2000, 2.0, input_scale=1.0, seed=0)
    assert abs(est.exponent - est.naive) > 0.05


def test_dead_units_give_minus_inf():
    assert rnn_lyapunov_spectrum(np.eye(2), np.zeros((5, 2)))[0] == -math.inf
    assert naive_rate(np.eye(2), np.zeros((3, 2))) == -math.inf


@pytest.mark.parametrize("call, match", [
    (lambda: lyapunov_spectrum(np.ones((3, 2, 3))), "Js"),
    (lambda: lyapunov_spectrum(np.ones((3, 2, 2)), k=3), "k"),
    (lambda: lyapunov_spectrum(np.ones((3, 2, 2)), burn_in=3), "burn_in"),
    (lambda: rnn_lyapunov_spectrum(np.eye(2), np.ones((3, 3))), "slopes"),
    (lambda: rnn_lyapunov_spectrum(np.ones((2, 3)), np.ones((3, 3))), "W_hh"),
    (lambda: naive_rate(np.eye(2), []), "slopes"),
    (lambda: random_rnn_lyapunov(4, 0, 0.9), "steps"),
    (lambda: random_rnn_lyapunov(4, 10, -0.9), "radius"),
])
def test_bad_input_names_the_parameter(call, match):
    with pytest.raises((ValueError, TypeError), match=match):
        call()
