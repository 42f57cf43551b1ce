r"""Vanishing versus exploding, in numbers: geometric decay, float64 underflow, swamping.

A gradient that travels $n$ steps back through an RNN is multiplied by $n$ step Jacobians;
if each shrinks it by a factor $\gamma$ its size is $\gamma^n$. This module holds the small
computations the lesson "Vanishing versus exploding" rests on:

* `power_table`: $\gamma^n$ for a few $n$, as text (the 0.45^n and 1.1^n tables);
* `naive_backward_norms`: the plain float64 backward recursion, which underflows to exactly
  0 (vanishing) or overflows to inf (exploding), for comparison with the log-space
  `vgp.profile.backward_log10_norms`;
* `contributions_to_dW_hh`: the per-step terms $\delta_k h_{k-1}^\top$ whose sum is
  $\partial L/\partial W_{hh}$, to show that the long-range terms are *swamped*: adding
  them to the short-range ones does not change a single bit of the float64 sum;
* `update_is_noop`: whether $w - \eta g$ rounds back to $w$.

>>> print(power_table(0.5, [1, 2, 3]))
n      0.5^n
1  5.000e-01
2  2.500e-01
3  1.250e-01
"""

from __future__ import annotations

import math

import numpy as np

from vgp._validate import as_array, integer, real, square
from vgp.activations import dphi
from vgp.bptt import backward
from vgp.logscale import format_log10
from vgp.profile import RNNProfile, random_rnn_profile
from vgp.rnn import RNNParams, forward, init_params

#: Spectral radii of the measured profiles, and the random RNN they are measured in.
RADII = (0.5, 0.75, 0.9, 1.0, 1.1, 1.25, 1.5)
PROFILE = {"hidden": 64, "steps": 1500, "trials": 20, "seed": 0}


def power_table(gamma: float, ns) -> str:
    r"""Text table of $\gamma^n$ for each n in `ns`, formatted from $n\log_{10}\gamma$.

    Formatting from the logarithm means values far outside the float64 range still print
    correctly (never as 0 or inf).

    >>> print(power_table(0.1, [400]))
      n       0.1^n
    400  1.000e-400
    """
    gamma = real("gamma", gamma, minimum=0.0, strict_min=True)
    ns = [integer("ns[i]", n, minimum=0) for n in ns]
    if not ns:
        raise ValueError("ns must hold at least one exponent")
    head = f"{gamma:g}^n"
    values = [format_log10(n * math.log10(gamma), 3) for n in ns]
    wn = max(len(str(n)) for n in ns + ["n"])
    wv = max(len(v) for v in values + [head])
    rows = [f"{'n':>{wn}}  {head:>{wv}}"]
    rows += [f"{n:>{wn}}  {v:>{wv}}" for n, v in zip(ns, values)]
    return "\n".join(rows)


def radius_profiles(radii=RADII, **overrides) -> dict[float, RNNProfile]:
    r"""`vgp.profile.random_rnn_profile` for each spectral radius (tanh, same seed and inputs).

    >>> profs = radius_profiles((0.5, 1.5), steps=1500)
    >>> [profs[r].norm_strings()[0] for r in (0.5, 1.5)]    # ||dL/dh_1||, 1499 steps back
    ['3.688e-462', '5.757e+16']
    """
    cfg = {**PROFILE, **overrides}
    return {float(r): random_rnn_profile(cfg["hidden"], cfg["steps"], r, trials=cfg["trials"],
                                         seed=cfg["seed"]) for r in radii}


def safe_norm(v) -> float:
    r"""Euclidean norm that neither underflows nor overflows in the squares:
    $m\sqrt{\sum_i (v_i/m)^2}$ with $m = \max_i |v_i|$. The textbook ``np.sqrt(v @ v)`` returns
    0.0 for a vector of size $10^{-170}$, because its square, $10^{-340}$, is below float64's range.

    >>> v = np.array([3e-170, 4e-170])
    >>> float(np.sqrt(v @ v)), f"{safe_norm(v):.1e}"
    (0.0, '5.0e-170')
    """
    v = np.asarray(v, dtype=np.float64).ravel()
    m = float(np.max(np.abs(v))) if v.size else 0.0
    if m == 0.0 or not math.isfinite(m):
        return m
    return m * float(np.sqrt(np.sum((v / m) ** 2)))


# --8<-- [start:naive]
def naive_backward_norms(W_hh, slopes, dL_dhT) -> np.ndarray:
    r"""$\lVert \partial L/\partial h_t\rVert$, t = 0..T, by the plain float64 recursion
    $g_{t-1} = W_{hh}^\top(\phi'(z_t)\odot g_t)$: no renormalisation, so $g$ itself underflows
    to 0.0 or overflows to inf. `slopes` (T, H), `slopes[t-1]` = $\phi'(z_t)$; `dL_dhT` (H,).
    (Each norm is taken safely, by `safe_norm`, so only the recursion is naive.)

    >>> naive_backward_norms(0.1 * np.eye(2), np.ones((400, 2)), [1.0, 0.0])[[0, 399, 400]].tolist()
    [0.0, 0.1, 1.0]
    """
    W_hh = square("W_hh", W_hh)
    S = as_array("slopes", slopes, ndim=2)
    g = as_array("dL_dhT", dL_dhT, ndim=1)
    T, H = S.shape
    if H != W_hh.shape[0] or g.shape != (H,):
        raise ValueError(f"slopes must be (T, {W_hh.shape[0]}) and dL_dhT ({W_hh.shape[0]},)")
    out = np.empty(T + 1)
    out[T] = safe_norm(g)
    with np.errstate(over="ignore", under="ignore", invalid="ignore"):
        for t in range(T, 0, -1):
            g = (S[t - 1] * g) @ W_hh                # g_{t-1} = W_hh^T (phi'(z_t) * g_t)
            out[t - 1] = safe_norm(g)                # 0.0 once every entry underflowed
    return out
