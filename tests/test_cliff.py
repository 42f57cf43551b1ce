"""vgp.cliff: the one-unit recurrence x_t = w sigma(x_{t-1}) + b, its loss, BPTT gradient and
descent, against central finite differences, torch autograd (float64) and the closed form on
the edge."""

import numpy as np
import pytest
import torch

from vgp import cliff
from vgp.activations import dphi


def _torch_loss_and_grad(w, b, x0=cliff.X0, steps=cliff.STEPS, target=cliff.TARGET):
    w = torch.tensor(w, dtype=torch.float64, requires_grad=True)
    b = torch.tensor(b, dtype=torch.float64, requires_grad=True)
    x = torch.tensor(x0, dtype=torch.float64)
    for _ in range(steps):
        x = w * torch.sigmoid(x) + b
    L = (x - target) ** 2
    L.backward()
    return float(L.detach()), float(w.grad), float(b.grad)


def _away_from_edge(rng, n):
    """Random (w, b) at least 0.05 away from the edge b_c(w) (or with no edge at all)."""
    out = []
    while len(out) < n:
        w, b = rng.uniform(-3, 9), rng.uniform(-6, 3)
        if w < 4.0 or abs(b - float(cliff.cliff_bias(w))) > 0.05:
            out.append((w, b))
    return out


def test_unroll_matches_the_recurrence():
    x = cliff.unroll(2.0, -1.0, x0=0.3, steps=3)
    ref = [0.3]
    for _ in range(3):
        ref.append(2.0 / (1.0 + np.exp(-ref[-1])) - 1.0)
    np.testing.assert_allclose(x, ref, rtol=1e-15)


def test_broadcasting_over_grids():
    W, B = np.meshgrid(np.linspace(1, 6, 4), np.linspace(-3, 0, 5), indexing="ij")
    L, gw, gb = cliff.loss_and_grad(W, B)
    assert L.shape == gw.shape == gb.shape == (4, 5)
    for i in range(4):
        for j in range(5):
            Lij, gwij, gbij = cliff.loss_and_grad(W[i, j], B[i, j])
            assert (L[i, j], gw[i, j], gb[i, j]) == (Lij, gwij, gbij)
    assert cliff.unroll(W, B, steps=7).shape == (8, 4, 5)


def test_gradient_matches_central_finite_differences():
    rng = np.random.default_rng(0)
    eps = 1e-6
    for w, b in _away_from_edge(rng, 40):
        L, gw, gb = (float(v) for v in cliff.loss_and_grad(w, b))
        fw = (float(cliff.loss(w + eps, b)) - float(cliff.loss(w - eps, b))) / (2 * eps)
        fb = (float(cliff.loss(w, b + eps)) - float(cliff.loss(w, b - eps))) / (2 * eps)
        scale = max(1.0, abs(gw), abs(gb))
        assert abs(fw - gw) < 1e-6 * scale, (w, b)
        assert abs(fb - gb) < 1e-6 * scale, (w, b)


def test_gradient_matches_torch_autograd():
    rng = np.random.default_rng(1)
    points = _away_from_edge(rng, 20) + [(5.5, float(cliff.cliff_bias(5.5)) + 1e-7)]
    for w, b in points:
        L, gw, gb = (float(v) for v in cliff.loss_and_grad(w, b, steps=30, target=0.2))
        tL, tw, tb = _torch_loss_and_grad(w, b, steps=30, target=0.2)
        assert L == pytest.approx(tL, rel=1e-12, abs=1e-15)
        assert gw == pytest.approx(tw, rel=1e-9, abs=1e-12)
        assert gb == pytest.approx(tb, rel=1e-9, abs=1e-12)


