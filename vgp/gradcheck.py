r"""Two independent oracles for the BPTT gradients of `vgp.bptt`.

**Oracle 1: central finite differences.** For every entry $\theta_i$ of every parameter,

$$
\frac{\partial L}{\partial \theta_i} \approx \frac{L(\theta + \varepsilon e_i) - L(\theta - \varepsilon e_i)}{2\varepsilon},
$$

whose truncation error is $O(\varepsilon^2)$ and rounding error about
$u\,|L|/\varepsilon$ ($u \approx 1.1\times10^{-16}$ in float64). Only the forward pass is
used, so a bug in the backward pass cannot hide here.

**Oracle 2: torch autograd in float64** on exactly the same model (same equations, same loss,
same mask), written with torch operations and differentiated by torch.

Both are compared with the BPTT result by `max_relative_error`, the largest absolute
difference divided by the largest entry of either array (a normwise relative error, which is
not fooled by entries that are zero up to rounding).
"""

from __future__ import annotations

import numpy as np

from vgp._validate import as_array, choice, real
from vgp.activations import ACTIVATIONS
from vgp.bptt import PARAM_NAMES, Gradients, loss_and_grads
from vgp.losses import LOSSES, step_loss
from vgp.rnn import RNNParams, check_inputs, forward


def max_relative_error(a, b) -> float:
    r"""$\max_i |a_i - b_i| \,/\, \max(\max_i |a_i|, \max_i |b_i|)$, and 0 if both are all zero.

    >>> f"{max_relative_error([1.0, 2.0], [1.0, 2.000002]):.3e}"
    '1.000e-06'
    >>> max_relative_error([0.0], [0.0])
    0.0
    """
    a = as_array("a", a)
    b = as_array("b", b)
    if a.shape != b.shape:
        raise ValueError(f"a and b must have the same shape, got {a.shape} and {b.shape}")
    if a.size == 0:
        return 0.0
    scale = max(np.max(np.abs(a)), np.max(np.abs(b)))
    return 0.0 if scale == 0 else float(np.max(np.abs(a - b)) / scale)


def _copy(params: RNNParams) -> RNNParams:
    return RNNParams(*(getattr(params, n).copy() for n in PARAM_NAMES))


def finite_difference_grads(params: RNNParams, x, targets, *, loss: str = "mse",
                            activation: str = "tanh", h0=None, mask=None,
                            eps: float = 1e-6) -> dict[str, np.ndarray]:
    r"""Central finite-difference gradient of the loss for every entry of every parameter:

    $$
    \frac{\partial L}{\partial \theta_i} \approx
    \frac{L(\theta + \epsilon e_i) - L(\theta - \epsilon e_i)}{2\epsilon},
    $$

    with truncation error $O(\epsilon^2)$. Two loss evaluations per entry: slow, but
    independent of BPTT.

    >>> from vgp.rnn import init_params
    >>> p = init_params(1, 2, 1, seed=0)
    >>> fd = finite_difference_grads(p, np.ones((1, 3, 1)), np.zeros((1, 3, 1)))
    >>> sorted(fd), fd["W_hh"].shape
    (['W_hh', 'W_hy', 'W_xh', 'b_h', 'b_y'], (2, 2))
    """
    choice("loss", loss, LOSSES)
    choice("activation", activation, ACTIVATIONS)
    eps = real("eps", eps, minimum=0.0, strict_min=True)
    check_inputs(params, x, h0)
    p = _copy(params)                                  # perturbed in place, never the caller's

    def L() -> float:
        return step_loss(loss, forward(p, x, h0=h0, activation=activation).y, targets, mask)[0]

    L()                                                # validates targets and mask once
    grads = {}
    for name in PARAM_NAMES:
        theta = getattr(p, name)
        g = np.zeros_like(theta)
        for i in np.ndindex(theta.shape):
            saved = theta[i]
            theta[i] = saved + eps
            L_plus = L()
            theta[i] = saved - eps
            L_minus = L()
            theta[i] = saved
            g[i] = (L_plus - L_minus) / (2 * eps)
        grads[name] = g
    return grads