# --8<-- [end:naive]


# --8<-- [start:contributions]
def contributions_to_dW_hh(params: RNNParams, x, dL_dyT, *, activation: str = "tanh") -> np.ndarray:
    r"""The T terms $\delta_k h_{k-1}^\top$ (k = 1..T) of $\partial L/\partial W_{hh}$, shape (T, H, H).

    One sequence x (T, D), loss at the last step only with output gradient
    $\partial L/\partial y_T$ = `dL_dyT` (O,). Term k is the part of the gradient that flowed
    back $T - k$ steps before it met $W_{hh}$; the terms sum to BPTT's $\partial L/\partial W_{hh}$.

    >>> from vgp.rnn import init_params
    >>> p = init_params(1, 3, 1, seed=0, radius=0.9)
    >>> C = contributions_to_dW_hh(p, np.ones((4, 1)), [1.0])
    >>> C.shape
    (4, 3, 3)
    """
    x = as_array("x", x, ndim=2)
    fwd = forward(params, x[None], activation=activation)     # a batch of one sequence
    T, O = x.shape[0], params.W_hy.shape[0]
    dL_dy = np.zeros((1, T, O))
    dL_dy[0, -1] = as_array("dL_dyT", dL_dyT, ndim=1)         # loss at step T only
    dL_dh = backward(params, fwd, dL_dy).dL_dh[0]             # (T+1, H), [t] = dL/dh_t
    delta = dphi(activation, fwd.z[0]) * dL_dh[1:]            # (T, H): delta_k = dL/dz_k
    return delta[:, :, None] * fwd.h[0, :-1, None, :]         # (T, H, H): delta_k h_{k-1}^T
# --8<-- [end:contributions]


def swamping(C, horizon: int) -> dict:
    r"""Is the sum of all terms bit-identical to the sum of the last `horizon` terms only?

    `C` (T, ...) holds the terms in time order; both sums run from the most recent term
    backwards, as BPTT accumulates them. Returns the largest term norm beyond the horizon
    relative to the most recent one, and whether the two float64 sums are equal bit for bit:
    is $\mathrm{fl}\big(\sum_{k=1}^{T} C_k\big) = \mathrm{fl}\big(\sum_{k=T-m+1}^{T} C_k\big)$ with $m$ = `horizon`?

    >>> r = swamping(np.array([1e-30, 1e-3, 1.0]), horizon=2)
    >>> r["identical"], r["relative_far"]
    (True, 1e-30)
    """
    C = as_array("C", C)
    T = C.shape[0]
    horizon = integer("horizon", horizon, minimum=1, maximum=T)
    full, recent = np.zeros(C.shape[1:]), np.zeros(C.shape[1:])
    for k in range(T - 1, -1, -1):                 # accumulate newest first, like backward()
        full += C[k]
        if k >= T - horizon:
            recent += C[k]
    norms = np.linalg.norm(C.reshape(T, -1), axis=1)
    far = norms[: T - horizon].max() if horizon < T else 0.0
    return {"relative_far": float(far / norms[-1]), "identical": bool(np.array_equal(full, recent)),
            "full": full, "recent": recent}


def lost_horizon(C) -> int:
    r"""Smallest horizon m such that the float64 sum of all T terms of `C` (T, ...) equals,
    bit for bit, the sum of the m most recent terms: everything older than m steps is lost,
    $\min\{m : \mathrm{fl}(\sum_{k=1}^{T} C_k) = \mathrm{fl}(\sum_{k=T-m+1}^{T} C_k)\}$.

    >>> lost_horizon(np.array([1e-30, 1e-3, 1.0]))      # the 1e-30 term changes nothing
    2
    """
    C = as_array("C", C)
    for m in range(1, C.shape[0] + 1):
        if swamping(C, m)["identical"]:
            return m
    return C.shape[0]  # pragma: no cover  (m = T always matches)


#: The RNN whose dL/dW_hh is split into per-step terms on the lesson page.
SWAMP = {"hidden": 16, "steps": 200, "radius": 0.9, "seed": 0}


def swamping_example(**overrides) -> np.ndarray:
    r"""`contributions_to_dW_hh` (T, H, H) for the tanh RNN of `SWAMP`: random $N(0, 1)$ inputs,
    loss at the last step with $\partial L/\partial y_T = 1$. Keywords override `SWAMP`.

    >>> swamping_example(steps=20).shape
    (20, 16, 16)
    """
    cfg = {**SWAMP, **overrides}
    p = init_params(1, cfg["hidden"], 1, seed=cfg["seed"], radius=cfg["radius"])
    x = np.random.default_rng(cfg["seed"]).standard_normal((cfg["steps"], 1))   # (T, D=1)
    return contributions_to_dW_hh(p, x, [1.0])


def update_is_noop(w: float, grad: float, lr: float) -> bool:
    r"""True if the SGD step $w - \eta g$ rounds back to exactly $w$ in float64.

    >>> update_is_noop(0.3, 1e-20, 0.1), update_is_noop(0.3, 1e-3, 0.1)
    (True, False)
    """
    w, grad, lr = real("w", w), real("grad", grad), real("lr", lr, minimum=0.0)
    return (w - lr * grad) == w
