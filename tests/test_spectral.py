"""vgp.spectral: radius/norm definitions, exact rescaling, transient growth, power norms."""

import math

import numpy as np
import pytest

from vgp.spectral import (bound_rate, log10_singular_values, nonnormal_example, power_norms,
                          rescale, singular_values, spectral_norm, spectral_radius)


def _gaussian(H, seed):
    return np.random.default_rng(seed).standard_normal((H, H)) / np.sqrt(H)


def test_radius_and_norm_definitions():
    W = _gaussian(7, 0)
    assert spectral_radius(W) == pytest.approx(max(abs(np.linalg.eigvals(W))), rel=1e-14)
    assert spectral_norm(W) == pytest.approx(np.linalg.svd(W, compute_uv=False)[0], rel=1e-14)
    assert spectral_radius(W) <= spectral_norm(W) + 1e-12
    S = W + W.T                                      # normal: radius == norm
    assert spectral_radius(S) == pytest.approx(spectral_norm(S), rel=1e-12)


@pytest.mark.parametrize("target", [0.5, 0.9, 1.0, 1.5])
def test_rescale_hits_radius_and_norm_exactly(target):
    W = _gaussian(16, 1)
    assert spectral_radius(rescale(W, radius=target)) == pytest.approx(target, rel=1e-13)
    assert spectral_norm(rescale(W, norm=target)) == pytest.approx(target, rel=1e-13)
    assert np.all(rescale(W, radius=0.0) == 0.0)


def test_nonnormal_example_has_transient_growth():
    W = nonnormal_example()
    norms = power_norms(W, 100)
    assert spectral_radius(W) < 1
    assert norms.max() > 1 and norms[-1] < 0.1        # grows, then decays
    assert not np.allclose(W @ W.T, W.T @ W)          # non-normal
    big = nonnormal_example(radius=0.8, coupling=2.0, size=4)
    assert spectral_radius(big) == pytest.approx(0.8)
    assert power_norms(big, 50).max() > 100


def test_power_norms_match_direct_powers_and_survive_underflow():
    W = _gaussian(5, 2)
    direct = [np.linalg.norm(np.linalg.matrix_power(W, m), 2) for m in range(12)]
    np.testing.assert_allclose(power_norms(W, 11), direct, rtol=1e-10)
    logs = power_norms(0.5 * W / spectral_radius(W), 3000, log10=True)
    assert np.all(np.isfinite(logs)) and logs[-1] < -800
    # the growth rate tends to log10 of the spectral radius (Gelfand's formula)
    assert (logs[-1] - logs[-1001]) / 1000 == pytest.approx(math.log10(0.5), abs=1e-3)


def test_singular_values_of_products():
    A, B = _gaussian(4, 3), _gaussian(4, 4)
    np.testing.assert_allclose(singular_values(A, B), np.linalg.svd(A @ B, compute_uv=False))
    Js = np.stack([0.1 * _gaussian(3, s) for s in range(300)])
    top = log10_singular_values(Js)[0]
    P = np.eye(3)
    for J in Js[:20]:
        P = J @ P
    assert math.isfinite(top) and top < -300
    short = log10_singular_values(Js[:20])
    np.testing.assert_allclose(short[:2], np.log10(np.linalg.svd(P, compute_uv=False)[:2]), rtol=1e-8)


def test_bound_rate():
    W = _gaussian(6, 5)
    assert bound_rate(W, "tanh") == pytest.approx(spectral_norm(W))
    assert bound_rate(W, "sigmoid") == pytest.approx(spectral_norm(W) / 4)


@pytest.mark.parametrize("call, match", [
    (lambda: spectral_radius(np.ones((2, 3))), "W"),
    (lambda: spectral_radius([[1.0, np.nan], [0.0, 1.0]]), "W"),
    (lambda: rescale(np.eye(2), radius=-1.0), "radius"),
    (lambda: rescale(np.eye(2), norm=float("inf")), "norm"),
    (lambda: rescale(np.eye(2)), "radius"),
    (lambda: rescale(np.eye(2), radius=1.0, norm=1.0), "radius"),
    (lambda: rescale(np.eye(2, k=1), radius=1.0), "nilpotent"),
    (lambda: power_norms(np.eye(2), -1), "n"),
    (lambda: nonnormal_example(radius=-0.5), "radius"),
    (lambda: nonnormal_example(size=0), "size"),
    (lambda: singular_values(np.eye(2), np.eye(3)), "Ws"),
    (lambda: bound_rate(np.eye(2), "gelu"), "activation"),
])
def test_bad_input_names_the_parameter(call, match):
    with pytest.raises((ValueError, TypeError), match=match):
        call()
