r"""Short gradient paths, measured: residual and highway stacks, and attention over an RNN.

Each function builds a small float64 network from a seed, backpropagates a scalar loss and
returns $\|\partial L/\partial x_l\|$ at every layer (or $\|\partial L/\partial h_t\|$ at
every step), averaged over a batch:

* **plain** stack, $x_l = \tanh(W_l x_{l-1})$: the Jacobian is $\operatorname{diag}(\tanh')W_l$,
  a product of $L$ of them shrinks like an RNN's;
* **residual** (He et al. 2016), $x_l = x_{l-1} + \tanh(W_l x_{l-1})$: the Jacobian is
  $I + \operatorname{diag}(\tanh')W_l$, the identity is a path that never shrinks;
* **highway** (Srivastava, Greff & Schmidhuber 2015), $x_l = t_l \odot \tanh(W_l x_{l-1}) +
  (1 - t_l)\odot x_{l-1}$ with transform gate $t_l = \sigma(V_l x_{l-1} + b)$: the carry
  path $\operatorname{diag}(1-t_l)$ is the LSTM's $\operatorname{diag}(f_t)$ across depth; a
  negative gate bias $b$ opens it at initialisation;
* **attention** (Bahdanau, Cho & Bengio 2015): a tanh RNN read out through
  $c = \sum_t \alpha_t h_t$, $\alpha = \operatorname{softmax}(h_T^\top h_t/\sqrt H)$ gives every
  $h_t$ a one-step path to the output, however far back it is.
"""

from __future__ import annotations

import math

import numpy as np
import torch

from vgp._validate import choice, integer, real
from vgp.models import SequenceModel

STACKS = ("plain", "residual", "highway")


# --8<-- [start:depth]
def depth_profile(kind: str, depth: int = 50, width: int = 32, *, seed: int = 0,
                  gate_bias: float = -2.0, batch: int = 16) -> np.ndarray:
    r"""$\lVert \partial L/\partial x_l \rVert$ for l = 0..depth (index l), $L = v^\top x_{\text{depth}}$,
    $W_l \sim N(0, 1/\text{width})$; `kind` is "plain", "residual" or "highway" (module docstring).

    >>> p = depth_profile("plain", depth=20, seed=0)
    >>> r = depth_profile("residual", depth=20, seed=0)
    >>> p.shape, bool(p[0] < p[-1]), bool(r[0] >= r[-1])
    ((21,), True, True)
    """
    choice("kind", kind, STACKS)
    depth = integer("depth", depth, minimum=1)
    width = integer("width", width, minimum=1)
    batch = integer("batch", batch, minimum=1)
    gate_bias = real("gate_bias", gate_bias)
    g = torch.Generator().manual_seed(integer("seed", seed, minimum=0))
    randn = lambda *s: torch.randn(*s, generator=g, dtype=torch.float64)  # noqa: E731
    W = randn(depth, width, width) / math.sqrt(width)          # (depth, width, width)
    V = randn(depth, width, width) / math.sqrt(width)          # highway gate weights
    v = randn(width)
    xs = [randn(batch, width).requires_grad_(True)]            # x_0: (batch, width)
    for l in range(depth):
        x = xs[-1]
        f = torch.tanh(x @ W[l].T)
        if kind == "plain":
            nxt = f
        elif kind == "residual":
            nxt = x + f
        else:
            t = torch.sigmoid(x @ V[l].T + gate_bias)           # transform gate
            nxt = t * f + (1 - t) * x                           # carry path: diag(1 - t)
        nxt.retain_grad()
        xs.append(nxt)
    (xs[-1] @ v).sum().backward()
    return np.array([float(x.grad.norm(dim=1).mean()) for x in xs])
# --8<-- [end:depth]


# --8<-- [start:attention]
def attention_profile(steps: int = 60, hidden: int = 32, *, attend: bool, seed: int = 0,
                      batch: int = 16) -> np.ndarray:
    r"""$\lVert \partial y/\partial h_t \rVert$ for t = 1..steps (index t-1) of a tanh RNN at initialisation,
    read out from $h_T$ alone (attend=False) or through dot-product attention over $h_1..h_T$,
    $y = W_{hy} \sum_t \alpha_t h_t + b_y$ with $\alpha = \operatorname{softmax}_t(h_T^\top h_t/\sqrt H)$.

    >>> a = attention_profile(30, 8, attend=True)
    >>> n = attention_profile(30, 8, attend=False)
    >>> bool(a[0] > 100 * n[0])
    True
    """
    steps = integer("steps", steps, minimum=2)
    hidden = integer("hidden", hidden, minimum=1)
    model = SequenceModel("rnn", 1, hidden, 1, seed=integer("seed", seed, minimum=0)).double()
    g = torch.Generator().manual_seed(seed + 1)
    x = torch.randn(integer("batch", batch, minimum=1), steps, 1, generator=g,
                    dtype=torch.float64)
    norms = np.zeros(steps)

    def hook(kind, t, grad):
        norms[t - 1] = float(grad.norm(dim=1).mean())

    _, hs, _ = model.unrolled(x, hook=hook)
    H = torch.stack(hs, dim=1)                                  # (B, T, hidden)
    if attend:
        scores = (H @ hs[-1].unsqueeze(-1)).squeeze(-1) / math.sqrt(hidden)   # (B, T)
        context = (torch.softmax(scores, dim=1).unsqueeze(-1) * H).sum(dim=1)  # (B, hidden)
    else:
        context = hs[-1]
    model.readout(context).sum().backward()
    return norms
# --8<-- [end:attention]
