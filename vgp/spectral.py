r"""Spectral radius, spectral norm, singular values, rescaling, and transient growth.

For a square matrix $W$ with eigenvalues $\lambda_i$ and singular values
$\sigma_1 \ge \sigma_2 \ge \dots$:

$$
\rho(W) = \max_i |\lambda_i|, \qquad \lVert W \rVert_2 = \sigma_1(W), \qquad
\rho(W) \le \lVert W \rVert_2, \qquad \lim_{n\to\infty} \lVert W^n \rVert_2^{1/n} = \rho(W).
$$

The spectral radius decides the long run ($W^n \to 0$ iff $\rho < 1$); the spectral norm
bounds every single step. They agree for normal matrices ($W W^\top = W^\top W$), e.g.
symmetric or orthogonal ones. For a non-normal $W$ the powers can grow for a while even
though $\rho(W) < 1$ (transient growth) before they decay.

>>> W = nonnormal_example()
>>> f"{spectral_radius(W):.2f}", f"{spectral_norm(W):.3f}", f"{power_norms(W, 60).max():.3f}"
('0.90', '1.530', '3.913')
"""

from __future__ import annotations

import math

import numpy as np

from vgp._validate import as_array, choice, integer, real, square
from vgp.activations import ACTIVATIONS, MAX_SLOPE
from vgp.logscale import normalise

__all__ = ["spectral_radius", "spectral_norm", "singular_values", "log10_singular_values",
           "rescale", "nonnormal_example", "power_norms", "bound_rate"]


def spectral_radius(W) -> float:
    r"""$\rho(W) = \max_i |\lambda_i(W)|$.

    >>> f"{spectral_radius([[0.0, 2.0], [-2.0, 0.0]]):.6f}"   # eigenvalues +-2i
    '2.000000'
    """
    W = square("W", W)
    return float(np.max(np.abs(np.linalg.eigvals(W))))


def spectral_norm(W) -> float:
    r"""$\lVert W \rVert_2 = \sigma_{\max}(W)$, the largest stretch of any unit vector.

    >>> spectral_norm([[3.0, 0.0], [4.0, 0.0]])
    5.0
    """
    W = as_array("W", W, ndim=2)
    if W.size == 0:
        raise ValueError(f"W must be non-empty, got shape {W.shape}")
    return float(np.linalg.norm(W, 2))


def singular_values(*Ws) -> np.ndarray:
    r"""Singular values (descending) of the product $W_1 W_2 \cdots W_m$ of the arguments.

    >>> A, B = np.diag([2.0, 0.5]), np.array([[0.0, 1.0], [1.0, 0.0]])
    >>> singular_values(A).tolist(), singular_values(A, B, A).tolist()
    ([2.0, 0.5], [1.0, 1.0])
    """
    if not Ws:
        raise TypeError("singular_values needs at least one matrix")
    P = as_array("Ws[0]", Ws[0], ndim=2)
    for i, W in enumerate(Ws[1:], start=1):
        W = as_array(f"Ws[{i}]", W, ndim=2)
        if W.shape[0] != P.shape[1]:
            raise ValueError(f"Ws[{i}] has shape {W.shape}, cannot multiply after shape {P.shape}")
        P = P @ W
    return np.linalg.svd(P, compute_uv=False)


def log10_singular_values(Js) -> np.ndarray:
    r"""$\log_{10}\sigma_i(J_T \cdots J_1)$ for a sequence `Js` (T, H, H), `Js[t-1]` = $J_t$.

    The product is accumulated in log space (`vgp.jacobians.log_jacobian_product`), so the
    largest values are exact however small; singular values more than ~1e-16 below the
    largest are at the float64 rounding floor of the normalised product (use the QR-based
    `vgp.lyapunov.lyapunov_spectrum` for those rates).

    >>> Js = np.stack([np.diag([0.1, 0.01])] * 200)
    >>> f"{log10_singular_values(Js)[0]:.6f}"
    '-200.000000'
    """
    from vgp.jacobians import log_jacobian_product

    lp = log_jacobian_product(Js, norms=False)
    with np.errstate(divide="ignore"):
        return np.log10(np.linalg.svd(lp.matrix, compute_uv=False)) + lp.log10_scale


