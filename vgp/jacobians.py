r"""Step Jacobians of an RNN and their ordered products, in plain and in log space.

With $h_t = \phi(z_t)$, $z_t = W_{hh} h_{t-1} + W_{xh} x_t + b_h$, the chain rule gives the
step Jacobian

$$
J_t = \frac{\partial h_t}{\partial h_{t-1}} = \mathrm{diag}\big(\phi'(z_t)\big)\, W_{hh},
$$

and the Jacobian across many steps is the ordered product (latest step on the left)

$$
\frac{\partial h_t}{\partial h_k} = J_t\, J_{t-1} \cdots J_{k+1}.
$$

The order matters: matrices do not commute, and $J_{k+1} \cdots J_t$ is a different matrix.
A column gradient flows backwards through the transposes,
$\partial L/\partial h_{t-1} = J_t^\top\, \partial L / \partial h_t$.

Convention: `Js[t-1]` is $J_t$ for t = 1..T, so `Js` has shape (T, H, H).

>>> W_hh = np.array([[0.5, 0.3], [-0.2, 0.4]])
>>> Js = np.stack([step_jacobian(W_hh, [0.1, -0.3]), step_jacobian(W_hh, [0.7, 0.2])])
>>> np.allclose(jacobian_product(Js, 2, 0), Js[1] @ Js[0])
True
"""

from __future__ import annotations

import math
from typing import NamedTuple

import numpy as np

from vgp._validate import as_array, choice, integer, square
from vgp.activations import ACTIVATIONS, dphi
from vgp.logscale import normalise
from vgp.rnn import Forward, RNNParams

__all__ = ["step_jacobian", "step_jacobians", "jacobian_product", "LogProduct",
           "log_jacobian_product", "log10_jacobian_norms", "rnn_log10_jacobian_norms"]


def step_jacobian(W_hh, z_t, activation: str = "tanh") -> np.ndarray:
    r"""$J_t = \mathrm{diag}(\phi'(z_t))\, W_{hh}$: row i of W_hh scaled by the slope of unit i.

    >>> step_jacobian(np.eye(2), [0.0, 100.0]).round(3).tolist()
    [[1.0, 0.0], [0.0, 0.0]]
    """
    W_hh = square("W_hh", W_hh)                       # (H, H)
    z_t = as_array("z_t", z_t, ndim=1)                # (H,)
    choice("activation", activation, ACTIVATIONS)
    if z_t.shape[0] != W_hh.shape[0]:
        raise ValueError(f"z_t must have shape ({W_hh.shape[0]},) to match W_hh, got {z_t.shape}")
    return dphi(activation, z_t)[:, None] * W_hh      # (H, H)


def step_jacobians(params: RNNParams, fwd: Forward, b: int = 0) -> np.ndarray:
    r"""All step Jacobians of sequence `b` of a forward pass: (T, H, H), `[t-1]` = $\partial h_t/\partial h_{t-1}$.

    $J_t = \mathrm{diag}(\phi'(z_t))\, W_{hh}$ at the pre-activations $z_t$ the forward pass recorded.

    >>> from vgp.rnn import init_params, forward
    >>> p = init_params(1, 3, 1, seed=0)
    >>> fwd = forward(p, np.ones((2, 4, 1)))
    >>> step_jacobians(p, fwd, b=1).shape
    (4, 3, 3)
    """
    if not isinstance(params, RNNParams):
        raise TypeError(f"params must be RNNParams, got {type(params).__name__}")
    if not isinstance(fwd, Forward):
        raise TypeError(f"fwd must be a Forward (from vgp.rnn.forward), got {type(fwd).__name__}")
    B, T, H = fwd.z.shape
    b = integer("b", b, minimum=0, maximum=B - 1)
    if H != params.W_hh.shape[0]:
        raise ValueError(f"fwd has H={H} hidden units but params.W_hh has {params.W_hh.shape[0]}")
    slopes = dphi(fwd.activation, fwd.z[b])           # (T, H): [t-1] = phi'(z_t)
    return slopes[:, :, None] * params.W_hh[None]     # (T, H, H)


def _check_jacobians(Js) -> np.ndarray:
    Js = as_array("Js", Js, ndim=3)
    T, H, H2 = Js.shape
    if T < 1 or H < 1 or H != H2:
        raise ValueError(f"Js must have shape (T, H, H) with T, H >= 1, got {Js.shape}")
    return Js


def _check_range(Js: np.ndarray, t, k) -> tuple[int, int]:
    T = Js.shape[0]
    t = T if t is None else integer("t", t, minimum=0, maximum=T)
    k = integer("k", k, minimum=0, maximum=t)
    return t, k


# --8<-- [start:jacobian_product]
def jacobian_product(Js, t: int, k: int) -> np.ndarray:
    r"""$\partial h_t / \partial h_k = J_t J_{t-1} \cdots J_{k+1}$ in float64 (identity if t = k).

    Plain arithmetic: for long products use `log_jacobian_product`, which cannot underflow.

    >>> A, B = np.array([[0., 1.], [0., 0.]]), np.array([[0., 0.], [1., 0.]])
    >>> jacobian_product(np.stack([A, B]), 2, 0).tolist()   # J_2 J_1 = B A
    [[0.0, 0.0], [0.0, 1.0]]
    """
    Js = _check_jacobians(Js)                         # (T, H, H), Js[s-1] = J_s
    t, k = _check_range(Js, t, k)
    P = np.eye(Js.shape[1])                           # (H, H)
    for s in range(t, k, -1):                         # s = t, t-1, ..., k+1
        P = P @ Js[s - 1]                             # P = J_t ... J_s
    return P
