r"""Backpropagation through time (BPTT) for the Elman RNN of `vgp.rnn`, in NumPy.

Unrolled over $T$ steps the RNN is a $T$-layer network whose layers share
$W_{hh}, W_{xh}, b_h$. The hidden state $h_t$ influences the loss twice: through its own
output $y_t = W_{hy} h_t + b_y$ and through the next state
$h_{t+1} = \phi(W_{hh} h_t + W_{xh} x_{t+1} + b_h)$. The chain rule therefore gives a
recursion that runs backwards in time (column vectors, as in the papers):

$$
\frac{\partial L}{\partial h_t}
  = W_{hy}^\top \frac{\partial L}{\partial y_t}
  + J_{t+1}^\top \frac{\partial L}{\partial h_{t+1}},
\qquad
J_{t+1} = \frac{\partial h_{t+1}}{\partial h_t} = \mathrm{diag}\big(\phi'(z_{t+1})\big) W_{hh},
$$

starting from $\partial L/\partial h_{T+1} = 0$. Writing
$\delta_t = \partial L/\partial z_t = \phi'(z_t) \odot \partial L/\partial h_t$, the
second term is $W_{hh}^\top \delta_{t+1}$, and the shared weights collect one term per step:

$$
\frac{\partial L}{\partial W_{hh}} = \sum_{t=1}^{T} \delta_t\, h_{t-1}^\top,\quad
\frac{\partial L}{\partial W_{xh}} = \sum_{t=1}^{T} \delta_t\, x_t^\top,\quad
\frac{\partial L}{\partial b_h} = \sum_{t=1}^{T} \delta_t,\quad
\frac{\partial L}{\partial W_{hy}} = \sum_{t=1}^{T} \frac{\partial L}{\partial y_t} h_t^\top,\quad
\frac{\partial L}{\partial b_y} = \sum_{t=1}^{T} \frac{\partial L}{\partial y_t}.
$$

Unrolling the recursion, the contribution of step $t$'s output to $\partial L/\partial h_k$
is multiplied by $J_{k+1}^\top \cdots J_t^\top$: a product of $t-k$ Jacobians, which is what
vanishes or explodes.

In code every vector is a row (a batch is a stack of rows, shape (B, H)), so a column-vector
product $A v$ is written ``v @ A.T`` and $A^\top v$ is written ``v @ A``.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from vgp._validate import as_array, choice
from vgp.activations import ACTIVATIONS, dphi
from vgp.losses import LOSSES, step_loss
from vgp.rnn import Forward, RNNParams, forward

PARAM_NAMES = ("W_xh", "W_hh", "b_h", "W_hy", "b_y")


@dataclass
class Gradients:
    r"""Gradients of the loss with respect to every parameter, and to every hidden state.

    Each ``dX`` has the shape of parameter ``X``; ``dL_dh[:, t]`` is $\partial L/\partial h_t$.

    >>> from vgp.rnn import init_params
    >>> p = init_params(2, 3, 1, seed=0)
    >>> L, g = loss_and_grads(p, np.ones((4, 5, 2)), np.zeros((4, 5, 1)))
    >>> g.dW_hh.shape, g.dL_dh.shape, list(g.as_dict())
    ((3, 3), (4, 6, 3), ['W_xh', 'W_hh', 'b_h', 'W_hy', 'b_y'])
    """

    dW_xh: np.ndarray  # (H, D)
    dW_hh: np.ndarray  # (H, H)
    db_h: np.ndarray   # (H,)
    dW_hy: np.ndarray  # (O, H)
    db_y: np.ndarray   # (O,)
    dL_dh: np.ndarray  # (B, T+1, H): dL_dh[:, t] = total dL/dh_t, dL_dh[:, 0] = dL/dh_0

    def as_dict(self) -> dict[str, np.ndarray]:
        """The parameter gradients keyed by parameter name ("W_xh", ..., "b_y")."""
        return {name: getattr(self, "d" + name) for name in PARAM_NAMES}


def _check_backward_inputs(params, fwd, dL_dy) -> tuple[Forward, np.ndarray]:
    if not isinstance(params, RNNParams):
        raise TypeError(f"params must be RNNParams, got {type(params).__name__}")
    if not isinstance(fwd, Forward):
        raise TypeError(f"fwd must be the Forward returned by vgp.rnn.forward, got {type(fwd).__name__}")
    D, H, O = params.sizes
    x, z, h, y = (as_array(f"fwd.{n}", getattr(fwd, n), ndim=3) for n in ("x", "z", "h", "y"))
    B, T = z.shape[:2]
    if x.shape != (B, T, D) or z.shape != (B, T, H) or h.shape != (B, T + 1, H) or y.shape != (B, T, O):
        raise ValueError("fwd does not match params: run vgp.rnn.forward with these params")
    choice("fwd.activation", fwd.activation, ACTIVATIONS)
    dL_dy = as_array("dL_dy", dL_dy, ndim=3)
    if dL_dy.shape != (B, T, O):
        raise ValueError(f"dL_dy must have shape {(B, T, O)} like fwd.y, got {dL_dy.shape}")
    return Forward(x=x, z=z, h=h, y=y, activation=fwd.activation), dL_dy


# --8<-- [start:backward]
def backward(params: RNNParams, fwd: Forward, dL_dy) -> Gradients:
    r"""Backpropagate $\partial L/\partial y$ (B, T, O) through the unrolled RNN.

    Returns every parameter gradient and $\partial L/\partial h_t$ for $t = 0..T$.

    >>> from vgp.rnn import init_params, forward
    >>> p = init_params(2, 3, 1, seed=0)
    >>> fwd = forward(p, np.ones((1, 4, 2)))
    >>> g = backward(p, fwd, np.ones((1, 4, 1)))       # L = sum_t y_t
    >>> g.dW_hh.shape, g.dL_dh.shape
    ((3, 3), (1, 5, 3))
    >>> bool(np.allclose(g.db_y, [4.0]))               # dL/db_y = sum of dL/dy_t
    True
    """
    fwd, dL_dy = _check_backward_inputs(params, fwd, dL_dy)
    W_hh, W_hy = params.W_hh, params.W_hy
    B, T, _ = dL_dy.shape
    g = Gradients(*(np.zeros_like(getattr(params, n)) for n in PARAM_NAMES),
                  dL_dh=np.zeros_like(fwd.h))
    dL_dz_next = np.zeros_like(fwd.h[:, 0])            # (B, H): delta_{T+1} = 0
    for t in range(T, 0, -1):
        dL_dy_t = dL_dy[:, t - 1]                      # (B, O)
        # dL/dh_t = W_hy^T dL/dy_t + J_{t+1}^T dL/dh_{t+1}
        #         = W_hy^T dL/dy_t + W_hh^T delta_{t+1}      (row vectors: v @ W is W^T v)
        dL_dh_t = dL_dy_t @ W_hy + dL_dz_next @ W_hh   # (B, H)
        # delta_t = dL/dz_t = phi'(z_t) * dL/dh_t        (the diag(phi') half of J_t)
        dL_dz_t = dphi(fwd.activation, fwd.z[:, t - 1]) * dL_dh_t
        g.dL_dh[:, t] = dL_dh_t
        # Shared weights: one outer product per step, summed over the batch (delta^T h).
        g.dW_hy += dL_dy_t.T @ fwd.h[:, t]             # (O, H) += dL/dy_t h_t^T
        g.db_y += dL_dy_t.sum(axis=0)                  # (O,)
        g.dW_hh += dL_dz_t.T @ fwd.h[:, t - 1]         # (H, H) += delta_t h_{t-1}^T
        g.dW_xh += dL_dz_t.T @ fwd.x[:, t - 1]         # (H, D) += delta_t x_t^T
        g.db_h += dL_dz_t.sum(axis=0)                  # (H,)
        dL_dz_next = dL_dz_t
    g.dL_dh[:, 0] = dL_dz_next @ W_hh                  # dL/dh_0 = W_hh^T delta_1
    return g
# --8<-- [end:backward]


def loss_and_grads(params: RNNParams, x, targets, *, loss: str = "mse", activation: str = "tanh",
                   h0=None, mask=None) -> tuple[float, Gradients]:
    r"""Forward pass, loss and BPTT in one call: returns $(L, \text{Gradients})$.

    ``x`` is (B, T, D); ``targets`` and ``mask`` are as in `vgp.losses.step_loss`.
    A central finite difference on one weight agrees with the BPTT gradient:

    >>> from vgp.rnn import init_params
    >>> rng = np.random.default_rng(0)
    >>> p = init_params(2, 3, 2, seed=1, radius=0.9)
    >>> x, target = rng.standard_normal((2, 5, 2)), rng.standard_normal((2, 5, 2))
    >>> L, g = loss_and_grads(p, x, target)
    >>> eps = 1e-6
    >>> p.W_hh[0, 1] += eps; L_plus, _ = loss_and_grads(p, x, target)
    >>> p.W_hh[0, 1] -= 2 * eps; L_minus, _ = loss_and_grads(p, x, target)
    >>> fd = (L_plus - L_minus) / (2 * eps)
    >>> bool(abs(fd - g.dW_hh[0, 1]) < 1e-8)
    True
    """
    choice("loss", loss, LOSSES)
    fwd = forward(params, x, h0=h0, activation=activation)
    L, dL_dy = step_loss(loss, fwd.y, targets, mask=mask)
    return L, backward(params, fwd, dL_dy)
