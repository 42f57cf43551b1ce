"""The latch: fixed points against mpmath, gradients against torch autograd and finite differences."""

import math

import mpmath
import numpy as np
import pytest
import torch

from vgp.latch import fixed_point, gradient_after, gradient_along, gradient_factor, trajectory


@pytest.mark.parametrize("w", [1.01, 1.2, 1.5, 2.0, 3.0, 5.0])
def test_fixed_point_against_mpmath(w):
    h = fixed_point(w)
    ref = mpmath.findroot(lambda x: mpmath.tanh(w * x) - x, 0.99)
    assert h == pytest.approx(float(ref), abs=1e-12)
    assert math.tanh(w * h) == pytest.approx(h, abs=1e-13)


@pytest.mark.parametrize("w", [0.0, 0.5, 0.99, 1.0])
def test_no_memory_below_one(w):
    assert fixed_point(w) == 0.0
    assert gradient_factor(w) == w
    # whatever is stored decays toward 0
    assert abs(trajectory(w, 0.9, 200)[-1]) < 0.2


def test_stable_memory_means_factor_below_one():
    ws = np.linspace(1.001, 8.0, 300)
    factors = np.array([gradient_factor(w) for w in ws])
    assert (factors < 1).all() and (factors > 0).all()
    # the stored value stays at +h* or -h* under small noise, for w = 2
    h = trajectory(2.0, -0.3, 300, noise=0.2, seed=0)
    assert (h[50:] < 0).all()


def test_gradient_after_is_a_power():
    assert gradient_after(2.0, 0) == 1.0
    assert gradient_after(2.0, 7) == pytest.approx(gradient_factor(2.0) ** 7)


@pytest.mark.parametrize("w, h0", [(0.8, 0.7), (2.0, 0.3), (3.0, -0.1)])
def test_gradient_along_against_autograd_and_fd(w, h0):
    steps = 12
    h = trajectory(w, h0, steps)
    g = gradient_along(h, w)
    x0 = torch.tensor(h0, dtype=torch.float64, requires_grad=True)
    x = x0
    for t in range(1, steps + 1):
        x = torch.tanh(w * x)
        (d,) = torch.autograd.grad(x, x0, retain_graph=True)
        assert float(d) == pytest.approx(g[t], rel=1e-12)
    eps, n = 1e-6, 4                   # few steps: the derivative stays far above roundoff
    fd = (trajectory(w, h0 + eps, n)[-1] - trajectory(w, h0 - eps, n)[-1]) / (2 * eps)
    assert fd == pytest.approx(g[n], rel=1e-6)


def test_at_the_fixed_point_the_factor_is_the_step_derivative():
    w = 1.7
    h = np.full(6, fixed_point(w))
    assert gradient_along(h, w)[-1] == pytest.approx(gradient_after(w, 5), rel=1e-12)


@pytest.mark.parametrize("call, exc", [
    (lambda: fixed_point("2"), TypeError),
    (lambda: fixed_point(float("nan")), ValueError),
    (lambda: gradient_after(2.0, -1), ValueError),
    (lambda: trajectory(2.0, 1.5, 3), ValueError),
    (lambda: trajectory(2.0, 0.5, 3, noise=-1.0), ValueError),
    (lambda: gradient_along(np.ones((2, 2)), 2.0), ValueError),
])
def test_bad_arguments(call, exc):
    with pytest.raises(exc):
        call()
