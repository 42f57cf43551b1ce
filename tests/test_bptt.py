"""vgp.bptt against torch autograd (float64, 1e-10 relative) and central finite differences."""

import numpy as np
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from vgp.activations import ACTIVATIONS, dphi
from vgp.bptt import PARAM_NAMES, Gradients, backward, loss_and_grads
from vgp.gradcheck import finite_difference_grads, max_relative_error, torch_loss_and_grads
from vgp.rnn import RNNParams, forward, init_params

TORCH_TOL = 1e-10


def problem(seed, B=2, T=5, D=3, H=4, O=3, *, loss="mse", scale=1.0, radius=None):
    """Random parameters (non-zero biases), inputs, h0, targets and mask."""
    rng = np.random.default_rng(seed)
    p = init_params(D, H, O, seed=seed, scale=scale, radius=radius)
    p.b_h[:] = 0.3 * rng.standard_normal(H)
    p.b_y[:] = 0.3 * rng.standard_normal(O)
    x = rng.standard_normal((B, T, D))
    h0 = 0.5 * rng.standard_normal((B, H))
    targets = rng.standard_normal((B, T, O)) if loss == "mse" else rng.integers(0, O, (B, T))
    mask = rng.random((B, T)) < 0.7
    return p, x, h0, targets, mask


def assert_matches_torch(p, x, targets, *, loss, activation, h0, mask, tol=TORCH_TOL):
    L, g = loss_and_grads(p, x, targets, loss=loss, activation=activation, h0=h0, mask=mask)
    L_t, g_t = torch_loss_and_grads(p, x, targets, loss=loss, activation=activation, h0=h0, mask=mask)
    assert L == pytest.approx(L_t, rel=1e-12, abs=1e-300)
    for name in PARAM_NAMES:
        err = max_relative_error(getattr(g, "d" + name), getattr(g_t, "d" + name))
        assert err < tol, (name, err)
    assert max_relative_error(g.dL_dh, g_t.dL_dh) < tol
    return g


@pytest.mark.parametrize("activation", ACTIVATIONS)
@pytest.mark.parametrize("loss", ["mse", "cross_entropy"])
def test_every_gradient_matches_torch(activation, loss):
    p, x, h0, targets, mask = problem(0, loss=loss, radius=1.2)
    assert_matches_torch(p, x, targets, loss=loss, activation=activation, h0=h0, mask=mask)


@pytest.mark.parametrize("activation", ACTIVATIONS)
@pytest.mark.parametrize("loss", ["mse", "cross_entropy"])
def test_every_gradient_matches_finite_differences(activation, loss):
    p, x, h0, targets, mask = problem(1, loss=loss, radius=0.9)
    _, g = loss_and_grads(p, x, targets, loss=loss, activation=activation, h0=h0, mask=mask)
    fd = finite_difference_grads(p, x, targets, loss=loss, activation=activation, h0=h0, mask=mask)
    for name in PARAM_NAMES:
        assert max_relative_error(getattr(g, "d" + name), fd[name]) < 1e-7, name


def test_recursion_with_explicit_step_jacobians():
    """dL/dh_t = W_hy^T dL/dy_t + J_{t+1}^T dL/dh_{t+1} with J = diag(phi'(z)) W_hh (column form)."""
    p, x, h0, targets, _ = problem(2, B=1, T=6)
    fwd = forward(p, x, h0=h0)
    dL_dy = np.random.default_rng(3).standard_normal(fwd.y.shape)
    g = backward(p, fwd, dL_dy)
    T = x.shape[1]
    nxt = np.zeros(p.W_hh.shape[0])
    for t in range(T, -1, -1):
        J_next = np.diag(dphi("tanh", fwd.z[0, t])) @ p.W_hh if t < T else np.zeros_like(p.W_hh)
        direct = p.W_hy.T @ dL_dy[0, t - 1] if t >= 1 else 0.0   # h_0 has no output
        expected = direct + J_next.T @ nxt
        np.testing.assert_allclose(g.dL_dh[0, t], expected, rtol=1e-12, atol=1e-14)
        nxt = expected


def test_backward_is_linear_in_dL_dy():
    p, x, h0, _, _ = problem(4)
    fwd = forward(p, x, h0=h0, activation="sigmoid")
    rng = np.random.default_rng(5)
    a, b = rng.standard_normal(fwd.y.shape), rng.standard_normal(fwd.y.shape)
    ga, gb, gab = backward(p, fwd, a), backward(p, fwd, b), backward(p, fwd, 2 * a - 3 * b)
    for f in (*("d" + n for n in PARAM_NAMES), "dL_dh"):
        np.testing.assert_allclose(getattr(gab, f), 2 * getattr(ga, f) - 3 * getattr(gb, f),
                                   rtol=1e-10, atol=1e-12)


