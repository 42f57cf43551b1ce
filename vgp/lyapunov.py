r"""The asymptotic per-step growth rate of backpropagated gradients: Lyapunov exponents.

Backpropagation is a linear dynamical system running backwards in time,
$g_{t-1} = J_t^\top g_t$ with $J_t = \mathrm{diag}(\phi'(z_t))\,W_{hh}$. Its largest Lyapunov
exponent is the average log growth per step of almost every gradient,

$$
\lambda_1 = \lim_{n\to\infty} \frac{1}{n} \ln \big\lVert J_{T-n+1}^\top \cdots J_T^\top\, g \big\rVert ,
$$

so $\lVert \partial L/\partial h_{T-n}\rVert \approx e^{\lambda_1 n}$: $\lambda_1 < 0$ means vanishing.
It is computed by repeated QR (Benettin, Galgani, Giorgilli & Strelcyn 1980; Shimada &
Nagashima 1979): push an orthonormal frame $Q$ through each step, re-orthonormalise,
$J_t^\top Q_t = Q_{t-1} R_t$, and average $\ln |(R_t)_{ii}|$; the k columns give the
k largest exponents.

The naive estimate multiplies the spectral radius by the mean slope,
$\ln\big(\rho(W_{hh})\,\overline{\phi'}\big)$. It ignores that slopes and directions are
correlated and that the $J_t$ do not commute, so it is only an approximation.

>>> Js = np.stack([np.diag([0.5, 0.25])] * 200)
>>> [f"{v:.6f}" for v in lyapunov_spectrum(Js, k=2, burn_in=100)]
['-0.693147', '-1.386294']
"""

from __future__ import annotations

import math
from typing import NamedTuple

import numpy as np

from vgp._validate import as_array, integer, square
from vgp.spectral import spectral_radius

__all__ = ["lyapunov_spectrum", "rnn_lyapunov_spectrum", "naive_rate", "LyapunovEstimate",
           "random_rnn_lyapunov"]


def _qr_exponents(apply, T: int, H: int, k: int, burn_in: int, seed: int) -> np.ndarray:
    """Average log|diag R| of the QR steps t = T - burn_in, ..., 1 (earlier steps: burn-in)."""
    k = integer("k", k, minimum=1, maximum=H)
    burn_in = integer("burn_in", burn_in, minimum=0, maximum=T - 1)
    rng = np.random.default_rng(integer("seed", seed, minimum=0))
    Q, _ = np.linalg.qr(rng.standard_normal((H, k)))  # (H, k) random orthonormal start
    total = np.zeros(k)
    with np.errstate(divide="ignore"):
        for t in range(T, 0, -1):                     # backward in time: J_T^T first
            Q, R = np.linalg.qr(apply(t, Q))          # J_t^T Q_t = Q_{t-1} R_t
            if t <= T - burn_in:
                total += np.log(np.abs(np.diag(R)))
    return total / (T - burn_in)


def lyapunov_spectrum(Js, k: int = 1, *, burn_in: int = 0, seed: int = 0) -> np.ndarray:
    r"""The k largest Lyapunov exponents (natural log per step) of $g_{t-1} = J_t^\top g_t$.

    `Js` (T, H, H) with `Js[t-1]` = $J_t$. The last `burn_in` steps (the first ones the
    backward pass meets) only align the frame and are left out of the average.

    >>> W = np.array([[0.5, 0.3], [-0.2, 0.4]])
    >>> lam = lyapunov_spectrum(np.stack([W] * 2000), burn_in=100)[0]
    >>> f"{lam:.3f}", f"{np.log(spectral_radius(W)):.3f}"
    ('-0.674', '-0.674')
    """
    Js = as_array("Js", Js, ndim=3)
    T, H, H2 = Js.shape
    if T < 1 or H < 1 or H != H2:
        raise ValueError(f"Js must have shape (T, H, H) with T, H >= 1, got {Js.shape}")
    return _qr_exponents(lambda t, Q: Js[t - 1].T @ Q, T, H, k, burn_in, seed)


