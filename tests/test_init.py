"""vgp.init: spectra of the initialisers."""

import numpy as np
import pytest

from vgp.init import INITIALISERS, gaussian, identity, orthogonal, recurrent, small_random
from vgp.profile import random_rnn_slopes, rnn_profile
from vgp.spectral import spectral_radius


@pytest.mark.parametrize("H", [1, 2, 17, 128])
def test_orthogonal_has_all_singular_values_one(H):
    W = orthogonal(H, seed=H)
    np.testing.assert_allclose(np.linalg.svd(W, compute_uv=False), 1.0, atol=1e-12)
    np.testing.assert_allclose(W.T @ W, np.eye(H), atol=1e-12)


def test_orthogonal_is_seeded_and_haar_signs():
    assert np.array_equal(orthogonal(5, seed=3), orthogonal(5, seed=3))
    assert not np.array_equal(orthogonal(5, seed=3), orthogonal(5, seed=4))
    # Haar: the mean of the diagonal over many draws is ~0 (un-fixed QR biases it)
    diag = np.array([np.diag(orthogonal(4, seed=s)) for s in range(400)])
    assert abs(diag.mean()) < 0.05


def test_identity_and_small_random_and_gaussian():
    assert np.array_equal(identity(3), np.eye(3))
    W = small_random(200, std=0.01, seed=0)
    assert W.std() == pytest.approx(0.01, rel=0.02)
    assert spectral_radius(W) == pytest.approx(0.01 * np.sqrt(200), rel=0.15)
    assert spectral_radius(gaussian(30, seed=1, radius=1.3)) == pytest.approx(1.3, rel=1e-12)
    # the same matrix as the random RNN of vgp.profile with the same seed
    assert np.allclose(gaussian(12, seed=5, radius=0.7), random_rnn_slopes(12, 2, 0.7, seed=5)[0])


def test_orthogonal_keeps_linear_gradients_at_norm_one():
    prof = rnn_profile(orthogonal(16, seed=0), 500, activation="identity", trials=2)
    np.testing.assert_allclose(prof.log10_norm, 0.0, atol=1e-10)


def test_recurrent_dispatch():
    for kind in INITIALISERS:
        assert recurrent(kind, 4, seed=1).shape == (4, 4)
    assert np.array_equal(recurrent("orthogonal", 4, seed=1), orthogonal(4, seed=1))


@pytest.mark.parametrize("call, match", [
    (lambda: orthogonal(0, seed=0), "H"), (lambda: orthogonal(3, seed=-1), "seed"),
    (lambda: orthogonal(3, seed=0, gain=-1.0), "gain"), (lambda: identity(2, float("nan")), "scale"),
    (lambda: small_random(3, std=-0.1), "std"), (lambda: gaussian(2.0, seed=0), "H"),
    (lambda: gaussian(3, seed=0, radius=-1.0), "radius"), (lambda: recurrent("xavier", 3), "kind"),
])
def test_bad_input_names_the_parameter(call, match):
    with pytest.raises((ValueError, TypeError), match=match):
        call()
