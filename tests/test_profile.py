"""vgp.profile: log-space gradient profiles against float64, mpmath and torch autograd."""

import math

import mpmath
import numpy as np
import pytest
import torch
from hypothesis import given, settings
from hypothesis import strategies as st

from vgp.activations import dphi
from vgp.profile import (RNNProfile, backward_log10_norms, format_log10, gradient_profile,
                         random_rnn_profile)
from vgp.rnn import init_params


def _direct(W_hh, slopes, g):
    """Plain float64 backward recursion, no renormalisation (underflows eventually)."""
    out = [np.linalg.norm(g)]
    for t in range(len(slopes), 0, -1):
        g = W_hh.T @ (slopes[t - 1] * g)
        out.append(np.linalg.norm(g))
    with np.errstate(divide="ignore"):
        return np.log10(out[::-1])


def test_backward_matches_direct_float64_where_it_does_not_underflow():
    rng = np.random.default_rng(0)
    W = 0.9 * rng.standard_normal((5, 5)) / np.sqrt(5)
    S = rng.uniform(0.2, 1.0, (60, 5))
    g = rng.standard_normal(5)
    np.testing.assert_allclose(backward_log10_norms(W, S, g), _direct(W, S, g), atol=1e-12)


def test_backward_matches_mpmath_far_below_float64():
    rng = np.random.default_rng(1)
    H, T = 4, 800
    W = 0.3 * rng.standard_normal((H, H)) / np.sqrt(H)
    S = rng.uniform(0.3, 1.0, (T, H))
    g = rng.standard_normal(H)
    got = backward_log10_norms(W, S, g)
    assert _direct(W, S, g)[0] == -math.inf          # float64 underflows to 0 ...
    mpmath.mp.dps = 50
    Wt = mpmath.matrix(W.T.tolist())
    gm = mpmath.matrix(g.tolist())
    checks = {}
    for t in range(T, 0, -1):
        gm = Wt * mpmath.matrix([S[t - 1, i] * gm[i] for i in range(H)])
        if (t - 1) % 200 == 0:
            checks[t - 1] = float(mpmath.log10(mpmath.norm(gm)))
    assert checks[0] < -400                           # ... the truth is far below 1e-308
    for t, ref in checks.items():
        assert got[t] == pytest.approx(ref, abs=1e-9)


@pytest.mark.parametrize("activation", ["tanh", "sigmoid", "relu", "identity"])
def test_gradient_profile_matches_torch_autograd(activation):
    p = init_params(2, 6, 1, seed=2, radius=1.1)
    x = np.random.default_rng(3).standard_normal((2, 25, 2))
    dL_dhT = np.random.default_rng(4).standard_normal((2, 6))
    got = gradient_profile(p, x, dL_dhT, activation=activation)       # (T+1, B)
    act = {"tanh": torch.tanh, "sigmoid": torch.sigmoid, "relu": torch.relu,
           "identity": lambda z: z}[activation]
    W_hh, W_xh = torch.tensor(p.W_hh), torch.tensor(p.W_xh)
    h = torch.zeros(2, 6, dtype=torch.float64, requires_grad=True)
    hs = [h]
    for t in range(25):
        h = act(hs[-1] @ W_hh.T + torch.tensor(x[:, t]) @ W_xh.T)
        h.retain_grad()
        hs.append(h)
    (hs[-1] * torch.tensor(dL_dhT)).sum().backward()
    with np.errstate(divide="ignore"):
        ref = np.stack([np.log10(np.linalg.norm(h.grad.numpy(), axis=1)) for h in hs])
    np.testing.assert_allclose(got, ref, atol=1e-10)


def test_random_profile_matches_unbatched_recursion():
    prof = random_rnn_profile(6, 30, 0.9, trials=3, seed=7, input_scale=0.5)
    # rebuild the same RNN from the documented draws and run the plain recursion
    rng = np.random.default_rng(7)
    W = rng.standard_normal((6, 6)) / np.sqrt(6)
    W *= 0.9 / max(abs(np.linalg.eigvals(W)))
    W_xh = rng.standard_normal((6, 1)) * 0.5
    g = rng.standard_normal((3, 6))
    g /= np.linalg.norm(g, axis=1, keepdims=True)
    x = rng.standard_normal((30, 3, 1))
    for b in range(3):
        h, z = np.zeros(6), []
        for t in range(30):
            z.append(W @ h + W_xh @ x[t, b])
            h = np.tanh(z[-1])
        ref = _direct(W, dphi("tanh", np.array(z)), g[b])[1:]
        np.testing.assert_allclose(prof.log10_norm_trials[b], ref, atol=1e-11)
    np.testing.assert_allclose(prof.log10_norm, prof.log10_norm_trials.mean(axis=0))