# --8<-- [end:jacobian_product]


class LogProduct(NamedTuple):
    r"""$\partial h_t/\partial h_k$ = ``matrix`` $\cdot\, 10^{\text{log10\_scale}}$, with
    $\lVert \text{matrix} \rVert_F = 1$ (zeros if the product is 0).

    `log10_spectral[s - k]` and `log10_frobenius[s - k]` are $\log_{10}$ of the spectral and
    Frobenius norms of the partial product $\partial h_t/\partial h_s$, for s = k..t (the last
    is the identity). $(0.1 I)^{500}$ underflows in float64 but not here:

    >>> lp = log_jacobian_product(np.stack([0.1 * np.eye(2)] * 500))
    >>> f"{lp.log10_scale:.4f}", f"{lp.log10_spectral[0]:.1f}", float(lp.value().max())
    ('-499.8495', '-500.0', 0.0)
    """

    matrix: np.ndarray           # (H, H)
    log10_scale: float
    log10_spectral: np.ndarray   # (t-k+1,)
    log10_frobenius: np.ndarray  # (t-k+1,)

    def value(self) -> np.ndarray:
        """The product as a float64 matrix (underflows to 0 where the true value does)."""
        return self.matrix * 10.0 ** self.log10_scale


def log_jacobian_product(Js, t: int | None = None, k: int = 0, *, norms: bool = True) -> LogProduct:
    r"""$\partial h_t/\partial h_k$ in log space, with the norms of every partial product.

    Multiplies from the latest step back, $P_s = P_{s+1} J_{s+1}$ with $P_t = I$, and after
    each factor divides $P_s$ by its Frobenius norm and adds $\log_{10}$ of that norm to the
    scale, so $\log_{10}\lVert P_s \rVert$ is exact however small $P_s$ is. `t` defaults to T.
    With ``norms=False`` the spectral norms (one SVD per step) are skipped (NaN).

    >>> Js = np.stack([0.1 * np.eye(2)] * 500)       # 0.1^500 = 1e-500 underflows in float64
    >>> lp = log_jacobian_product(Js)
    >>> f"{lp.log10_spectral[0]:.6f}", float(jacobian_product(Js, 500, 0)[0, 0])
    ('-500.000000', 0.0)
    """
    Js = _check_jacobians(Js)
    t, k = _check_range(Js, t, k)
    return _log_product(lambda P, s: P @ Js[s], Js.shape[1], t, k, norms)


def _log_product(times_J, H: int, t: int, k: int, norms: bool) -> LogProduct:
    """The loop of `log_jacobian_product`; times_J(P, s) returns P J_{s+1}."""
    n = t - k
    spec = np.full(n + 1, np.nan)                     # [s-k] -> log10 ||dh_t/dh_s||_2
    frob = np.empty(n + 1)                            # [s-k] -> log10 ||dh_t/dh_s||_F
    P, scale = np.eye(H) / math.sqrt(H), 0.5 * math.log10(H)   # P_t = I, ||I||_F = sqrt(H)
    frob[n], spec[n] = scale, 0.0
    for s in range(t - 1, k - 1, -1):                 # s = t-1, ..., k
        P, f = normalise(times_J(P, s))               # P_s = P_{s+1} J_{s+1}
        scale += f
        frob[s - k] = scale
        if scale == -math.inf:                        # an exact zero stays zero
            frob[: s - k] = spec[: s - k + 1] = -math.inf
            break
        if norms:
            spec[s - k] = scale + math.log10(float(np.linalg.norm(P, 2)))
    return LogProduct(P, scale, spec, frob)


def log10_jacobian_norms(Js, *, ord: str = "spectral") -> np.ndarray:
    r"""$\log_{10}\lVert \partial h_T / \partial h_t \rVert$ for t = 0..T (length T+1, last is 0).

    `ord` is "spectral" (largest singular value) or "frobenius".

    >>> Js = np.stack([np.diag([0.5, 0.25])] * 3)
    >>> log10_jacobian_norms(Js).round(4).tolist()
    [-0.9031, -0.6021, -0.301, 0.0]
    """
    choice("ord", ord, ("spectral", "frobenius"))
    lp = log_jacobian_product(Js, norms=ord == "spectral")
    return lp.log10_spectral if ord == "spectral" else lp.log10_frobenius


def rnn_log10_jacobian_norms(W_hh, slopes, *, ord: str = "spectral") -> np.ndarray:
    r"""As `log10_jacobian_norms` for $J_t = \mathrm{diag}(s_t) W_{hh}$, slopes (T, H), `[t-1]` = $s_t$.

    Never forms the T Jacobians: $P J_t = (P\,\mathrm{diag}(s_t)) W_{hh}$, so memory is O(H²).

    >>> rnn_log10_jacobian_norms(np.eye(2), np.full((3, 2), 0.1)).round(6).tolist()
    [-3.0, -2.0, -1.0, 0.0]
    """
    choice("ord", ord, ("spectral", "frobenius"))
    W_hh = square("W_hh", W_hh)
    S = as_array("slopes", slopes, ndim=2)
    H = W_hh.shape[0]
    if S.shape[0] < 1 or S.shape[1] != H:
        raise ValueError(f"slopes must have shape (T, H={H}) with T >= 1, got {S.shape}")
    lp = _log_product(lambda P, s: (P * S[s]) @ W_hh, H, S.shape[0], 0, ord == "spectral")
    return lp.log10_spectral if ord == "spectral" else lp.log10_frobenius