def rnn_lyapunov_spectrum(W_hh, slopes, k: int = 1, *, burn_in: int = 0,
                          seed: int = 0) -> np.ndarray:
    r"""As `lyapunov_spectrum` for $J_t = \mathrm{diag}(s_t) W_{hh}$, slopes (T, H) with `slopes[t-1]` = $s_t$.

    Never forms the T Jacobians: $J_t^\top Q = W_{hh}^\top (s_t \odot Q)$.

    >>> f"{rnn_lyapunov_spectrum(np.eye(3), np.full((50, 3), 0.5))[0]:.6f}"
    '-0.693147'
    """
    W_hh = square("W_hh", W_hh)
    S = as_array("slopes", slopes, ndim=2)
    H = W_hh.shape[0]
    if S.shape[0] < 1 or S.shape[1] != H:
        raise ValueError(f"slopes must have shape (T, H={H}) with T >= 1, got {S.shape}")
    return _qr_exponents(lambda t, Q: W_hh.T @ (S[t - 1][:, None] * Q), S.shape[0], H, k,
                         burn_in, seed)


def naive_rate(W_hh, slopes) -> float:
    r"""$\ln\big(\rho(W_{hh}) \cdot \mathrm{mean}(\phi')\big)$, the back-of-envelope per-step rate.

    >>> f"{naive_rate(0.9 * np.eye(2), [[0.5, 1.0]]):.6f}"   # ln(0.9 * 0.75)
    '-0.393043'
    """
    S = as_array("slopes", slopes)
    if S.size == 0:
        raise ValueError("slopes must not be empty")
    with np.errstate(divide="ignore"):
        return float(np.log(spectral_radius(W_hh) * S.mean()))


class LyapunovEstimate(NamedTuple):
    r"""Per-step rates (natural log) of a random RNN's backward dynamics.

    `exponent` is $\lambda_1$, the long-run rate of $\frac{1}{T}\ln\lVert g_0\rVert/\lVert g_T\rVert$;
    `naive` is $\ln\big(\rho(W_{hh})\,\overline{\phi'}\big)$.

    >>> est = random_rnn_lyapunov(8, 200, 0.9, seed=0)
    >>> f"{est.radius:.3f}", f"{est.log10_rate:.4f}" == f"{est.exponent / np.log(10):.4f}"
    ('0.900', True)
    """

    exponent: float     # largest Lyapunov exponent by repeated QR
    naive: float        # ln(rho(W_hh) * mean phi')
    mean_slope: float   # mean phi'(z_t) over steps and units
    radius: float       # spectral radius of W_hh

    @property
    def log10_rate(self) -> float:
        r"""The exponent in log10 units per step, $\lambda_1 / \ln 10$, comparable to a profile's slope."""
        return self.exponent / math.log(10.0)


def random_rnn_lyapunov(hidden: int, steps: int, radius: float, activation: str = "tanh",
                        input_scale: float = 0.1, seed: int = 0,
                        burn_in: int | None = None) -> LyapunovEstimate:
    r"""Largest exponent and naive estimate for the RNN of `vgp.profile.random_rnn_profile`.

    Draws one trial (trials=1) of that network; `burn_in` defaults to a tenth of the steps.

    >>> est = random_rnn_lyapunov(32, 2000, 2.0, input_scale=1.0, seed=0)
    >>> f"{est.exponent:.3f}", f"{est.naive:.3f}", f"{est.mean_slope:.3f}"
    ('-0.071', '-0.168', '0.423')
    """
    from vgp.profile import random_rnn_slopes

    W_hh, S = random_rnn_slopes(hidden, steps, radius, activation, input_scale, 1, seed)
    S = S[:, 0]                                       # (T, H)
    burn_in = S.shape[0] // 10 if burn_in is None else burn_in
    lam = float(rnn_lyapunov_spectrum(W_hh, S, 1, burn_in=burn_in, seed=seed)[0])
    return LyapunovEstimate(exponent=lam, naive=naive_rate(W_hh, S),
                            mean_slope=float(S.mean()), radius=spectral_radius(W_hh))
