"""vgp.clipping_demo: clipping directions, agreement with torch, the sign-memory task and the
training loop (on tiny configurations; the page's run is cached)."""

import numpy as np
import pytest
import torch

from vgp.clip import clip_by_global_norm
from vgp.clipping_demo import (EXPERIMENT, _compute, as_float_array, clip_directions, cosine,
                               exploding_gradient, first_step, sign_memory_batch,
                               torch_clip_agreement, train_sign_memory)

TINY = dict(EXPERIMENT, hidden=4, steps=12, batch=3, iterations=5, seeds=[0])


def test_norm_clipping_keeps_direction_value_clipping_turns_it():
    g = exploding_gradient(radius=1.3, hidden=6, steps=40, seed=2)
    d = clip_directions(g, max_norm=1.0, clip_value=0.05)
    assert d["norm"] > 1.0
    assert d["cos_norm_clip"] == pytest.approx(1.0, abs=1e-12)
    assert d["norm_after_norm_clip"] == pytest.approx(1.0, rel=1e-5)
    assert d["cos_value_clip"] < 0.99
    small = clip_directions(g, max_norm=1e9, clip_value=1e9)          # nothing to clip
    assert small["cos_value_clip"] == pytest.approx(1.0, abs=1e-12)
    assert small["norm_after_norm_clip"] == pytest.approx(small["norm"], rel=1e-12)


def test_cosine():
    assert cosine([1.0, 0.0], [2.0, 0.0]) == pytest.approx(1.0)
    assert cosine([1.0, 0.0], [0.0, 3.0]) == pytest.approx(0.0)


@pytest.mark.parametrize("max_norm", [1e-3, 1.0, 1e6])
def test_agrees_with_torch(max_norm):
    g = exploding_gradient(radius=1.2, hidden=5, steps=30, seed=1)
    a = torch_clip_agreement(g, max_norm)
    assert a["vgp_norm"] == pytest.approx(a["torch_norm"], rel=1e-13)
    scale = max(abs(v).max() for v in clip_by_global_norm(g, max_norm)[0].values())
    assert a["max_abs_diff"] <= 1e-14 * scale
    assert a["max_ulp_diff"] <= 8          # entry by entry, a few units in the last place


def _sign_memory_reference(x):
    y, last = np.zeros_like(x), np.zeros(x.shape[0])
    for t in range(x.shape[1]):
        last = np.where(x[:, t] != 0, x[:, t], last)
        y[:, t] = last
    return y


def test_sign_memory_batch():
    x, y = sign_memory_batch(50, 40, pulse_prob=0.1, generator=torch.Generator().manual_seed(0))
    assert x.shape == y.shape == (50, 40, 1) and x.dtype == torch.float64
    xs, ys = x[..., 0].numpy(), y[..., 0].numpy()
    assert set(np.unique(xs)) <= {-1.0, 0.0, 1.0}
    np.testing.assert_array_equal(ys, _sign_memory_reference(xs))
    assert 0.05 < np.mean(xs != 0) < 0.15
    x2, _ = sign_memory_batch(50, 40, pulse_prob=0.1, generator=torch.Generator().manual_seed(0))
    assert torch.equal(x, x2)
    with pytest.raises(ValueError, match="pulse_prob"):
        sign_memory_batch(2, 3, pulse_prob=1.5, generator=torch.Generator())


def test_training_loop_logs_and_clips():
    log = train_sign_memory(TINY, seed=0, max_norm=None)
    assert set(log) == {"loss", "grad_norm", "param_norm"}
    assert all(len(v) == TINY["iterations"] for v in log.values())
    clipped = train_sign_memory(TINY, seed=0, max_norm=1e-3)
    assert clipped["loss"][0] == log["loss"][0] and clipped["grad_norm"][0] == log["grad_norm"][0]
    # a step of at most lr * max_norm cannot move the parameter norm by more than that
    moves = np.abs(np.diff([log["param_norm"][0]] + clipped["param_norm"]))
    assert np.all(moves[1:] <= TINY["lr"] * 1e-3 * (1 + 1e-9))


def test_compute_is_deterministic():
    a, b = _compute(TINY), _compute(TINY)
    assert a["runs"] == b["runs"]
    assert set(a["runs"]) == {"unclipped-0", "clipped-0"}


def test_first_step_keys():
    fs = first_step(TINY)
    assert set(fs["grad_norms"]) == {"weight_ih_l0", "weight_hh_l0", "bias_ih_l0", "bias_hh_l0",
                                     "weight_hy", "bias_y"}
    assert 0.0 <= fs["saturated_before"] <= 1.0 and fs["lr_lambda_before"] > 0.0


def test_as_float_array():
    out = as_float_array([1.0, "inf", "-inf", "nan"])
    assert out[0] == 1.0 and out[1] == np.inf and out[2] == -np.inf and np.isnan(out[3])
