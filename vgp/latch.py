r"""The latch of Bengio, Simard & Frasconi (1994): one tanh unit remembering one bit.

$$ h_t = \tanh(w\,h_{t-1} + u_t) $$

With no input ($u_t = 0$) the fixed points solve $h^* = \tanh(w h^*)$. For $|w| \le 1$ the
only one is $h^* = 0$ and it attracts every state: whatever was stored decays away (for
$w < -1$ the state flips sign every step instead of holding it). For $w > 1$ two more appear,
$\pm h^*$ with $h^* > 0$, and they are stable: a bit stored as the sign of $h$ survives
small perturbations. The derivative of one step at a fixed point is

$$ \frac{\partial h_t}{\partial h_{t-1}}\Big|_{h^*} = w\,(1 - h^{*2}), $$

and at the nonzero fixed points of $w > 1$ it is *below 1* (that is what stable means),
so the gradient through $n$ steps of remembering is $\big(w(1-h^{*2})\big)^n \to 0$.
Robust storage and a gradient that survives the storage period exclude each other.
"""

from __future__ import annotations

import math

import numpy as np

from vgp._validate import as_array, integer, real


# --8<-- [start:fixed_point]
def fixed_point(w: float, *, tol: float = 1e-15) -> float:
    r"""The largest fixed point $h^* \ge 0$ of $h = \tanh(w h)$ (0 when $w \le 1$).

    Bisection on $g(h) = \tanh(w h) - h$ over $(0, 1]$, which is positive near 0 and
    negative at 1 when $w > 1$.

    >>> f"{fixed_point(2.0):.6f}", fixed_point(0.9)
    ('0.957504', 0.0)
    """
    w = real("w", w)
    real("tol", tol, minimum=0.0, strict_min=True)
    if w <= 1.0:
        return 0.0
    lo, hi = 1e-12, 1.0                      # g(lo) > 0 > g(hi)
    while hi - lo > tol:
        mid = 0.5 * (lo + hi)
        if math.tanh(w * mid) - mid > 0:
            lo = mid
        else:
            hi = mid
    return 0.5 * (lo + hi)


def gradient_factor(w: float) -> float:
    r"""One-step derivative $w (1 - h^{*2})$ at the stored fixed point ($w$ itself when $w \le 1$).

    >>> [f"{gradient_factor(w):.4f}" for w in (0.5, 1.5, 2.0, 3.0)]
    ['0.5000', '0.3943', '0.1664', '0.0305']
    """
    h = fixed_point(w)
    return w * (1.0 - h * h)
# --8<-- [end:fixed_point]


def gradient_after(w: float, steps: int) -> float:
    r"""$\big(w (1 - h^{*2})\big)^n$ with $n$ = `steps`: $\partial h_n / \partial h_0$ when the unit sits at its fixed point.

    >>> f"{gradient_after(2.0, 20):.3e}"
    '2.640e-16'
    """
    steps = integer("steps", steps, minimum=0)
    return gradient_factor(w) ** steps


def trajectory(w: float, h0: float, steps: int, *, noise: float = 0.0, seed: int = 0) -> np.ndarray:
    r"""$h_0, \dots, h_n$ of the latch $h_t = \tanh(w h_{t-1} + u_t)$, with optional input noise $u_t \sim N(0, \text{noise}^2)$.

    Returns an array of shape (steps + 1,).

    >>> trajectory(2.0, 0.5, 3).round(4).tolist()
    [0.5, 0.7616, 0.9093, 0.9487]
    """
    w = real("w", w)
    h0 = real("h0", h0, minimum=-1.0, maximum=1.0)
    steps = integer("steps", steps, minimum=0)
    noise = real("noise", noise, minimum=0.0)
    u = np.random.default_rng(seed).normal(0.0, noise, size=steps) if noise else np.zeros(steps)
    h = np.empty(steps + 1)
    h[0] = h0
    for t in range(1, steps + 1):
        h[t] = math.tanh(w * h[t - 1] + u[t - 1])
    return h


def gradient_along(h: np.ndarray, w: float) -> np.ndarray:
    r"""$\partial h_t / \partial h_0 = \prod_{s=1}^{t} w (1 - h_s^2)$ along a trajectory; shape like h, `[0]` = 1.

    >>> gradient_along(trajectory(0.5, 0.0, 3), 0.5).tolist()
    [1.0, 0.5, 0.25, 0.125]
    """
    h = as_array("h", h, ndim=1)
    w = real("w", w)
    factors = w * (1.0 - h[1:] ** 2)
    return np.concatenate([[1.0], np.cumprod(factors)])