def test_long_profile_is_finite_and_far_below_float64():
    prof = random_rnn_profile(32, 5000, 0.5, trials=4, seed=0)
    assert prof.log10_norm.shape == (5000,) and np.all(np.isfinite(prof.log10_norm))
    assert prof.log10_norm[-1] == 0.0 and prof.log10_norm[0] < -1000
    assert np.all(np.diff(prof.log10_norm) > 0)       # contractive: monotone towards the loss
    assert format_log10(prof.log10_norm[0]) != format_log10(-math.inf)
    assert prof.log10_rate < math.log10(0.5) + 0.01


def test_dead_relu_gives_minus_inf_not_nan():
    S = np.ones((5, 2))
    S[2] = 0.0                                        # every unit dead at step 3
    out = backward_log10_norms(np.eye(2), S, [1.0, 0.0])
    assert out.tolist() == [-math.inf, -math.inf, -math.inf, 0.0, 0.0, 0.0]
    d = RNNProfile(np.arange(1, 3), np.array([-math.inf, 0.0]), np.array([[-math.inf, 0.0]])).to_dict()
    assert d["log10_norm"] == [None, 0.0] and d["norm"][0] == "0.000e+00"


@pytest.mark.parametrize("x", [-0.00001, -0.5, 0.0, 1.0, 2.99999, 37.123456, -307.5, 300.25])
def test_format_log10_agrees_with_float_formatting_in_range(x):
    assert format_log10(x) == f"{10.0 ** x:.3e}"


def test_format_log10_outside_float_range():
    assert format_log10(-412.3) == "5.012e-413"
    assert format_log10(-1000.0) == "1.000e-1000"
    assert format_log10(-0.00001) == "1.000e+00"      # 9.99977 rounds up: carried to e+00
    assert format_log10(512.0, digits=1) == "1.0e+512"
    assert format_log10(math.nan) == "nan" and format_log10(math.inf) == "inf"


@settings(max_examples=25, deadline=None)
@given(H=st.integers(1, 8), T=st.integers(1, 40), trials=st.integers(1, 3),
       activation=st.sampled_from(["tanh", "sigmoid", "relu", "identity"]),
       radius=st.floats(0.05, 2.0), input_scale=st.floats(0.0, 3.0), seed=st.integers(0, 99))
def test_profile_properties(H, T, trials, activation, radius, input_scale, seed):
    prof = random_rnn_profile(H, T, radius, activation, input_scale, trials, seed)
    assert prof.t.tolist() == list(range(1, T + 1))
    assert prof.log10_norm.shape == (T,) and prof.log10_norm_trials.shape == (trials, T)
    assert np.all(prof.log10_norm_trials[:, -1] == 0.0)
    assert not np.any(np.isnan(prof.log10_norm_trials))
    # one backward step can grow the gradient by at most max slope * ||W_hh||_2 <= ||W_hh||_2
    rng = np.random.default_rng(seed)
    W = rng.standard_normal((H, H)) / np.sqrt(H)
    W *= radius / max(abs(np.linalg.eigvals(W)))
    finite = prof.log10_norm_trials[:, :-1][np.isfinite(prof.log10_norm_trials[:, :-1])]
    with np.errstate(invalid="ignore"):
        steps = np.diff(prof.log10_norm_trials, axis=1)
    steps = steps[np.isfinite(steps)]
    assert np.all(-steps <= math.log10(np.linalg.norm(W, 2)) + 1e-9)
    assert finite.size == 0 or np.all(finite <= (T - 1) * max(0, math.log10(np.linalg.norm(W, 2))) + 1e-9)


@pytest.mark.parametrize("kwargs, match", [
    (dict(hidden=0), "hidden"), (dict(steps=0), "steps"), (dict(radius=-0.1), "radius"),
    (dict(radius=float("nan")), "radius"), (dict(activation="gelu"), "activation"),
    (dict(input_scale=-1.0), "input_scale"), (dict(trials=0), "trials"), (dict(seed=-1), "seed"),
    (dict(steps=2.5), "steps"), (dict(hidden=10_000, steps=10_000), "memory"),
])
def test_random_profile_bad_input(kwargs, match):
    args = dict(hidden=4, steps=10, radius=0.9) | kwargs
    with pytest.raises((ValueError, TypeError), match=match):
        random_rnn_profile(**args)


@pytest.mark.parametrize("call, match", [
    (lambda: backward_log10_norms(np.ones((2, 3)), np.ones((4, 2)), [1, 0]), "W_hh"),
    (lambda: backward_log10_norms(np.eye(2), np.ones((4, 3)), [1, 0]), "slopes"),
    (lambda: backward_log10_norms(np.eye(2), np.ones((4, 2)), [1, 0, 0]), "dL_dhT"),
    (lambda: backward_log10_norms(np.eye(2), np.ones((4, 2)), [0, 0]), "dL_dhT"),
    (lambda: backward_log10_norms(np.eye(2), np.full((4, 2), np.inf), [1, 0]), "slopes"),
    (lambda: gradient_profile(init_params(1, 2, 1, seed=0), np.ones((1, 3, 1)), [1, 2, 3]), "dL_dhT"),
])
def test_backward_bad_input(call, match):
    with pytest.raises((ValueError, TypeError), match=match):
        call()
