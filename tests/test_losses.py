"""vgp.losses against torch (float64) and against finite differences of L in y."""

import numpy as np
import pytest
import torch
from hypothesis import given, settings
from hypothesis import strategies as st

from vgp.losses import log_softmax, step_loss


def _batch(seed, B=3, T=4, O=5, scale=1.0):
    rng = np.random.default_rng(seed)
    y = rng.standard_normal((B, T, O)) * scale
    return rng, y


def _torch_loss(kind, y, targets, mask):
    Y = torch.tensor(y, requires_grad=True)
    B, T, O = y.shape
    if kind == "mse":
        per_step = 0.5 * ((Y - torch.tensor(targets)) ** 2).sum(-1)
    else:
        per_step = torch.nn.functional.cross_entropy(
            Y.reshape(B * T, O), torch.tensor(targets).reshape(-1), reduction="none").reshape(B, T)
    L = (per_step * torch.tensor(mask, dtype=torch.float64)).sum() / B
    L.backward()
    return L.item(), Y.grad.numpy()


@pytest.mark.parametrize("kind", ["mse", "cross_entropy"])
@pytest.mark.parametrize("use_mask", [False, True])
def test_matches_torch(kind, use_mask):
    rng, y = _batch(0)
    targets = rng.standard_normal(y.shape) if kind == "mse" else rng.integers(0, 5, y.shape[:2])
    mask = rng.random(y.shape[:2]) < 0.6 if use_mask else None
    L, dL_dy = step_loss(kind, y, targets, mask)
    L_t, g_t = _torch_loss(kind, y, targets, np.ones(y.shape[:2], bool) if mask is None else mask)
    assert L == pytest.approx(L_t, rel=1e-13)
    np.testing.assert_allclose(dL_dy, g_t, rtol=1e-12, atol=1e-15)


@pytest.mark.parametrize("kind", ["mse", "cross_entropy"])
def test_gradient_matches_finite_differences(kind):
    rng, y = _batch(1, B=2, T=3, O=3)
    targets = rng.standard_normal(y.shape) if kind == "mse" else rng.integers(0, 3, (2, 3))
    mask = np.array([[True, False, True], [True, True, False]])
    _, dL_dy = step_loss(kind, y, targets, mask)
    eps, fd = 1e-6, np.zeros_like(y)
    for i in np.ndindex(y.shape):
        yp, ym = y.copy(), y.copy()
        yp[i] += eps
        ym[i] -= eps
        fd[i] = (step_loss(kind, yp, targets, mask)[0] - step_loss(kind, ym, targets, mask)[0]) / (2 * eps)
    np.testing.assert_allclose(dL_dy, fd, atol=1e-8)
    assert np.all(dL_dy[~mask] == 0)                  # masked steps get no gradient


def test_mask_all_false_gives_zero():
    _, y = _batch(2)
    L, dL_dy = step_loss("cross_entropy", y, np.zeros((3, 4), int), np.zeros((3, 4), bool))
    assert L == 0.0 and not dL_dy.any()


def test_cross_entropy_is_stable_for_huge_logits():
    y = np.array([[[1e4, 0.0, -1e4]]])
    L, dL_dy = step_loss("cross_entropy", y, np.array([[2]]))
    assert L == pytest.approx(2e4) and np.all(np.isfinite(dL_dy))
    np.testing.assert_allclose(dL_dy[0, 0], [1.0, 0.0, -1.0], atol=1e-300)
    assert np.allclose(np.exp(log_softmax(y)).sum(-1), 1.0)


def test_batch_mean_not_step_mean():
    # L averages over the batch but sums over time: doubling T doubles L.
    y1 = np.ones((2, 1, 1))
    y2 = np.ones((2, 2, 1))
    L1, _ = step_loss("mse", y1, np.zeros_like(y1))
    L2, _ = step_loss("mse", y2, np.zeros_like(y2))
    assert (L1, L2) == (0.5, 1.0)


@settings(max_examples=30, deadline=None)
@given(B=st.integers(1, 4), T=st.integers(1, 5), O=st.integers(1, 5),
       scale=st.floats(1e-3, 50.0), seed=st.integers(0, 2**16))
def test_cross_entropy_properties(B, T, O, scale, seed):
    rng, y = _batch(seed, B, T, O, scale)
    targets = rng.integers(0, O, (B, T))
    mask = rng.random((B, T)) < 0.5
    L, dL_dy = step_loss("cross_entropy", y, targets, mask)
    L_t, g_t = _torch_loss("cross_entropy", y, targets, mask)
    assert L >= 0 and L == pytest.approx(L_t, rel=1e-12, abs=1e-300)
    np.testing.assert_allclose(dL_dy, g_t, rtol=1e-10, atol=1e-15)
    np.testing.assert_allclose(dL_dy.sum(-1), 0.0, atol=1e-15)  # softmax - one_hot sums to 0


GOOD_Y = np.zeros((2, 3, 4))


@pytest.mark.parametrize("args, exc, name", [
    (("hinge", GOOD_Y, np.zeros((2, 3, 4))), ValueError, "kind"),
    ((None, GOOD_Y, np.zeros((2, 3, 4))), TypeError, "kind"),
    (("mse", np.zeros((2, 3)), np.zeros((2, 3))), ValueError, "y"),
    (("mse", np.full((2, 3, 4), np.nan), np.zeros((2, 3, 4))), ValueError, "y"),
    (("mse", np.zeros((2, 0, 4)), np.zeros((2, 0, 4))), ValueError, "y"),
    (("mse", GOOD_Y, np.zeros((2, 3, 5))), ValueError, "targets"),
    (("mse", GOOD_Y, np.full((2, 3, 4), np.inf)), ValueError, "targets"),
    (("mse", GOOD_Y, "abc"), TypeError, "targets"),
    (("cross_entropy", GOOD_Y, np.zeros((2, 3))), TypeError, "targets"),      # float classes
    (("cross_entropy", GOOD_Y, np.zeros((2, 3), bool)), TypeError, "targets"),
    (("cross_entropy", GOOD_Y, np.full((2, 3), 4)), ValueError, "targets"),   # class == O
    (("cross_entropy", GOOD_Y, np.full((2, 3), -1)), ValueError, "targets"),
    (("cross_entropy", GOOD_Y, np.zeros((3, 2), int)), ValueError, "targets"),
    (("mse", GOOD_Y, np.zeros((2, 3, 4)), np.ones((2, 3))), TypeError, "mask"),
    (("mse", GOOD_Y, np.zeros((2, 3, 4)), np.ones((3, 2), bool)), ValueError, "mask"),
])
def test_bad_input_names_the_parameter(args, exc, name):
    with pytest.raises(exc, match=name):
        step_loss(*args)
