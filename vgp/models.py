r"""Vanilla tanh RNN, LSTM and GRU as torch modules, plus an unrolled twin that exposes every state.

`SequenceModel(cell, D, H, O, seed=...)` is a recurrent core (`torch.nn.RNN`, `LSTM` or `GRU`,
one layer, batch first) followed by a linear readout applied at every step:
x (B, T, D) -> y (B, T, O). Its `forward` uses the fused torch module (fast, for training).
`unrolled` runs the *same parameters* one step at a time with the equations written out
below (torch's gate order and conventions), so that every $h_t$ and LSTM cell state $c_t$ is
a tensor of its own and a hook can record $\partial L/\partial h_t$ and $\partial L/\partial c_t$
(see `vgp.gradprofile`). The two paths agree to rounding error (tested).

Parameters are drawn from torch's default distribution, $U(-1/\sqrt H, 1/\sqrt H)$ for every
weight and bias of the core and the readout, but from an explicit `torch.Generator` so a seed
fixes them without touching the global RNG.
"""

from __future__ import annotations

import math

import torch
from torch import nn

from vgp._validate import choice, integer, real

CELLS = ("rnn", "lstm", "gru")
_CORE = {"rnn": nn.RNN, "lstm": nn.LSTM, "gru": nn.GRU}


# --8<-- [start:steps]
def rnn_step(p, x_t, h):
    r"""$h_t = \tanh(W_{ih} x_t + b_{ih} + W_{hh} h_{t-1} + b_{hh})$, as `torch.nn.RNN` computes it.

    >>> m, x = SequenceModel("rnn", 2, 3, 1, seed=0), torch.ones(1, 1, 2)
    >>> h_1 = rnn_step(m.params(), x[:, 0], torch.zeros(1, 3))
    >>> bool(torch.allclose(h_1, m.core(x)[0][:, 0]))
    True
    """
    return torch.tanh(x_t @ p["W_ih"].T + p["b_ih"] + h @ p["W_hh"].T + p["b_hh"])


def lstm_step(p, x_t, h, c):
    r"""torch's LSTM: gates in the order i, f, g, o of $a_t = W_{ih} x_t + b_{ih} + W_{hh} h_{t-1} + b_{hh}$,

    $$
    c_t = f_t \odot c_{t-1} + i_t \odot g_t,\qquad h_t = o_t \odot \tanh(c_t),
    $$

    with $i_t, f_t, o_t = \sigma(\cdot)$ and $g_t = \tanh(\cdot)$ of their blocks. Returns $(h_t, c_t)$.

    >>> m, x = SequenceModel("lstm", 2, 3, 1, seed=0), torch.ones(1, 1, 2)
    >>> h_1, c_1 = lstm_step(m.params(), x[:, 0], torch.zeros(1, 3), torch.zeros(1, 3))
    >>> _, (h_n, c_n) = m.core(x)
    >>> bool(torch.allclose(h_1, h_n[0]) and torch.allclose(c_1, c_n[0]))
    True
    """
    a = x_t @ p["W_ih"].T + p["b_ih"] + h @ p["W_hh"].T + p["b_hh"]   # (B, 4H)
    i, f, g, o = a.chunk(4, dim=-1)
    i, f, g, o = torch.sigmoid(i), torch.sigmoid(f), torch.tanh(g), torch.sigmoid(o)
    c = f * c + i * g                   # the cell path: dc_t/dc_{t-1} = diag(f_t)
    return o * torch.tanh(c), c


def gru_step(p, x_t, h):
    r"""torch's GRU: gates r, z, n (reset, update, candidate),

    $$
    n_t = \tanh\big(W_{in} x_t + b_{in} + r_t \odot (W_{hn} h_{t-1} + b_{hn})\big),\qquad
    h_t = (1 - z_t) \odot n_t + z_t \odot h_{t-1},
    $$

    with $r_t, z_t = \sigma(W_{i\cdot} x_t + b_{i\cdot} + W_{h\cdot} h_{t-1} + b_{h\cdot})$.

    >>> m, x = SequenceModel("gru", 2, 3, 1, seed=0), torch.ones(1, 1, 2)
    >>> h_1 = gru_step(m.params(), x[:, 0], torch.zeros(1, 3))
    >>> bool(torch.allclose(h_1, m.core(x)[0][:, 0]))
    True
    """
    ax = x_t @ p["W_ih"].T + p["b_ih"]                                  # (B, 3H)
    ah = h @ p["W_hh"].T + p["b_hh"]                                    # (B, 3H)
    rx, zx, nx = ax.chunk(3, dim=-1)
    rh, zh, nh = ah.chunk(3, dim=-1)
    r, z = torch.sigmoid(rx + rh), torch.sigmoid(zx + zh)
    n = torch.tanh(nx + r * nh)         # reset gate acts on W_hn h + b_hn
    return (1 - z) * n + z * h          # z_t near 1 keeps the old state