@pytest.mark.parametrize("w", [4.5, 5.5, 8.0])
def test_edge_is_a_fixed_point_and_gradient_is_geometric(w):
    b_c = float(cliff.cliff_bias(w))
    x = cliff.unroll(w, b_c)
    np.testing.assert_allclose(x, cliff.X0, rtol=0, atol=1e-12)
    a = w * float(dphi("sigmoid", cliff.X0))
    expected = 2 * (cliff.X0 - cliff.TARGET) * (a ** cliff.STEPS - 1) / (a - 1)
    _, gw, gb = cliff.loss_and_grad(w, b_c)
    # The state drifts off the unstable point by rounding only; a^T amplifies it a little.
    assert float(gb) == pytest.approx(expected, rel=1e-6)
    assert float(gw) == pytest.approx(expected * (1 / (1 + np.exp(-cliff.X0))), rel=1e-6)


def test_loss_jumps_across_the_edge_and_is_smooth_away_from_it():
    w = 6.0
    b_c = float(cliff.cliff_bias(w))
    below, above = cliff.loss(w, b_c - 1e-3), cliff.loss(w, b_c + 1e-3)
    assert float(below) - float(above) > 5.0
    b = np.linspace(b_c + 0.05, b_c + 0.5, 50)
    assert np.max(np.abs(np.diff(cliff.loss(w, b)))) < 0.2


def test_surface_shapes_and_norm():
    S = cliff.surface(np.linspace(3, 7, 6), np.linspace(-4, -1, 7))
    assert S["L"].shape == S["grad_norm"].shape == (6, 7)
    _, gw, gb = cliff.loss_and_grad(S["w"][2], S["b"][3])
    assert S["grad_norm"][2, 3] == pytest.approx(float(np.hypot(gw, gb)), rel=1e-15)


def test_descend_plain_and_clipped():
    plain = cliff.descend(5.5, -2.9, lr=0.01, n_steps=50)
    w, b = 5.5, -2.9
    for i in range(3):                                # plain gradient descent, step by step
        assert (plain["w"][i], plain["b"][i]) == (w, b)
        _, gw, gb = cliff.loss_and_grad(w, b)
        w, b = w - 0.01 * float(gw), b - 0.01 * float(gb)
    clipped = cliff.descend(5.5, -2.9, lr=0.01, n_steps=50, max_norm=2.0)
    steps = np.hypot(np.diff(clipped["w"]), np.diff(clipped["b"]))
    assert np.all(steps <= 0.01 * 2.0 * (1 + 1e-12))
    assert len(clipped["L"]) == 51
    big = cliff.descend(5.5, -2.9, lr=0.01, n_steps=50, max_norm=1e9)   # never clips
    np.testing.assert_array_equal(big["w"], plain["w"])


def test_lesson_descent_runs_split_at_the_wall():
    runs = cliff.descent_runs()
    un, cl = runs["unclipped"], runs["clipped"]
    k = int(np.argmax(np.hypot(np.diff(un["w"]), np.diff(un["b"]))))
    assert un["grad_norm"][:k].max() < cliff.DESCENT_CLIP < un["grad_norm"][k]
    np.testing.assert_array_equal(un["w"][: k + 1], cl["w"][: k + 1])     # identical until the wall
    steps = np.hypot(np.diff(cl["w"]), np.diff(cl["b"]))
    assert np.all(steps <= cliff.DESCENT_LR * cliff.DESCENT_CLIP * (1 + 1e-12))


@pytest.mark.parametrize("call, match", [
    (lambda: cliff.unroll(np.ones(3), np.ones(4)), "broadcast"),
    (lambda: cliff.unroll(1.0, 0.0, steps=0), "steps"),
    (lambda: cliff.loss("a", 0.0), "w"),
    (lambda: cliff.loss(1.0, np.nan), "b"),
    (lambda: cliff.descend(1.0, 0.0, lr=0.0, n_steps=1), "lr"),
    (lambda: cliff.descend(1.0, 0.0, lr=0.1, n_steps=-1), "n_steps"),
    (lambda: cliff.descend(1.0, 0.0, lr=0.1, n_steps=1, max_norm=0.0), "max_norm"),
    (lambda: cliff.surface([], [1.0]), "empty"),
])
def test_errors_name_the_parameter(call, match):
    with pytest.raises((ValueError, TypeError), match=match):
        call()