def test_single_step_closed_form():
    # T = 1, identity activation, mse: y = W_hy (W_xh x + b_h) + b_y, everything by hand.
    p = RNNParams([[2.0]], [[0.5]], [0.1], [[3.0]], [0.2])
    x, target = np.array([[[1.0]]]), np.array([[[0.0]]])
    L, g = loss_and_grads(p, x, target, activation="identity")
    h = 2.0 * 1.0 + 0.1
    y = 3.0 * h + 0.2
    assert L == pytest.approx(0.5 * y**2)
    assert (g.db_y[0], g.dW_hy[0, 0]) == pytest.approx((y, y * h))
    assert (g.db_h[0], g.dW_xh[0, 0], g.dW_hh[0, 0]) == pytest.approx((3 * y, 3 * y, 0.0))
    assert g.dL_dh[0, 0, 0] == pytest.approx(3 * y * 0.5)


def test_masked_steps_only_reach_earlier_states():
    p, x, h0, targets, _ = problem(6, B=1, T=5)
    mask = np.array([[False, False, True, False, False]])    # loss only at t = 3
    _, g = loss_and_grads(p, x, targets, h0=h0, mask=mask)
    assert not g.dL_dh[0, 4:].any()                            # h_4, h_5 do not affect L
    assert np.all(np.abs(g.dL_dh[0, :4]).sum(-1) > 0)
    assert_matches_torch(p, x, targets, loss="mse", activation="tanh", h0=h0, mask=mask)


def test_gradients_as_dict():
    p, x, _, targets, _ = problem(7)
    _, g = loss_and_grads(p, x, targets)
    d = g.as_dict()
    assert list(d) == list(PARAM_NAMES)
    assert all(d[n].shape == getattr(p, n).shape for n in PARAM_NAMES)


@settings(max_examples=35, deadline=None)
@given(B=st.integers(1, 3), T=st.integers(1, 6), D=st.integers(1, 4), H=st.integers(1, 4),
       O=st.integers(1, 4), activation=st.sampled_from(ACTIVATIONS),
       loss=st.sampled_from(["mse", "cross_entropy"]), scale=st.floats(0.05, 4.0),
       seed=st.integers(0, 2**16))
def test_property_torch_and_finite_differences(B, T, D, H, O, activation, loss, scale, seed):
    p, x, h0, targets, mask = problem(seed, B, T, D, H, O, loss=loss, scale=scale)
    g = assert_matches_torch(p, x, targets, loss=loss, activation=activation, h0=h0, mask=mask)
    # Finite differences are exact only where phi is smooth: keep relu away from its kink.
    fwd = forward(p, x, h0=h0, activation=activation)
    assume(activation != "relu" or np.min(np.abs(fwd.z)) > 1e-4)
    fd = finite_difference_grads(p, x, targets, loss=loss, activation=activation, h0=h0,
                                 mask=mask, eps=1e-6)
    L = abs(loss_and_grads(p, x, targets, loss=loss, activation=activation, h0=h0, mask=mask)[0])
    for name in PARAM_NAMES:
        ours = getattr(g, "d" + name)
        # truncation O(eps^2) plus rounding ~ u |L| / eps
        np.testing.assert_allclose(ours, fd[name], rtol=1e-5, atol=1e-8 * (1 + L), err_msg=name)


# ---- bad input -------------------------------------------------------------------------

def test_bad_input_names_the_parameter():
    p, x, h0, targets, mask = problem(8)
    with pytest.raises(ValueError, match="loss"):
        loss_and_grads(p, x, targets, loss="hinge")
    with pytest.raises(ValueError, match="activation"):
        loss_and_grads(p, x, targets, activation="gelu")
    with pytest.raises(ValueError, match="T >= 1"):
        loss_and_grads(p, np.zeros((2, 0, 3)), np.zeros((2, 0, 3)))
    with pytest.raises(ValueError, match="x"):
        loss_and_grads(p, np.zeros((2, 5, 7)), targets)
    with pytest.raises(ValueError, match="x"):
        loss_and_grads(p, np.full((2, 5, 3), np.inf), targets)
    with pytest.raises(ValueError, match="h0"):
        loss_and_grads(p, x, targets, h0=np.zeros(9))
    with pytest.raises(ValueError, match="W_hh"):
        loss_and_grads(RNNParams(p.W_xh, np.zeros((4, 3)), p.b_h, p.W_hy, p.b_y), x, targets)
    with pytest.raises(TypeError, match="targets"):
        loss_and_grads(p, x, np.zeros((2, 5)), loss="cross_entropy")
    with pytest.raises(ValueError, match="targets"):
        loss_and_grads(p, x, np.full((2, 5), 3), loss="cross_entropy")
    with pytest.raises(TypeError, match="params"):
        loss_and_grads({"W_hh": p.W_hh}, x, targets)


def test_backward_bad_input():
    p, x, h0, _, _ = problem(9)
    fwd = forward(p, x, h0=h0)
    with pytest.raises(TypeError, match="params"):
        backward("params", fwd, fwd.y)
    with pytest.raises(TypeError, match="fwd"):
        backward(p, (fwd.x, fwd.z), fwd.y)
    with pytest.raises(ValueError, match="dL_dy"):
        backward(p, fwd, fwd.y[:, :-1])
    with pytest.raises(ValueError, match="dL_dy"):
        backward(p, fwd, np.full_like(fwd.y, np.nan))
    other = init_params(3, 5, 3, seed=0)
    with pytest.raises(ValueError, match="fwd"):
        backward(other, fwd, fwd.y)
    assert isinstance(backward(p, fwd, fwd.y), Gradients)
