r"""The computations behind the figures of the lesson "Backpropagation through time".

`weight_contributions` splits $\partial L/\partial W_{hh}$ into one term per pair (loss step
$s$, weight-use step $t$), the decomposition the page derives:

$$
\frac{\partial L}{\partial W_{hh}} = \sum_{s=1}^{T} \sum_{t=1}^{s} C_{s,t},\qquad
C_{s,t} = \mathrm{diag}(\phi'(z_t))\, \Big(\frac{\partial h_s}{\partial h_t}\Big)^{\!\top}
          \frac{\partial \ell_s}{\partial h_s}\; h_{t-1}^\top .
$$

`contribution_norms`, `median_by_lag` and `truncation_mask` summarise these terms;
`order_demo` and `gradcheck_setup` build the small problems of the other figures. This module
registers no figure itself: the lesson's figures are in `vgp.figures.bptt_backward` (the
backward graph, Jacobian order, gradient check, character-model training) and
`vgp.figures.bptt_contributions` (the terms $C_{s,t}$ and what truncated BPTT cuts).
"""

from __future__ import annotations

import numpy as np

from vgp.activations import dphi
from vgp.bptt import backward
from vgp.jacobians import jacobian_product, step_jacobians
from vgp.losses import step_loss
from vgp.rnn import Forward, RNNParams, forward, init_params

#: The contributions problem: sequence length and hidden units.
CONTRIB_T, CONTRIB_H = 40, 16


def weight_contributions(params: RNNParams, fwd: Forward, dL_dy) -> np.ndarray:
    """C[s-1, t-1] = contribution to dL/dW_hh of loss step s through the use of W_hh at step t.

    Shape (T, T, H, H), zero for t > s; summed over the batch. ``C.sum(axis=(0, 1))`` is the
    BPTT gradient dW_hh. One backward pass per loss step: O(T^2) work, for small T only.
    """
    dL_dy = np.asarray(dL_dy, dtype=np.float64)
    if dL_dy.shape != fwd.y.shape:
        raise ValueError(f"dL_dy must have shape {fwd.y.shape} like fwd.y, got {dL_dy.shape}")
    B, T, H = fwd.z.shape
    C = np.zeros((T, T, H, H))
    for s in range(1, T + 1):
        only_s = np.zeros_like(dL_dy)
        only_s[:, s - 1] = dL_dy[:, s - 1]                      # the loss of step s alone
        dL_dh = backward(params, fwd, only_s).dL_dh             # (B, T+1, H)
        for t in range(1, s + 1):
            delta = dphi(fwd.activation, fwd.z[:, t - 1]) * dL_dh[:, t]   # (B, H)
            C[s - 1, t - 1] = delta.T @ fwd.h[:, t - 1]         # (H, H): delta h_{t-1}^T
    return C


def contribution_setup(radius: float, *, T: int = CONTRIB_T, H: int = CONTRIB_H, seed: int = 0):
    """A random tanh RNN (spectral radius `radius`), random inputs, MSE to random targets."""
    p = init_params(4, H, 4, seed=seed, radius=radius)
    rng = np.random.default_rng(seed + 100)
    x, target = rng.standard_normal((1, T, 4)), rng.standard_normal((1, T, 4))
    fwd = forward(p, x)
    _, dL_dy = step_loss("mse", fwd.y, target)
    return p, fwd, dL_dy


def contribution_norms(radius: float, **kw) -> np.ndarray:
    """log10 of the Frobenius norm of every C[s, t] (NaN above the diagonal and where C = 0)."""
    p, fwd, dL_dy = contribution_setup(radius, **kw)
    C = weight_contributions(p, fwd, dL_dy)
    norms = np.linalg.norm(C, axis=(2, 3))
    with np.errstate(divide="ignore"):
        out = np.log10(norms)
    out[~np.isfinite(out)] = np.nan                             # t > s, and t = 1 (h_0 = 0)
    return out


def truncation_mask(T: int, k: int) -> np.ndarray:
    """(T, T) bool: True where loss step s and weight-use step t <= s share a TBPTT chunk of k.

    >>> truncation_mask(4, 2).astype(int).tolist()
    [[1, 0, 0, 0], [1, 1, 0, 0], [0, 0, 1, 0], [0, 0, 1, 1]]
    """
    s, t = np.meshgrid(np.arange(T), np.arange(T), indexing="ij")   # 0-based s-1, t-1
    return (t <= s) & (s // k == t // k)


def median_by_lag(log_norms: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Median over s of log10 ||C[s, s - n]|| for every lag n = s - t (NaNs ignored)."""
    T = log_norms.shape[0]
    lags = np.arange(T)
    med = np.array([np.nanmedian(np.diagonal(log_norms, offset=-n)) if n < T - 1 else np.nan
                    for n in lags])
    return lags, med


def order_demo(seed: int = 3, H: int = 4, T: int = 3):
    """Step Jacobians of a random tanh RNN, dh_T/dh_0 by finite differences, both orders."""
    p = init_params(2, H, 1, seed=seed, radius=1.5)
    rng = np.random.default_rng(seed)
    x, h0 = rng.standard_normal((1, T, 2)), 0.5 * rng.standard_normal(H)
    Js = step_jacobians(p, forward(p, x, h0=h0))               # (T, H, H), [t-1] = J_t
    eps, fd = 1e-6, np.empty((H, H))
    for j in range(H):                                          # column j: d h_T / d h_0[j]
        e = np.zeros(H)
        e[j] = eps
        fd[:, j] = (forward(p, x, h0=h0 + e).h[0, -1] - forward(p, x, h0=h0 - e).h[0, -1]) / (2 * eps)
    right = jacobian_product(Js, T, 0)                          # J_T ... J_1
    reversed_ = np.linalg.multi_dot(list(Js))                   # J_1 J_2 ... J_T (wrong)
    return Js, fd, right, reversed_


GRADCHECK_SEED = 7


def gradcheck_setup(loss: str, seed: int = GRADCHECK_SEED):
    """A small random problem for the gradient check: D=3, H=5, O=4, B=2, T=8."""
    rng = np.random.default_rng(seed)
    p = init_params(3, 5, 4, seed=seed, radius=1.1)
    p.b_h[:] = 0.1 * rng.standard_normal(5)                    # nonzero biases: every
    p.b_y[:] = 0.1 * rng.standard_normal(4)                    # parameter does something
    x = rng.standard_normal((2, 8, 3))
    target = (rng.integers(0, 4, size=(2, 8)) if loss == "cross_entropy"
              else rng.standard_normal((2, 8, 4)))
    return p, x, target