# --8<-- [end:steps]


class SequenceModel(nn.Module):
    """Recurrent core + linear readout at every step; x (B, T, D) -> logits/values (B, T, O).

    >>> m = SequenceModel("lstm", 3, 5, 2, seed=0)
    >>> x = torch.randn(4, 7, 3, generator=torch.Generator().manual_seed(1))
    >>> m(x).shape
    torch.Size([4, 7, 2])
    >>> bool(torch.allclose(m(x), m.unrolled(x)[0], atol=1e-6))
    True
    """

    def __init__(self, cell: str, input_size: int, hidden_size: int, output_size: int, *,
                 seed: int, forget_bias: float | None = None):
        super().__init__()
        self.cell = choice("cell", cell, CELLS)
        D = integer("input_size", input_size, minimum=1)
        H = integer("hidden_size", hidden_size, minimum=1)
        O = integer("output_size", output_size, minimum=1)
        seed = integer("seed", seed, minimum=0)
        self.hidden_size = H
        self.core = _CORE[cell](D, H, batch_first=True)
        self.readout = nn.Linear(H, O)
        g = torch.Generator().manual_seed(seed)
        bound = 1.0 / math.sqrt(H)           # torch's default bound, for core and readout alike
        with torch.no_grad():
            for param in self.parameters():
                param.uniform_(-bound, bound, generator=g)
            if forget_bias is not None:
                if cell != "lstm":
                    raise ValueError("forget_bias applies only to cell='lstm'")
                b = real("forget_bias", forget_bias)
                self.core.bias_ih_l0[H:2 * H] = b   # the f block; total bias = b_ih + b_hh = b
                self.core.bias_hh_l0[H:2 * H] = 0.0

    def params(self) -> dict[str, torch.Tensor]:
        """The core's parameters under the names used by the step functions."""
        c = self.core
        return {"W_ih": c.weight_ih_l0, "W_hh": c.weight_hh_l0,
                "b_ih": c.bias_ih_l0, "b_hh": c.bias_hh_l0}

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        """The fused torch core, then the readout at every step: x (B, T, D) -> y (B, T, O)."""
        if x.ndim != 3:
            raise ValueError(f"x must have shape (B, T, D), got {tuple(x.shape)}")
        out, _ = self.core(x)               # (B, T, H)
        return self.readout(out)            # (B, T, O)

    # --8<-- [start:unrolled]
    def unrolled(self, x: torch.Tensor, hook=None):
        """Same function as forward, one step at a time. Returns (y (B, T, O), hs, cs).

        hs[t-1] = h_t and (LSTM) cs[t-1] = c_t for t = 1..T. If `hook` is given,
        hook("h", t, grad) and hook("c", t, grad) are called with dL/dh_t, dL/dc_t
        during the backward pass (torch tensor hooks).
        """
        if x.ndim != 3:
            raise ValueError(f"x must have shape (B, T, D), got {tuple(x.shape)}")
        p = self.params()
        B, T, _ = x.shape
        h = x.new_zeros(B, self.hidden_size)                      # h_0 = 0
        c = x.new_zeros(B, self.hidden_size)                      # c_0 = 0 (LSTM)
        hs, cs = [], []
        for t in range(1, T + 1):
            if self.cell == "lstm":
                h, c = lstm_step(p, x[:, t - 1], h, c)
                cs.append(c)
            else:
                h = (rnn_step if self.cell == "rnn" else gru_step)(p, x[:, t - 1], h)
            hs.append(h)
            if hook is not None and h.requires_grad:
                h.register_hook(lambda grad, t=t: hook("h", t, grad))
                if self.cell == "lstm":
                    c.register_hook(lambda grad, t=t: hook("c", t, grad))
        y = self.readout(torch.stack(hs, dim=1))                  # (B, T, O)
        return y, hs, cs
    # --8<-- [end:unrolled]


def count_parameters(cell: str, input_size: int, hidden_size: int) -> int:
    """Parameters of a one-layer torch RNN/GRU/LSTM core, counted from the module itself.

    torch keeps two bias vectors per gate ($b_{ih}$ and $b_{hh}$), so a core with $G$ gate blocks
    (1 for RNN, 3 for GRU, 4 for LSTM) has $G H (D + H + 2)$ parameters.

    >>> [count_parameters(c, 10, 64) for c in CELLS]
    [4864, 19456, 14592]
    """
    choice("cell", cell, CELLS)
    D = integer("input_size", input_size, minimum=1)
    H = integer("hidden_size", hidden_size, minimum=1)
    return sum(p.numel() for p in _CORE[cell](D, H).parameters())