def torch_loss_and_grads(params: RNNParams, x, targets, *, loss: str = "mse",
                         activation: str = "tanh", h0=None, mask=None) -> tuple[float, Gradients]:
    """The same model and loss in torch (float64), differentiated by autograd.

    Returns (L, Gradients) exactly like `vgp.bptt.loss_and_grads`, including dL/dh_t.

    >>> from vgp.rnn import init_params
    >>> p = init_params(2, 3, 2, seed=0)
    >>> x, target = np.ones((1, 4, 2)), np.zeros((1, 4, 2))
    >>> L_torch, g_torch = torch_loss_and_grads(p, x, target)
    >>> L, g = loss_and_grads(p, x, target)
    >>> max_relative_error(g.dW_hh, g_torch.dW_hh) < 1e-12
    True
    """
    import torch

    choice("loss", loss, LOSSES)
    choice("activation", activation, ACTIVATIONS)
    x, h_0 = check_inputs(params, x, h0)
    B, T, _ = x.shape
    step_loss(loss, np.zeros((B, T, params.sizes[2])), targets, mask)  # validates targets, mask
    P = {n: torch.tensor(getattr(params, n), dtype=torch.float64, requires_grad=True)
         for n in PARAM_NAMES}
    act = {"tanh": torch.tanh, "sigmoid": torch.sigmoid, "relu": torch.relu,
           "identity": lambda z: z}[activation]
    X = torch.tensor(x, dtype=torch.float64)
    h = torch.tensor(h_0, dtype=torch.float64, requires_grad=True)
    hs, ys = [h], []
    for t in range(T):
        h = act(h @ P["W_hh"].T + X[:, t] @ P["W_xh"].T + P["b_h"])
        h.retain_grad()                                # keep dL/dh_t, not only leaf grads
        hs.append(h)
        ys.append(h @ P["W_hy"].T + P["b_y"])
    Y = torch.stack(ys, dim=1)                         # (B, T, O)
    M = torch.ones(B, T, dtype=torch.float64) if mask is None else \
        torch.tensor(np.asarray(mask), dtype=torch.float64)
    if loss == "mse":
        per_step = 0.5 * ((Y - torch.tensor(np.asarray(targets, dtype=np.float64))) ** 2).sum(-1)
    else:
        C = torch.tensor(np.asarray(targets), dtype=torch.long)
        per_step = torch.nn.functional.cross_entropy(Y.reshape(B * T, -1), C.reshape(-1),
                                                     reduction="none").reshape(B, T)
    L = (per_step * M).sum() / B
    L.backward()
    g = {n: P[n].grad.numpy().copy() for n in PARAM_NAMES}
    dL_dh = np.stack([hh.grad.numpy() if hh.grad is not None else np.zeros((B, hh.shape[1]))
                      for hh in hs], axis=1)           # (B, T+1, H)
    return float(L.item()), Gradients(*(g[n] for n in PARAM_NAMES), dL_dh=dL_dh)


def check(params: RNNParams, x, targets, *, loss: str = "mse", activation: str = "tanh",
          h0=None, mask=None, eps: float = 1e-6) -> dict[str, dict[str, float]]:
    """Compare the BPTT gradient of every parameter with both oracles
    (`finite_difference_grads` and `torch_loss_and_grads`).

    Returns ``{param_name: {"fd": err, "torch": err}}`` of `max_relative_error` values.

    >>> from vgp.rnn import init_params
    >>> rng = np.random.default_rng(0)
    >>> p = init_params(3, 4, 2, seed=0, radius=0.9)
    >>> x, target = rng.standard_normal((2, 6, 3)), rng.standard_normal((2, 6, 2))
    >>> errs = check(p, x, target)
    >>> all(e["fd"] < 1e-7 and e["torch"] < 1e-12 for e in errs.values())
    True
    """
    _, g = loss_and_grads(params, x, targets, loss=loss, activation=activation, h0=h0, mask=mask)
    fd = finite_difference_grads(params, x, targets, loss=loss, activation=activation,
                                 h0=h0, mask=mask, eps=eps)
    _, g_torch = torch_loss_and_grads(params, x, targets, loss=loss, activation=activation,
                                      h0=h0, mask=mask)
    ours, ref = g.as_dict(), g_torch.as_dict()
    return {n: {"fd": max_relative_error(ours[n], fd[n]),
                "torch": max_relative_error(ours[n], ref[n])} for n in PARAM_NAMES}
