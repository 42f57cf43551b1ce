"""The worked 2x2 example against independent oracles: exact algebra, torch autograd
(float64) and central finite differences; and the order of the Jacobian product."""

from __future__ import annotations

import numpy as np
import pytest
import torch

from vgp.worked_example import (
    WorkedExample,
    finite_difference_product,
    log10_product_norm,
    rates,
    unroll,
    worked_example,
)

W = np.array([[0.5, 0.3], [-0.2, 0.4]])
H0 = np.array([1.0, 0.0])


def autograd_product(W_hh, h_0, steps, activation="tanh"):
    """dh_T/dh_0 of the unrolled map, by torch.autograd in float64."""
    act = {"tanh": torch.tanh, "sigmoid": torch.sigmoid, "relu": torch.relu,
           "identity": lambda z: z}[activation]
    Wt = torch.tensor(W_hh, dtype=torch.float64)

    def f(h):
        for _ in range(steps):
            h = act(Wt @ h)
        return h

    return torch.autograd.functional.jacobian(f, torch.tensor(h_0, dtype=torch.float64)).numpy()


def test_eigenvalues_exact():
    ex = worked_example()
    # trace 0.9, det 0.26: lambda = 0.45 +- i sqrt(0.26 - 0.45^2) = 0.45 +- i sqrt(0.0575)
    np.testing.assert_allclose(ex.eigenvalues, [0.45 + 1j * np.sqrt(0.0575), 0.45 - 1j * np.sqrt(0.0575)],
                               rtol=0, atol=1e-15)
    np.testing.assert_allclose(ex.eigenvalue_magnitudes, np.sqrt(0.26), rtol=1e-15)
    # singular values: sigma^2 are the eigenvalues of W^T W = [[0.29, 0.07], [0.07, 0.25]]
    s2 = np.linalg.eigvalsh(W.T @ W)[::-1]
    np.testing.assert_allclose(ex.singular_values ** 2, s2, rtol=1e-14)
    np.testing.assert_allclose(ex.singular_values ** 2, [0.27 + np.sqrt(0.0053), 0.27 - np.sqrt(0.0053)],
                               rtol=1e-14)


def test_states_follow_the_recurrence():
    ex = worked_example()
    h = H0
    for t in range(1, 6):
        z = W @ h
        np.testing.assert_allclose(ex.z[t - 1], z, rtol=1e-15)
        h = np.tanh(z)
        np.testing.assert_allclose(ex.h[t], h, rtol=1e-15)
    np.testing.assert_allclose(ex.h[0], H0)
    np.testing.assert_allclose(ex.z[0], [0.5, -0.2])
    np.testing.assert_allclose(unroll(), ex.h[-1], rtol=1e-15)


@pytest.mark.parametrize("steps", [1, 2, 5])
def test_product_matches_autograd_and_finite_differences(steps):
    ex = worked_example(steps=steps)
    ref = autograd_product(W, H0, steps)
    np.testing.assert_allclose(ex.product, ref, rtol=1e-12, atol=1e-15)
    fd = finite_difference_product(steps=steps)
    np.testing.assert_allclose(ex.product, fd, rtol=1e-7, atol=1e-10)
    for t in range(1, steps + 1):  # every cumulative product dh_t/dh_0
        np.testing.assert_allclose(ex.cumulative[t - 1], autograd_product(W, H0, t), rtol=1e-12, atol=1e-15)


def test_step_jacobians_match_autograd():
    ex = worked_example()
    for t in range(1, 6):
        h_prev = torch.tensor(ex.h[t - 1])
        ref = torch.autograd.functional.jacobian(lambda h: torch.tanh(torch.tensor(W) @ h), h_prev).numpy()
        np.testing.assert_allclose(ex.jacobians[t - 1], ref, rtol=1e-13, atol=1e-16)
        np.testing.assert_allclose(ex.slopes[t - 1], 1 - ex.h[t] ** 2, rtol=1e-13)
        np.testing.assert_allclose(ex.jacobian_radii[t - 1], max(abs(np.linalg.eigvals(ref))), rtol=1e-12)


def test_product_order_matters():
    ex = worked_example()
    J = ex.jacobians
    right = J[4] @ J[3] @ J[2] @ J[1] @ J[0]
    wrong = J[0] @ J[1] @ J[2] @ J[3] @ J[4]
    np.testing.assert_allclose(ex.product, right, rtol=1e-14)
    assert np.max(np.abs(wrong - ex.product)) > 1e-3 * np.max(np.abs(ex.product))
    ref = autograd_product(W, H0, 5)
    assert not np.allclose(wrong, ref, rtol=1e-6, atol=0)


def test_norms():
    ex = worked_example()
    s = np.linalg.svd(ex.product, compute_uv=False)
    assert ex.product_spectral_norm == pytest.approx(s[0], rel=1e-14)
    assert ex.product_frobenius_norm == pytest.approx(np.sqrt(np.sum(s ** 2)), rel=1e-14)
    assert ex.product_spectral_norm <= ex.product_frobenius_norm <= np.sqrt(2) * ex.product_spectral_norm
    # sub-multiplicativity: ||J_5...J_1|| <= prod ||J_t|| <= sigma_max(W)^5 (tanh' <= 1)
    assert ex.product_spectral_norm <= np.prod(ex.jacobian_norms) <= ex.singular_values[0] ** 5


