"""vgp.clip against torch.nn.utils.clip_grad_norm_ / clip_grad_value_ (float64)."""

import numpy as np
import pytest
import torch
from hypothesis import given, settings
from hypothesis import strategies as st

from vgp.bptt import PARAM_NAMES, Gradients, loss_and_grads
from vgp.clip import clip_by_global_norm, clip_by_value, global_norm
from vgp.rnn import init_params


def _torch_clip_norm(arrays, max_norm):
    ts = [torch.nn.Parameter(torch.zeros(a.shape, dtype=torch.float64)) for a in arrays]
    for t, a in zip(ts, arrays):
        t.grad = torch.tensor(a)
    total = torch.nn.utils.clip_grad_norm_(ts, max_norm)
    return [t.grad.numpy() for t in ts], float(total)


def _arrays(seed, scale):
    rng = np.random.default_rng(seed)
    return [rng.standard_normal(s) * scale for s in [(3, 2), (4, 4), (4,), (2, 4), (2,)]]


@settings(max_examples=40, deadline=None)
@given(seed=st.integers(0, 2**16), scale=st.floats(1e-4, 1e4), max_norm=st.floats(1e-3, 1e3))
def test_global_norm_matches_torch(seed, scale, max_norm):
    arrays = _arrays(seed, scale)
    clipped, total = clip_by_global_norm(arrays, max_norm)
    ref, ref_total = _torch_clip_norm(arrays, max_norm)
    assert total == pytest.approx(ref_total, rel=1e-13)
    for c, r in zip(clipped, ref):
        np.testing.assert_allclose(c, r, rtol=1e-13, atol=0)
    assert global_norm(clipped) <= max_norm * (1 + 1e-12)


@settings(max_examples=25, deadline=None)
@given(seed=st.integers(0, 2**16), scale=st.floats(1e-2, 1e2), clip=st.floats(1e-3, 10.0))
def test_value_matches_torch(seed, scale, clip):
    arrays = _arrays(seed, scale)
    ts = [torch.nn.Parameter(torch.zeros(a.shape, dtype=torch.float64)) for a in arrays]
    for t, a in zip(ts, arrays):
        t.grad = torch.tensor(a)
    torch.nn.utils.clip_grad_value_(ts, clip)
    for c, t in zip(clip_by_value(arrays, clip), ts):
        np.testing.assert_array_equal(c, t.grad.numpy())


def _flat(arrays):
    return np.concatenate([np.ravel(a) for a in arrays])


def _cosine(a, b):
    return float(a @ b / (np.linalg.norm(a) * np.linalg.norm(b)))


def test_norm_clipping_keeps_direction_value_clipping_does_not():
    g = [np.array([10.0, 0.1]), np.array([[-3.0]])]
    by_norm, total = clip_by_global_norm(g, 1.0)
    by_value = clip_by_value(g, 1.0)
    assert total == pytest.approx(np.sqrt(100 + 0.01 + 9))
    assert _cosine(_flat(by_norm), _flat(g)) == pytest.approx(1.0, abs=1e-15)
    assert _cosine(_flat(by_value), _flat(g)) < 0.9                  # direction rotated
    assert _flat(by_value).tolist() == [1.0, 0.1, -1.0]


def test_small_gradients_are_unchanged():
    g = [np.array([0.3, -0.4])]
    clipped, total = clip_by_global_norm(g, 1.0)
    assert total == pytest.approx(0.5) and np.array_equal(clipped[0], g[0])
    assert np.array_equal(clip_by_value(g, 1.0)[0], g[0])


def test_zero_and_huge_gradients():
    assert clip_by_global_norm([np.zeros(3)], 1.0)[1] == 0.0
    clipped, total = clip_by_global_norm([np.array([3e200, 4e200])], 1.0)   # no overflow
    assert total == pytest.approx(5e200)
    np.testing.assert_allclose(clipped[0], [0.6, 0.8], rtol=1e-12)
    assert clip_by_global_norm([], 1.0) == ([], 0.0)


def test_containers_keep_their_kind_and_inputs_are_not_modified():
    a, b = np.array([3.0, 4.0]), np.array([[12.0]])
    for grads in ([a, b], (a, b), {"W": a, "b": b}):
        out, total = clip_by_global_norm(grads, 1.0)
        assert type(out) is type(grads) and total == pytest.approx(13.0)
        assert type(clip_by_value(grads, 1.0)) is type(grads)
    assert a.tolist() == [3.0, 4.0] and b.tolist() == [[12.0]]


def test_gradients_object():
    rng = np.random.default_rng(0)
    p = init_params(2, 3, 2, seed=0, scale=3.0)
    _, g = loss_and_grads(p, rng.standard_normal((2, 8, 2)), rng.standard_normal((2, 8, 2)))
    clipped, total = clip_by_global_norm(g, 0.1)
    assert isinstance(clipped, Gradients)
    assert total == pytest.approx(np.linalg.norm(_flat(g.as_dict().values())), rel=1e-13)
    assert global_norm(clipped.as_dict().values()) == pytest.approx(min(0.1, total), rel=1e-6)
    assert np.array_equal(clipped.dL_dh, g.dL_dh) and clipped.dL_dh is not g.dL_dh
    ref, _ = _torch_clip_norm([getattr(g, "d" + n) for n in PARAM_NAMES], 0.1)
    for n, r in zip(PARAM_NAMES, ref):
        np.testing.assert_allclose(getattr(clipped, "d" + n), r, rtol=1e-13)
    assert isinstance(clip_by_value(g, 0.01), Gradients)


@pytest.mark.parametrize("max_norm, exc", [
    (0.0, ValueError), (-1.0, ValueError), (float("nan"), ValueError), (float("inf"), ValueError),
    ("1", TypeError), (None, TypeError), (True, TypeError)])
def test_bad_threshold(max_norm, exc):
    with pytest.raises(exc, match="max_norm"):
        clip_by_global_norm([np.ones(2)], max_norm)
    with pytest.raises(exc, match="clip_value"):
        clip_by_value([np.ones(2)], max_norm)


@pytest.mark.parametrize("grads, exc", [
    (np.ones(3), TypeError), ("abc", TypeError), (None, TypeError), (5.0, TypeError),
    ([np.array([1.0, np.nan])], ValueError), ({"W": np.array([np.inf])}, ValueError),
    ([np.ones(2), "x"], TypeError), ([[1.0, [2.0]]], TypeError)])
def test_bad_grads(grads, exc):
    with pytest.raises(exc, match="grads"):
        clip_by_global_norm(grads, 1.0)
    with pytest.raises(exc, match="grads"):
        clip_by_value(grads, 1.0)
