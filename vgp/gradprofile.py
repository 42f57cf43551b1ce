r"""Per-timestep gradient norms through the hidden state (and the LSTM cell state), via hooks.

For a trained or freshly initialised `SequenceModel`, run the unrolled model on a batch,
backpropagate the task loss, and let tensor hooks record, for every step $t = 1..T$,

$$ \Big\|\frac{\partial \ell}{\partial h_t}\Big\|_2 \quad\text{and, for an LSTM,}\quad
   \Big\|\frac{\partial \ell}{\partial c_t}\Big\|_2 , $$

where $\ell$ is the loss of one sequence (the batch loss times B) so the numbers do not
depend on the batch size; the norm is taken per sequence and averaged over the batch. The
measurement is done in float64 on a copy of the model, so norms far below float32's range
(1e-38) are still resolved.
"""

from __future__ import annotations

import copy

import numpy as np
import torch

from vgp.models import SequenceModel, lstm_step

GATE_BINS = 20                                   # histogram bins of gate values over [0, 1]


# --8<-- [start:profile]
def gradient_profile(model: SequenceModel, x: torch.Tensor, loss_fn) -> dict[str, np.ndarray]:
    r"""$\frac{1}{B}\sum_b \lVert \partial \ell_b / \partial h_t \rVert_2$ for t = 1..T (index t-1), plus 'c' ($c_t$) for LSTMs.

    `loss_fn(y)` maps the model output (B, T, O) to the *mean* loss over the batch.

    >>> m = SequenceModel("lstm", 2, 4, 1, seed=0)
    >>> x = torch.rand(3, 6, 2, generator=torch.Generator().manual_seed(0))
    >>> prof = gradient_profile(m, x, lambda y: (y[:, -1, 0] ** 2).mean())
    >>> sorted(prof), prof["h"].shape
    (['c', 'h'], (6,))
    """
    if not isinstance(model, SequenceModel):
        raise TypeError(f"model must be a SequenceModel, got {type(model).__name__}")
    if not isinstance(x, torch.Tensor) or x.ndim != 3:
        raise ValueError("x must be a tensor of shape (B, T, D)")
    B, T, _ = x.shape
    twin = copy.deepcopy(model).double()          # float64: no underflow at 1e-38
    norms = {"h": np.zeros(T)}
    if model.cell == "lstm":
        norms["c"] = np.zeros(T)

    def hook(kind, t, grad):                      # grad: (B, H) = d(mean loss)/d state_t
        per_seq = (grad * B).norm(dim=1)          # d loss_b / d state_t, one norm per sequence
        norms[kind][t - 1] = float(per_seq.mean())

    y, _, _ = twin.unrolled(x.double(), hook=hook)
    loss_fn(y).backward()
    return norms
# --8<-- [end:profile]


def log10_profile(norms: np.ndarray) -> np.ndarray:
    r"""$\log_{10}$ of a norm profile; an exact zero (no path to the loss) becomes $-\infty$.

    >>> log10_profile(np.array([1.0, 1e-3, 0.0])).tolist()
    [0.0, -3.0, -inf]
    """
    arr = np.asarray(norms, dtype=np.float64)
    with np.errstate(divide="ignore"):
        return np.log10(arr)


@torch.no_grad()
def forget_gates(model: SequenceModel, x: torch.Tensor) -> np.ndarray:
    r"""Forget-gate values $f_t = \sigma(W_{if} x_t + b_{if} + W_{hf} h_{t-1} + b_{hf})$ of an LSTM
    on a batch: shape (B, T, H), every entry in (0, 1). $\mathrm{diag}(f_t) = \partial c_t/\partial c_{t-1}$.

    >>> m = SequenceModel("lstm", 2, 4, 1, seed=0, forget_bias=1.0)
    >>> f = forget_gates(m, torch.zeros(3, 5, 2))
    >>> f.shape, bool((f > 0.5).all())
    ((3, 5, 4), True)
    """
    if not isinstance(model, SequenceModel) or model.cell != "lstm":
        raise ValueError("model must be an LSTM SequenceModel")
    p, H = model.params(), model.hidden_size
    B, T, _ = x.shape
    h, c = x.new_zeros(B, H), x.new_zeros(B, H)
    out = []
    for t in range(T):
        a = x[:, t] @ p["W_ih"].T + p["b_ih"] + h @ p["W_hh"].T + p["b_hh"]
        out.append(torch.sigmoid(a[:, H:2 * H]))              # f_t, the diagonal of dc_t/dc_{t-1}
        h, c = lstm_step(p, x[:, t], h, c)
    return torch.stack(out, dim=1).double().numpy()


def gate_summary(f: np.ndarray) -> dict:
    r"""Histogram (fractions in GATE_BINS bins over $[0, 1]$), mean, and the spread of $f_t$.

    >>> s = gate_summary(np.array([[[0.1, 0.95]]]))
    >>> s["mean"], s["frac_above_0.9"], len(s["hist"])
    (0.525, 0.5, 20)
    """
    f = np.asarray(f, dtype=np.float64).ravel()
    counts, _ = np.histogram(f, bins=GATE_BINS, range=(0.0, 1.0))
    return {"hist": (counts / f.size).tolist(), "mean": float(f.mean()),
            "std": float(f.std()), "frac_above_0.9": float((f > 0.9).mean())}