def test_two_by_two_radius_identity():
    # For a real 2x2 matrix with complex eigenvalues |lambda|^2 = det; every J_t and the product
    # have complex eigenvalues here, so rho(product) = prod rho(J_t) exactly.
    ex = worked_example()
    rho_product = max(abs(np.linalg.eigvals(ex.product)))
    assert rho_product == pytest.approx(np.prod(ex.jacobian_radii), rel=1e-12)


@pytest.mark.parametrize("activation", ["tanh", "sigmoid", "identity"])
def test_other_matrices_and_activations(activation):
    rng = np.random.default_rng(3)
    W3 = rng.standard_normal((3, 3)) * 0.7
    h0 = rng.standard_normal(3)
    ex = worked_example(W3, h0, steps=7, activation=activation)
    assert ex.cumulative.shape == (7, 3, 3) and ex.h.shape == (8, 3)
    np.testing.assert_allclose(ex.product, autograd_product(W3, h0, 7, activation), rtol=1e-11, atol=1e-15)
    np.testing.assert_allclose(ex.product, finite_difference_product(W3, h0, 7, activation),
                               rtol=1e-6, atol=1e-9)
    np.testing.assert_allclose(log10_product_norm(W3, h0, 7, activation)[-1],
                               np.log10(ex.product_spectral_norm), rtol=1e-12)


def test_log_norm_never_underflows():
    logs = log10_product_norm(steps=3000)
    assert np.all(np.isfinite(logs))
    assert logs[-1] < -800  # far below the smallest float64 (~1e-308)
    # slope approaches log10 rho(W) since h_t -> 0 and J_t -> W
    slope = (logs[-1] - logs[-1001]) / 1000
    assert slope == pytest.approx(np.log10(np.sqrt(0.26)), abs=1e-4)
    # relu with h_0 = 0: J_t = 0, the product is exactly 0, reported as -inf
    assert np.all(np.isneginf(log10_product_norm(W, [0.0, 0.0], steps=3, activation="relu")))


def test_rates():
    ex = worked_example()
    r = rates(ex)
    assert r["rho"] == pytest.approx(np.sqrt(0.26))
    assert r["mean_rate"] == pytest.approx(ex.product_spectral_norm ** 0.2)
    assert r["rho"] < r["mean_rate"] < r["sigma_max"]
    with pytest.raises(TypeError, match="ex"):
        rates("not an example")


@pytest.mark.parametrize("kwargs, exc, name", [
    (dict(W_hh=[[1.0, 2.0]]), ValueError, "W_hh"),
    (dict(W_hh="W"), TypeError, "W_hh"),
    (dict(W_hh=[[np.nan, 0], [0, 1]]), ValueError, "W_hh"),
    (dict(h_0=[1.0, 0.0, 0.0]), ValueError, "h_0"),
    (dict(h_0=[[1.0, 0.0]]), ValueError, "h_0"),
    (dict(steps=0), ValueError, "steps"),
    (dict(steps=2.5), TypeError, "steps"),
    (dict(steps=True), TypeError, "steps"),
    (dict(activation="gelu"), ValueError, "activation"),
])
def test_validation(kwargs, exc, name):
    for fn in (worked_example, finite_difference_product, unroll, log10_product_norm):
        with pytest.raises(exc, match=name):
            fn(**kwargs)


def test_eps_validation():
    with pytest.raises(ValueError, match="eps"):
        finite_difference_product(eps=0.0)
    with pytest.raises(TypeError, match="eps"):
        finite_difference_product(eps="small")


def test_result_type():
    assert isinstance(worked_example(), WorkedExample)
    assert worked_example().steps == 5


def test_predictions_at_fifty_steps():
    from vgp.worked_example import predict_log10_norm

    ex = worked_example()
    p = predict_log10_norm(ex, 50)
    direct = worked_example(steps=50).product_spectral_norm   # 1e-15: no underflow yet
    assert p["computed"] == pytest.approx(np.log10(direct), abs=1e-10)
    assert p["computed"] <= p["bound"]                         # the bound holds
    assert abs(p["last_radius"] - p["computed"]) < abs(p["mean_rate"] - p["computed"])
    with pytest.raises(ValueError, match="n"):
        predict_log10_norm(ex, 4)
    with pytest.raises(TypeError, match="ex"):
        predict_log10_norm(None, 50)


def test_determinant_identity_and_where_the_radius_identity_fails():
    """The lesson's 50-step claims: sigma_1 sigma_2 of dh_t/dh_0 is prod rho(J_s)^2 at every t
    (each J_s has a complex pair, so |det J_s| = rho(J_s)^2), while rho(dh_t/dh_0) equals
    prod rho(J_s) only where the product's own eigenvalues are a complex pair."""
    ex = worked_example(steps=50)
    radii = np.cumprod(ex.jacobian_radii)
    for J in ex.jacobians:
        assert np.trace(J) ** 2 - 4 * np.linalg.det(J) < 0
        assert abs(np.linalg.det(J)) == pytest.approx(np.max(np.abs(np.linalg.eigvals(J))) ** 2, rel=1e-12)
    sv = np.linalg.svd(ex.cumulative, compute_uv=False)
    np.testing.assert_allclose(sv[:, 0] * sv[:, 1], radii ** 2, rtol=1e-10, atol=0)
    for t in range(1, 51):
        P = ex.cumulative[t - 1]
        rho_P = np.max(np.abs(np.linalg.eigvals(P)))
        complex_pair = np.trace(P) ** 2 - 4 * np.linalg.det(P) < 0
        assert np.isclose(rho_P, radii[t - 1], rtol=1e-9, atol=0) == complex_pair, t
