r"""Gradient-norm profiles over time, in log space so they never underflow.

With the loss at the last step only, the gradient with respect to every hidden state comes
from one backward recursion through the step Jacobians $J_t = \mathrm{diag}(\phi'(z_t)) W_{hh}$:

$$
g_T = \frac{\partial L}{\partial h_T}, \qquad
g_{t-1} = J_t^\top g_t = W_{hh}^\top \big(\phi'(z_t) \odot g_t\big).
$$

$\lVert g_t \rVert$ shrinks (or grows) geometrically in $T - t$ and underflows float64 after a
few hundred to a few thousand steps. Here each step is renormalised,
$\hat g_{t-1} = J_t^\top \hat g_t / n_t$ with $n_t = \lVert J_t^\top \hat g_t\rVert$, and

$$
\log_{10}\lVert g_{t-1}\rVert = \log_{10}\lVert g_t\rVert + \log_{10} n_t ,
$$

so a norm of $10^{-400}$ is reported as -400, never as 0. The forward pass costs one
matrix-vector product per step and the backward pass one more (slopes are precomputed).
The Jacobian norms $\lVert \partial h_T/\partial h_t\rVert$ for every t, the same way, are in
`vgp.jacobians` (`log10_jacobian_norms`, `rnn_log10_jacobian_norms`).

>>> prof = random_rnn_profile(hidden=16, steps=3000, radius=0.5, trials=2, seed=0)
>>> prof.log10_norm.shape, float(prof.log10_norm[-1]), bool(prof.log10_norm[0] < -900)
((3000,), 0.0, True)
>>> format_log10(prof.log10_norm[0])[-5:]    # far below the float64 range, and not 0
'e-914'
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from vgp._validate import as_array, choice, integer, real, square
from vgp.activations import ACTIVATIONS, dphi
from vgp.logscale import format_log10
from vgp.rnn import RNNParams, forward
from vgp.spectral import rescale

__all__ = ["format_log10", "backward_log10_norms", "gradient_profile", "RNNProfile",
           "rnn_profile", "random_rnn_profile", "random_rnn_slopes", "MAX_ELEMENTS"]

# Largest steps * trials * hidden held in memory by `random_rnn_profile` (8 bytes each).
MAX_ELEMENTS = 60_000_000


def _phi_inplace(activation: str, z: np.ndarray) -> None:
    """z <- phi(z) without allocating (the forward loop's only nonlinearity)."""
    if activation == "tanh":
        np.tanh(z, out=z)
    elif activation == "sigmoid":                     # sigma(z) = (1 + tanh(z/2)) / 2, stable
        z *= 0.5
        np.tanh(z, out=z)
        z += 1.0
        z *= 0.5
    elif activation == "relu":
        np.maximum(z, 0.0, out=z)


def _slopes_from_outputs_inplace(activation: str, h: np.ndarray) -> None:
    """h <- phi'(z) computed from h = phi(z) (tanh: 1 - h^2, sigmoid: h(1 - h), relu: h > 0)."""
    if activation == "tanh":
        h *= h
        np.subtract(1.0, h, out=h)
    elif activation == "sigmoid":
        h *= h - 1.0
        np.negative(h, out=h)
    elif activation == "relu":
        np.greater(h, 0.0, out=h)
    else:
        h.fill(1.0)


# --8<-- [start:backward]
def _backward(W_hh: np.ndarray, S: np.ndarray, g: np.ndarray) -> np.ndarray:
    """log10 ||g_t|| for t = 0..T, rows: S (T, B, H) slopes, g (B, H) = g_T with unit rows."""
    T, B, H = S.shape
    log_n = np.empty((T, B))                          # [t-1] -> n_t, then log10 n_t
    v = np.empty((B, H))
    with np.errstate(divide="ignore", invalid="ignore"):
        if B == 1:                                    # one sequence: vectors, fewest calls
            g, v, S1, ln = g[0].copy(), v[0], S[:, 0], log_n[:, 0]
            for t in range(T - 1, -1, -1):            # S1[t] = phi'(z_{t+1})
                np.multiply(g, S1[t], out=v)          # v = phi'(z_{t+1}) * g_{t+1}
                g = v @ W_hh                          # g_t = W_hh^T v  (as a row: v^T W_hh)
                n = np.sqrt(g @ g)                    # n_{t+1} = ||J_{t+1}^T g_{t+1}||
                g /= n                                # renormalise: ||g_t|| = 1 again
                ln[t] = n
        for t in range(T - 1, -1, -1) if B > 1 else ():
            np.multiply(g, S[t], out=v)               # same, one row per sequence
            g = v @ W_hh
            n = np.sqrt(np.einsum("bh,bh->b", g, g))
            g /= n[:, None]
            log_n[t] = n
        np.log10(log_n, out=log_n)
    out = np.zeros((T + 1, B))                        # [t] -> log10 ||g_t||, ||g_T|| = 1
    out[:T] = np.cumsum(log_n[::-1], axis=0)[::-1]
    dead = np.logical_or.accumulate((log_n == -np.inf)[::-1], axis=0)[::-1]
    out[:T][dead] = -np.inf                           # an exact zero stays zero (dead ReLUs)
    return out
# --8<-- [end:backward]


def backward_log10_norms(W_hh, slopes, dL_dhT) -> np.ndarray:
    r"""$\log_{10}\lVert \partial L/\partial h_t\rVert$ for t = 0..T, loss at step T only.

    `slopes[t-1]` is $\phi'(z_t)$: shape (T, H) for one sequence or (T, B, H) for a batch;
    `dL_dhT` is (H,) or (B, H). Returns (T+1,) or (T+1, B), including $\log_{10}\lVert g_T\rVert$.

    >>> W_hh = 0.1 * np.eye(2)                         # ||g_t|| = 0.1^(T-t)
    >>> backward_log10_norms(W_hh, np.ones((400, 2)), [1.0, 0.0])[[0, 399, 400]].round(9).tolist()
    [-400.0, -1.0, 0.0]
    """
    W_hh = square("W_hh", W_hh)
    H = W_hh.shape[0]
    S = as_array("slopes", slopes, ndim=(2, 3))
    g = as_array("dL_dhT", dL_dhT, ndim=(1, 2))
    single = S.ndim == 2
    if single:
        S, g = S[:, None, :], g[None, :]
    if S.shape[0] < 1 or S.shape[2] != H:
        raise ValueError(f"slopes must have shape (T, H={H}) or (T, B, H={H}) with T >= 1, got {S.shape}")
    if g.shape != (S.shape[1], H):
        raise ValueError(f"dL_dhT must have shape ({H},) or (B={S.shape[1]}, {H}), got {g.shape}")
    norms = np.linalg.norm(g, axis=1)
    if np.any(norms == 0.0):
        raise ValueError("dL_dhT must be non-zero (a zero gradient has log10 norm -inf everywhere)")
    out = _backward(W_hh, np.ascontiguousarray(S), g / norms[:, None]) + np.log10(norms)
    return out[:, 0] if single else out


def gradient_profile(params: RNNParams, x, dL_dhT=None, *, activation: str = "tanh",
                     h0=None) -> np.ndarray:
    r"""$\log_{10}\lVert \partial L/\partial h_t\rVert$, t = 0..T, of a given RNN on inputs x (B, T, D).

    The loss sits at the last step with $\partial L/\partial h_T$ = `dL_dhT` ((H,) or (B, H);
    default the unit vector $(1, \dots, 1)/\sqrt{H}$). Returns (T+1, B).

    >>> from vgp.rnn import init_params
    >>> p = init_params(2, 8, 1, seed=0, radius=0.5)
    >>> x = np.random.default_rng(1).standard_normal((3, 50, 2))
    >>> gradient_profile(p, x).shape
    (51, 3)
    """
    fwd = forward(params, x, h0=h0, activation=activation)
    B, T, H = fwd.z.shape
    if dL_dhT is None:
        dL_dhT = np.full(H, 1.0 / np.sqrt(H))
    g = as_array("dL_dhT", dL_dhT, ndim=(1, 2))
    g = np.broadcast_to(g, (B, H)) if g.shape in ((H,), (B, H)) else None
    if g is None:
        raise ValueError(f"dL_dhT must have shape ({H},) or ({B}, {H})")
    slopes = dphi(activation, fwd.z).transpose(1, 0, 2)     # (T, B, H)
    return backward_log10_norms(params.W_hh, slopes, g)


@dataclass
class RNNProfile:
    r"""Gradient-norm profile of a random RNN; `log10_norm[t-1]` belongs to step t = 1..T.

    >>> prof = random_rnn_profile(hidden=8, steps=50, radius=0.5, trials=2, seed=0)
    >>> prof.t[:3].tolist(), prof.log10_norm_trials.shape, f"{prof.log10_rate:.3f}"
    ([1, 2, 3], (2, 50), '-0.306')
    >>> prof.norm_strings()[0], prof.norm_strings()[-1]     # ||dL/dh_1||, ||dL/dh_T|| = 1
    ('9.912e-16', '1.000e+00')
    """

    t: np.ndarray                  # (T,) steps 1..T
    log10_norm: np.ndarray         # (T,) mean over trials of log10 ||dL/dh_t|| (geometric mean)
    log10_norm_trials: np.ndarray  # (trials, T)
    config: dict = field(default_factory=dict)

    @property
    def log10_rate(self) -> float:
        """Average log10 change per step from t = T back to t = 1 (negative: vanishing)."""
        T = len(self.t)
        return float(self.log10_norm[0] / (T - 1)) if T > 1 else 0.0

    def norm_strings(self, digits: int = 3) -> list[str]:
        """Each norm in scientific notation, formatted from its log10 (never '0.0')."""
        return [format_log10(float(v), digits) for v in self.log10_norm]

    def to_dict(self, trials: bool = True) -> dict:
        """JSON-ready: lists of floats, -inf (an exact zero gradient) as None."""
        def clean(a):
            return [None if v == -np.inf else float(v) for v in np.asarray(a).ravel()]
        out = {"t": [int(v) for v in self.t], "log10_norm": clean(self.log10_norm),
               "norm": self.norm_strings(), "config": dict(self.config)}
        if trials:
            out["log10_norm_trials"] = [clean(row) for row in self.log10_norm_trials]
        return out


def _check_run(T, activation, input_scale, B, H):
    T = integer("steps", T, minimum=1)
    choice("activation", activation, ACTIVATIONS)
    input_scale = real("input_scale", input_scale, minimum=0.0)
    B = integer("trials", B, minimum=1)
    if T * B * H > MAX_ELEMENTS:
        raise ValueError(f"steps * trials * hidden = {T * B * H:,} exceeds {MAX_ELEMENTS:,} "
                         "(memory); use fewer trials or steps")
    return T, input_scale, B


# --8<-- [start:run]
def _run(W_hh, T, activation, input_scale, B, rng):
    """Drive the RNN; return slopes S (T, B, H), S[t-1] = phi'(z_t), and unit dL/dh_T (B, H)."""
    H = W_hh.shape[0]
    W_xh = rng.standard_normal((H, 1)) * input_scale              # (H, D=1)
    g = rng.standard_normal((B, H))
    g /= np.linalg.norm(g, axis=1, keepdims=True)                 # (B, H) unit dL/dh_T
    x = rng.standard_normal((T, B, 1))                            # scalar inputs x_t, D = 1
    Z = x * W_xh[:, 0]                                            # (T, B, H) input drive W_xh x_t
    W_hh_T = np.ascontiguousarray(W_hh.T)
    h, tmp = np.zeros((B, H)), np.empty((B, H))                   # h_0 = 0
    Zs = Z[:, 0] if B == 1 else Z                                 # one sequence: vectors
    if B == 1:
        h, tmp = h[0], tmp[0]
    for t in range(T):                                            # one matvec per step
        np.matmul(h, W_hh_T, out=tmp)                             # W_hh h_{t-1}
        h = Zs[t]
        h += tmp                                                  # z_t
        _phi_inplace(activation, h)                               # h_t = phi(z_t), stored in Z[t]
    _slopes_from_outputs_inplace(activation, Z)                   # Z[t-1] = phi'(z_t)
    return Z, g
# --8<-- [end:run]


def _result(W_hh, S, g, config) -> RNNProfile:
    logs = _backward(W_hh, S, g)[1:].T                            # (B, T), steps 1..T
    return RNNProfile(t=np.arange(1, S.shape[0] + 1), log10_norm=logs.mean(axis=0),
                      log10_norm_trials=logs, config=config)


def rnn_profile(W_hh, steps: int, activation: str = "tanh", input_scale: float = 0.1,
                trials: int = 20, seed: int = 0) -> RNNProfile:
    r"""Profile of $\log_{10}\lVert \partial L/\partial h_t\rVert$, t = 1..T, for a given $W_{hh}$.

    As `random_rnn_profile` but with your recurrent matrix (e.g. from `vgp.init`); $W_{xh}$,
    the unit $\partial L/\partial h_T$ and the inputs are drawn from ``default_rng(seed)``.

    >>> prof = rnn_profile(0.5 * np.eye(4), 3, activation="identity", trials=2)
    >>> prof.log10_norm.round(6).tolist()
    [-0.60206, -0.30103, 0.0]
    """
    W_hh = square("W_hh", W_hh)
    T, input_scale, B = _check_run(steps, activation, input_scale, trials, W_hh.shape[0])
    seed = integer("seed", seed, minimum=0)
    S, g = _run(W_hh, T, activation, input_scale, B, np.random.default_rng(seed))
    config = dict(hidden=W_hh.shape[0], steps=T, activation=activation,
                  input_scale=input_scale, trials=B, seed=seed)
    return _result(W_hh, S, g, config)


def random_rnn_slopes(hidden: int, steps: int, radius: float, activation: str = "tanh",
                      input_scale: float = 0.1, trials: int = 1, seed: int = 0):
    r"""The random RNN of `random_rnn_profile`: ($W_{hh}$ (H, H), slopes $\phi'(z_t)$ (T, trials, H)).

    The same seed gives the same network and inputs as `random_rnn_profile` with as many trials.

    >>> W_hh, S = random_rnn_slopes(16, 500, 0.9, seed=0)
    >>> S.shape, f"{S.mean():.3f}"
    ((500, 1, 16), '0.978')
    """
    H = integer("hidden", hidden, minimum=1)
    radius = real("radius", radius, minimum=0.0)
    T, input_scale, B = _check_run(steps, activation, input_scale, trials, H)
    rng = np.random.default_rng(integer("seed", seed, minimum=0))
    W_hh = rescale(rng.standard_normal((H, H)) / np.sqrt(H), radius=radius)   # (H, H)
    return W_hh, _run(W_hh, T, activation, input_scale, B, rng)[0]


def random_rnn_profile(hidden: int, steps: int, radius: float, activation: str = "tanh",
                       input_scale: float = 0.1, trials: int = 20, seed: int = 0) -> RNNProfile:
    r"""Profile of $\log_{10}\lVert \partial L/\partial h_t\rVert$, t = 1..T, of one random RNN.

    Drawn from ``np.random.default_rng(seed)``: $W_{hh}$ with entries N(0, 1/H) rescaled to
    spectral radius `radius`, $W_{xh}$ (H, 1) with entries N(0, input_scale²), no bias,
    $h_0 = 0$; a random unit $\partial L/\partial h_T$ and scalar inputs $x_t \sim N(0, 1)$ per trial.
    Trials share the weights and run as one batch. The profile averages the log10 norms over
    trials, i.e. it is the geometric mean of the norms; each trial has $\log_{10}\lVert g_T\rVert = 0$,
    so the most recent step is 0.

    >>> prof = random_rnn_profile(8, 5, 0.9, trials=3, seed=0)
    >>> prof.t.tolist(), prof.log10_norm_trials.shape, float(prof.log10_norm[-1])
    ([1, 2, 3, 4, 5], (3, 5), 0.0)
    """
    H = integer("hidden", hidden, minimum=1)
    radius = real("radius", radius, minimum=0.0)
    T, input_scale, B = _check_run(steps, activation, input_scale, trials, H)
    seed = integer("seed", seed, minimum=0)
    rng = np.random.default_rng(seed)
    W_hh = rescale(rng.standard_normal((H, H)) / np.sqrt(H), radius=radius)   # (H, H)
    S, g = _run(W_hh, T, activation, input_scale, B, rng)
    config = dict(hidden=H, steps=T, radius=radius, activation=activation,
                  input_scale=input_scale, trials=B, seed=seed)
    return _result(W_hh, S, g, config)
