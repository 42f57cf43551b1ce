"""vgp.jacobians: step Jacobians against autograd, product order, log-space products."""

import math

import mpmath
import numpy as np
import pytest
import torch

from vgp.jacobians import (jacobian_product, log10_jacobian_norms, log_jacobian_product,
                           step_jacobian, step_jacobians)
from vgp.rnn import forward, init_params


def _random_js(T, H, seed, scale=1.0):
    rng = np.random.default_rng(seed)
    return scale * rng.standard_normal((T, H, H)) / np.sqrt(H)


@pytest.mark.parametrize("activation", ["tanh", "sigmoid", "relu", "identity"])
def test_step_jacobians_match_torch_autograd(activation):
    p = init_params(2, 4, 1, seed=3, radius=0.9)
    x = np.random.default_rng(4).standard_normal((2, 5, 2))
    fwd = forward(p, x, activation=activation)
    Js = step_jacobians(p, fwd, b=1)
    act = {"tanh": torch.tanh, "sigmoid": torch.sigmoid, "relu": torch.relu,
           "identity": lambda z: z}[activation]
    W_hh, W_xh = torch.tensor(p.W_hh), torch.tensor(p.W_xh)
    for t in range(1, 6):
        x_t = torch.tensor(x[1, t - 1])
        step = lambda h: act(W_hh @ h + W_xh @ x_t)  # noqa: E731
        ref = torch.autograd.functional.jacobian(step, torch.tensor(fwd.h[1, t - 1]))
        np.testing.assert_allclose(Js[t - 1], ref.numpy(), rtol=1e-12, atol=1e-14)
        np.testing.assert_allclose(Js[t - 1], step_jacobian(p.W_hh, fwd.z[1, t - 1], activation))


def test_product_order_matches_chain_rule_and_reverse_differs():
    Js = _random_js(4, 3, seed=0)
    P = jacobian_product(Js, 4, 1)                 # dh_4/dh_1 = J_4 J_3 J_2
    np.testing.assert_allclose(P, Js[3] @ Js[2] @ Js[1])
    reversed_order = Js[1] @ Js[2] @ Js[3]
    assert np.max(np.abs(P - reversed_order)) > 1e-2  # non-commuting: order matters
    np.testing.assert_allclose(jacobian_product(Js, 2, 2), np.eye(3))


def test_product_is_the_jacobian_of_the_unrolled_map():
    # dh_T/dh_0 of the whole unrolled network, by torch autograd, equals J_T ... J_1.
    p = init_params(1, 3, 1, seed=5, radius=1.2)
    x = np.random.default_rng(6).standard_normal((1, 6, 1))
    h0 = np.array([0.3, -0.2, 0.5])
    fwd = forward(p, x, h0=h0)
    W_hh, W_xh = torch.tensor(p.W_hh), torch.tensor(p.W_xh)

    def unrolled(h):
        for t in range(6):
            h = torch.tanh(W_hh @ h + W_xh @ torch.tensor(x[0, t]))
        return h

    ref = torch.autograd.functional.jacobian(unrolled, torch.tensor(h0)).numpy()
    np.testing.assert_allclose(jacobian_product(step_jacobians(p, fwd), 6, 0), ref, rtol=1e-10)


def test_log_product_matches_plain_product_where_no_underflow():
    Js = _random_js(30, 4, seed=1, scale=0.8)
    lp = log_jacobian_product(Js, 25, 3)
    np.testing.assert_allclose(lp.value(), jacobian_product(Js, 25, 3), rtol=1e-10, atol=1e-300)
    for s in range(3, 26):
        P = jacobian_product(Js, 25, s)
        assert lp.log10_spectral[s - 3] == pytest.approx(math.log10(np.linalg.norm(P, 2)), abs=1e-10)
        assert lp.log10_frobenius[s - 3] == pytest.approx(math.log10(np.linalg.norm(P)), abs=1e-10)
    assert lp.log10_spectral[-1] == 0.0


