r"""The worked example: a 2x2 tanh RNN with no input, every quantity computed.

$$
z_t = W_{hh} h_{t-1},\qquad h_t = \phi(z_t),\qquad
J_t = \frac{\partial h_t}{\partial h_{t-1}} = \mathrm{diag}(\phi'(z_t))\,W_{hh},
$$

$$
\frac{\partial h_T}{\partial h_0} = J_T J_{T-1} \cdots J_1
\quad\text{(the latest step on the left).}
$$

The default is the lesson's example, $W_{hh} = \begin{pmatrix}0.5 & 0.3\\ -0.2 & 0.4\end{pmatrix}$,
$h_0 = (1, 0)$, five steps, tanh. Any square `W_hh`, matching `h_0`, number of steps and
activation works too. `finite_difference_product` is an independent check of
$\partial h_T/\partial h_0$ by central differences of the unrolled map.

>>> ex = worked_example()
>>> [f"{lam:.4f}" for lam in ex.eigenvalues]
['0.4500+0.2398j', '0.4500-0.2398j']
>>> f"{ex.product_spectral_norm:.4e}"
'3.7670e-02'
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from vgp._validate import as_array, choice, integer, real, square
from vgp.activations import ACTIVATIONS, MAX_SLOPE, dphi, phi

W_HH_EXAMPLE = ((0.5, 0.3), (-0.2, 0.4))  # the lesson's W_hh
H_0_EXAMPLE = (1.0, 0.0)                  # the lesson's h_0
STEPS_EXAMPLE = 5


@dataclass(frozen=True)
class WorkedExample:
    r"""Every quantity of the worked example. Index conventions follow `vgp.rnn.Forward`:
    `h[t]` is $h_t$ (``h[0]`` = $h_0$); `z[t-1]`, `jacobians[t-1]`, `cumulative[t-1]` belong to step t.

    ``cumulative[t-1]`` is $\partial h_t/\partial h_0 = J_t \cdots J_1$, so the last one is the product:

    >>> ex = worked_example()
    >>> ex.steps, ex.h.shape, ex.jacobians.shape
    (5, (6, 2), (5, 2, 2))
    >>> J = ex.jacobians
    >>> bool(np.allclose(ex.product, J[4] @ J[3] @ J[2] @ J[1] @ J[0]))
    True
    >>> f"{ex.spectral_radius:.4f}", f"{ex.product_frobenius_norm:.4e}"
    ('0.5099', '4.3702e-02')
    """

    W_hh: np.ndarray                  # (H, H)
    activation: str
    eigenvalues: np.ndarray           # (H,) complex, sorted by decreasing magnitude
    eigenvalue_magnitudes: np.ndarray  # (H,)
    singular_values: np.ndarray       # (H,) decreasing
    z: np.ndarray                     # (T, H)   z_t = W_hh h_{t-1}
    h: np.ndarray                     # (T+1, H) h_t = phi(z_t)
    slopes: np.ndarray                # (T, H)   phi'(z_t)
    jacobians: np.ndarray             # (T, H, H) J_t = dh_t/dh_{t-1}
    jacobian_radii: np.ndarray        # (T,)     spectral radius of J_t
    jacobian_norms: np.ndarray        # (T,)     spectral norm of J_t
    cumulative: np.ndarray            # (T, H, H) dh_t/dh_0 = J_t ... J_1

    @property
    def steps(self) -> int:
        """T, the number of steps run."""
        return self.z.shape[0]

    @property
    def spectral_radius(self) -> float:
        r"""$\rho(W_{hh}) = \max_i |\lambda_i|$."""
        return float(self.eigenvalue_magnitudes[0])

    @property
    def product(self) -> np.ndarray:
        r"""$\partial h_T/\partial h_0 = J_T J_{T-1} \cdots J_1$, shape (H, H)."""
        return self.cumulative[-1]

    @property
    def product_frobenius_norm(self) -> float:
        r"""$\lVert \partial h_T/\partial h_0 \rVert_F$, the root of the sum of squared entries."""
        return float(np.linalg.norm(self.product, "fro"))

    @property
    def product_spectral_norm(self) -> float:
        r"""$\lVert \partial h_T/\partial h_0 \rVert_2$, the largest singular value of the product."""
        return float(np.linalg.norm(self.product, 2))


def _check(W_hh, h_0, steps, activation):
    W_hh = square("W_hh", W_hh)
    h_0 = as_array("h_0", h_0, ndim=1)
    if h_0.shape != (W_hh.shape[0],):
        raise ValueError(f"h_0 must have shape ({W_hh.shape[0]},) to match W_hh, got {h_0.shape}")
    steps = integer("steps", steps, minimum=1)
    choice("activation", activation, ACTIVATIONS)
    return W_hh, h_0, steps


def unroll(W_hh=W_HH_EXAMPLE, h_0=H_0_EXAMPLE, steps: int = STEPS_EXAMPLE,
           activation: str = "tanh") -> np.ndarray:
    r"""The map $h_0 \mapsto h_T$ of the input-free recurrence $h_t = \phi(W_{hh} h_{t-1})$; returns $h_T$ (H,).

    >>> [f"{v:.6f}" for v in unroll(steps=1)]
    ['0.462117', '-0.197375']
    """
    W_hh, h, steps = _check(W_hh, h_0, steps, activation)
    for _ in range(steps):
        h = phi(activation, W_hh @ h)
    return h


# --8<-- [start:worked_example]
def worked_example(W_hh=W_HH_EXAMPLE, h_0=H_0_EXAMPLE, steps: int = STEPS_EXAMPLE,
                   activation: str = "tanh") -> WorkedExample:
    r"""Run $h_t = \phi(W_{hh} h_{t-1})$ for `steps` steps and record every Jacobian and product.

    $J_t = \mathrm{diag}(\phi'(z_t))\,W_{hh}$ scales row $i$ of $W_{hh}$ by unit $i$'s slope:

    >>> ex = worked_example()                        # the lesson's W_hh, h_0 = (1, 0), 5 steps
    >>> [f"{v:.4f}" for v in ex.z[0]], [f"{s:.4f}" for s in ex.slopes[0]]
    (['0.5000', '-0.2000'], ['0.7864', '0.9610'])
    >>> bool(np.allclose(ex.jacobians[0], ex.slopes[0][:, None] * ex.W_hh))
    True
    """
    W_hh, h_0, T = _check(W_hh, h_0, steps, activation)
    H = W_hh.shape[0]
    lam = np.linalg.eigvals(W_hh).astype(complex)
    lam = lam[np.lexsort((-lam.imag, -np.abs(lam)))]      # largest |lambda| first
    z = np.empty((T, H))
    h = np.empty((T + 1, H))
    slopes = np.empty((T, H))
    J = np.empty((T, H, H))
    cumulative = np.empty((T, H, H))
    h[0] = h_0
    P = np.eye(H)                                         # dh_0/dh_0
    for t in range(1, T + 1):
        z[t - 1] = W_hh @ h[t - 1]                        # z_t = W_hh h_{t-1}
        h[t] = phi(activation, z[t - 1])                  # h_t = phi(z_t)
        slopes[t - 1] = dphi(activation, z[t - 1])        # phi'(z_t)
        J[t - 1] = slopes[t - 1][:, None] * W_hh          # J_t = diag(phi'(z_t)) W_hh
        P = J[t - 1] @ P                                  # J_t on the LEFT: J_t J_{t-1} ... J_1
        cumulative[t - 1] = P                             # dh_t/dh_0
    return WorkedExample(
        W_hh=W_hh, activation=activation,
        eigenvalues=lam, eigenvalue_magnitudes=np.abs(lam),
        singular_values=np.linalg.svd(W_hh, compute_uv=False),
        z=z, h=h, slopes=slopes, jacobians=J,
        jacobian_radii=np.array([np.max(np.abs(np.linalg.eigvals(Jt))) for Jt in J]),
        jacobian_norms=np.array([np.linalg.norm(Jt, 2) for Jt in J]),
        cumulative=cumulative,
    )
# --8<-- [end:worked_example]


# --8<-- [start:finite_difference]
def finite_difference_product(W_hh=W_HH_EXAMPLE, h_0=H_0_EXAMPLE, steps: int = STEPS_EXAMPLE,
                              activation: str = "tanh", eps: float = 1e-6) -> np.ndarray:
    r"""$\partial h_T/\partial h_0$ by central differences of `unroll`, column by column:

    $$
    \Big[\frac{\partial h_T}{\partial h_0}\Big]_{:, j}
      \approx \frac{h_T(h_0 + \epsilon e_j) - h_T(h_0 - \epsilon e_j)}{2\epsilon}.
    $$

    >>> ex = worked_example()
    >>> err = np.max(np.abs(finite_difference_product() - ex.product))
    >>> bool(err < 1e-9)
    True
    """
    W_hh, h_0, steps = _check(W_hh, h_0, steps, activation)
    eps = real("eps", eps, minimum=0.0, strict_min=True)
    H = W_hh.shape[0]
    D = np.empty((H, H))
    for j in range(H):
        e_j = np.zeros(H)
        e_j[j] = eps
        D[:, j] = (unroll(W_hh, h_0 + e_j, steps, activation)
                   - unroll(W_hh, h_0 - e_j, steps, activation)) / (2 * eps)
    return D
# --8<-- [end:finite_difference]


def log10_product_norm(W_hh=W_HH_EXAMPLE, h_0=H_0_EXAMPLE, steps: int = 50,
                       activation: str = "tanh") -> np.ndarray:
    r"""$\log_{10}\lVert \partial h_t/\partial h_0 \rVert_2$ for t = 1..steps, renormalising every step so nothing underflows.

    The product is kept as $M_t \cdot 10^{s_t}$ with $\lVert M_t \rVert_2 = 1$: after each step
    the matrix $J_t M_{t-1}$ is divided by its own norm $n_t$ and $s_t = s_{t-1} + \log_{10} n_t$
    is accumulated. Returns an array of shape (steps,).

    >>> ex = worked_example()
    >>> f"{log10_product_norm(steps=5)[-1]:.6f}" == f"{np.log10(ex.product_spectral_norm):.6f}"
    True
    >>> f"{log10_product_norm(steps=2000)[-1]:.1f}"
    '-585.0'
    """
    W_hh, h, T = _check(W_hh, h_0, steps, activation)
    M = np.eye(W_hh.shape[0])     # normalised dh_t/dh_0
    log_scale = 0.0               # log10 of the factor taken out so far
    out = np.empty(T)
    for t in range(T):
        z = W_hh @ h
        h = phi(activation, z)
        M = (dphi(activation, z)[:, None] * W_hh) @ M
        n = np.linalg.norm(M, 2)
        if n == 0.0:              # an exactly zero Jacobian (e.g. ReLU switched off): -inf from here
            out[t:] = -np.inf
            return out
        M /= n
        log_scale += np.log10(n)
        out[t] = log_scale
    return out


def rates(ex: WorkedExample) -> dict[str, float]:
    r"""Per-step rates one could extrapolate from the example, each a factor per step.

    * `sigma_max`: $\sigma_{\max}(W_{hh})$; times $\gamma = \max \phi'$, the rate of the
      upper bound $\lVert \partial h_t/\partial h_0\rVert \le (\gamma\,\sigma_{\max})^t$ (for tanh $\gamma = 1$).
    * `rho`: $\rho(W_{hh})$; here the state decays to 0, $\phi'(z_t) \to 1$ and $J_t \to W_{hh}$,
      so $\rho(W_{hh})$ is the asymptotic rate of the product.
    * `mean_rate`: geometric mean over the T computed steps, $\lVert \partial h_T/\partial h_0\rVert_2^{1/T}$.

    >>> {name: f"{r:.4f}" for name, r in rates(worked_example()).items()}
    {'sigma_max': '0.5855', 'rho': '0.5099', 'mean_rate': '0.5190'}
    """
    if not isinstance(ex, WorkedExample):
        raise TypeError(f"ex must be a WorkedExample, got {type(ex).__name__}")
    return {
        "sigma_max": float(ex.singular_values[0]),
        "rho": ex.spectral_radius,
        "mean_rate": ex.product_spectral_norm ** (1.0 / ex.steps),
    }


def predict_log10_norm(ex: WorkedExample, n: int) -> dict[str, float]:
    r"""log10 of ||dh_n/dh_0||_2 as predicted from the first T steps, and as computed.

    * `bound`: $n \log_{10}(\gamma\,\sigma_{\max}(W_{hh}))$, the Pascanu et al. upper bound.
    * `mean_rate` (the geometric mean rate of the first T steps): $(n/T) \log_{10}\lVert \partial h_T/\partial h_0\rVert_2$.
    * `last_radius`: $\log_{10}\lVert \partial h_T/\partial h_0\rVert_2 + (n - T)\log_{10}\rho(J_T)$:
      keep the computed product and extrapolate the last step's spectral radius.
    * `rho`: $n \log_{10}\rho(W_{hh})$ (the limit of $J_t$ when $h_t \to 0$).
    * `computed`: the product actually run for n steps (log space, cannot underflow).

    >>> p = predict_log10_norm(worked_example(), 5)
    >>> abs(p["computed"] - p["mean_rate"]) < 1e-12 and abs(p["computed"] - p["last_radius"]) < 1e-12
    True
    """
    if not isinstance(ex, WorkedExample):
        raise TypeError(f"ex must be a WorkedExample, got {type(ex).__name__}")
    n = integer("n", n, minimum=ex.steps)
    T = ex.steps
    log_T = np.log10(ex.product_spectral_norm)
    return {
        "bound": n * float(np.log10(MAX_SLOPE[ex.activation] * ex.singular_values[0])),
        "mean_rate": float(n / T * log_T),
        "last_radius": float(log_T + (n - T) * np.log10(ex.jacobian_radii[-1])),
        "rho": n * float(np.log10(ex.spectral_radius)),
        "computed": float(log10_product_norm(ex.W_hh, ex.h[0], n, ex.activation)[-1]),
    }