def rescale(W, *, radius: float | None = None, norm: float | None = None) -> np.ndarray:
    r"""$W \cdot c / \rho(W)$ (``radius=c``) or $W \cdot c / \lVert W\rVert_2$ (``norm=c``).

    Exactly one of the two targets must be given. Scaling by a positive number scales every
    eigenvalue and singular value by it, so the target is hit up to rounding.

    >>> W = rescale([[1.0, 2.0], [0.0, 1.0]], radius=0.5)
    >>> f"{spectral_radius(W):.12f}", f"{spectral_norm(rescale(W, norm=3.0)):.12f}"
    ('0.500000000000', '3.000000000000')
    """
    W = square("W", W)
    if (radius is None) == (norm is None):
        raise TypeError("rescale needs exactly one of radius= or norm=")
    if radius is not None:
        target, name, current = real("radius", radius, minimum=0.0), "radius", spectral_radius(W)
    else:
        target, name, current = real("norm", norm, minimum=0.0), "norm", spectral_norm(W)
    if target == 0.0:
        return np.zeros_like(W)
    if current == 0.0:
        raise ValueError(f"W has spectral {name} 0 (e.g. nilpotent or zero); cannot rescale it to {target}")
    return W * (target / current)


def nonnormal_example(radius: float = 0.9, coupling: float = 1.0, size: int = 2) -> np.ndarray:
    r"""$W = r I + c N$ with $N$ the shift (ones just above the diagonal): $\rho(W) = r$.

    Upper triangular, so every eigenvalue is $r$; but for $c > 0$ it is non-normal, and
    $\lVert W^n\rVert_2$ grows like $\binom{n}{s-1} c^{s-1} r^{n-s+1}$ before decaying:
    for the default 2x2 case $W^n = r^n I + n r^{n-1} c N$.

    >>> W = nonnormal_example()
    >>> W.tolist()
    [[0.9, 1.0], [0.0, 0.9]]
    >>> int(np.argmax(power_norms(W, 60)))   # the step of largest growth
    9
    """
    r = real("radius", radius, minimum=0.0)
    c = real("coupling", coupling)
    s = integer("size", size, minimum=1)
    return r * np.eye(s) + c * np.eye(s, k=1)


def power_norms(W, n: int, *, log10: bool = False) -> np.ndarray:
    r"""$\lVert W^m \rVert_2$ for m = 0..n (length n+1), or their $\log_{10}$ with ``log10=True``.

    Powers are accumulated with renormalisation, so ``log10=True`` never underflows
    (a norm of $10^{-400}$ is -400, where the plain values print 0).

    >>> [f"{v:.4f}" for v in power_norms(0.5 * np.eye(2), 3)]
    ['1.0000', '0.5000', '0.2500', '0.1250']
    >>> f"{power_norms(0.1 * np.eye(2), 400, log10=True)[-1]:.6f}"
    '-400.000000'
    """
    W = square("W", W)
    n = integer("n", n, minimum=0)
    out = np.empty(n + 1)
    P, scale = np.eye(W.shape[0]), 0.0                # W^0 = I, ||I||_2 = 1
    out[0] = 0.0
    for m in range(1, n + 1):
        P, f = normalise(P @ W)                       # W^m = P * 10^scale
        scale += f
        if scale == -math.inf:
            out[m:] = -math.inf
            break
        out[m] = scale + math.log10(float(np.linalg.norm(P, 2)))
    if log10:
        return out
    return 10.0 ** out


def bound_rate(W_hh, activation: str = "tanh") -> float:
    r"""Per-step factor $\lVert W_{hh}\rVert_2\, \gamma$ of the bound
    $\lVert \partial h_t/\partial h_k\rVert_2 \le (\lVert W_{hh}\rVert_2\,\gamma)^{t-k}$,
    $\gamma = \max_z \phi'(z)$ (Pascanu, Mikolov & Bengio 2013). Below 1 guarantees vanishing.

    >>> bound_rate(np.eye(3), "sigmoid")
    0.25
    """
    choice("activation", activation, ACTIVATIONS)
    return spectral_norm(square("W_hh", W_hh)) * MAX_SLOPE[activation]