def test_log_product_against_mpmath_far_below_float64():
    Js = _random_js(400, 3, seed=2, scale=0.15)     # ~1e-330 and below: float64 gives 0
    assert np.all(jacobian_product(Js, 400, 0) == 0.0)
    mpmath.mp.dps = 50
    P = mpmath.eye(3)
    for t in range(400, 0, -1):
        P = P * mpmath.matrix(Js[t - 1].tolist())
    ref = float(mpmath.log10(mpmath.mnorm(P, "f")))
    got = log_jacobian_product(Js, norms=False).log10_frobenius[0]
    assert ref < -330 and math.isfinite(got)
    assert got == pytest.approx(ref, abs=1e-9)


def test_zero_product_is_minus_inf_not_nan():
    Js = np.stack([np.eye(2), np.zeros((2, 2)), np.eye(2)])
    norms = log10_jacobian_norms(Js)
    assert norms[:2].tolist() == [-math.inf, -math.inf]
    np.testing.assert_allclose(norms[2:], [0.0, 0.0], atol=1e-15)


def test_log10_jacobian_norms_frobenius():
    Js = np.stack([np.diag([0.5, 0.5])] * 3)
    expect = [math.log10(math.sqrt(2) * 0.5 ** k) for k in (3, 2, 1, 0)]
    np.testing.assert_allclose(log10_jacobian_norms(Js, ord="frobenius"), expect)


@pytest.mark.parametrize("call, match", [
    (lambda: step_jacobian(np.ones((2, 3)), [0, 0]), "W_hh"),
    (lambda: step_jacobian(np.eye(2), [0, 0, 0]), "z_t"),
    (lambda: step_jacobian(np.eye(2), [0, np.nan]), "z_t"),
    (lambda: step_jacobian(np.eye(2), [0, 0], "softsign"), "activation"),
    (lambda: jacobian_product(np.ones((3, 2, 3)), 1, 0), "Js"),
    (lambda: jacobian_product(np.ones((3, 2, 2)), 4, 0), "t"),
    (lambda: jacobian_product(np.ones((3, 2, 2)), 1, 2), "k"),
    (lambda: log_jacobian_product(np.full((2, 2, 2), np.inf)), "Js"),
    (lambda: log10_jacobian_norms(np.ones((2, 2, 2)), ord="nuclear"), "ord"),
    (lambda: step_jacobians("params", None), "params"),
])
def test_bad_input_names_the_parameter(call, match):
    with pytest.raises((ValueError, TypeError), match=match):
        call()


from hypothesis import given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402


@settings(max_examples=30, deadline=None)
@given(T=st.integers(1, 12), H=st.integers(1, 5), scale=st.floats(0.05, 3.0),
       seed=st.integers(0, 999), data=st.data())
def test_log_product_equals_plain_product(T, H, scale, seed, data):
    Js = _random_js(T, H, seed, scale)
    t = data.draw(st.integers(0, T))
    k = data.draw(st.integers(0, t))
    lp = log_jacobian_product(Js, t, k)
    P = jacobian_product(Js, t, k)
    np.testing.assert_allclose(lp.value(), P, rtol=1e-9, atol=1e-12 * np.abs(P).max())
    assert lp.log10_spectral.shape == (t - k + 1,) and lp.log10_spectral[-1] == 0.0
    if np.abs(P).max() > 0:
        assert lp.log10_frobenius[0] == pytest.approx(math.log10(np.linalg.norm(P)), abs=1e-9)
        assert lp.log10_spectral[0] == pytest.approx(math.log10(np.linalg.norm(P, 2)), abs=1e-9)


def test_rnn_jacobian_norms_from_slopes_match_explicit_jacobians():
    from vgp.jacobians import rnn_log10_jacobian_norms
    from vgp.profile import random_rnn_slopes

    W_hh, S = random_rnn_slopes(6, 700, 0.5, input_scale=1.0, seed=2)
    S = S[:, 0]
    Js = S[:, :, None] * W_hh[None]
    for ord in ("spectral", "frobenius"):
        got = rnn_log10_jacobian_norms(W_hh, S, ord=ord)
        np.testing.assert_allclose(got, log10_jacobian_norms(Js, ord=ord), atol=1e-9)
    assert got[0] < -200 and np.all(np.isfinite(got))   # ||dh_T/dh_0|| far below 1e-200
    with pytest.raises(ValueError, match="slopes"):
        rnn_log10_jacobian_norms(W_hh, S[:, :3])
