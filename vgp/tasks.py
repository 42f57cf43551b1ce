r"""Two synthetic long-range tasks, generated in torch from an explicit seed.

**Copying** (Arjovsky, Shah & Bengio 2016). Vocabulary of $K + 2$ input tokens:

| token     | meaning |
|-----------|---------|
| 0         | blank |
| 1 ... K   | the $K$ data symbols (the "alphabet") |
| K + 1     | delimiter: "now recall" |

An input sequence of length $L = 2S + d + 1$ is: $S$ data symbols drawn uniformly,
$d$ blanks (the *delay*), one delimiter, $S$ blanks. The target is blank at the first
$S + d + 1$ positions and the $S$ data symbols, in order, at the last $S$ positions. Targets
take $K + 1$ values (blank and the data symbols; the delimiter is never a target). The paper's
$T$ is our $d + 1$ (its $T - 1$ blanks plus the delimiter), so $L = T + 2S$. Each symbol has to
be held for $S + d + 1$ steps.

A *memoryless* model, one that knows where the delimiter is but not what came before it,
predicts blank with certainty at the first $S + d + 1$ positions (loss 0) and the uniform
distribution over the $K$ symbols at the last $S$ (loss $\ln K$ each). Averaged over all $L$
positions its cross-entropy is

$$ \text{baseline} = \frac{S \ln K}{L} = \frac{S\ln K}{2S + d + 1}\qquad(=10\ln 8/(T+20)\text{ for } S=10,K=8). $$

**Adding** (Hochreiter & Schmidhuber 1997, in the form of Le, Jaitly & Hinton 2015). Input of
length $T$ with two channels: values $v_t \sim U[0,1]$ and a 0/1 marker that is 1 at exactly
two steps, one drawn uniformly from the first half $[0, \lfloor T/2 \rfloor)$ and one from the
second half. The target is the sum of the two marked values. Predicting the mean, 1, always
gives MSE $\operatorname{Var}(U_1 + U_2) = 2\cdot\tfrac{1}{12} = \tfrac16$.
"""

from __future__ import annotations

import math
from typing import NamedTuple

import torch

from vgp._validate import integer

BLANK = 0


class CopyBatch(NamedTuple):
    """A batch of the copying task: input tokens `x` and target tokens `y`, both (B, L).

    >>> x, y = copying_batch(2, 3, n_symbols=4, alphabet=8, generator=0)
    >>> x.dtype, y.shape
    (torch.int64, torch.Size([2, 12]))
    """

    x: torch.Tensor  # (B, L) int64 input tokens in [0, K + 1]
    y: torch.Tensor  # (B, L) int64 targets in [0, K]


class AddingBatch(NamedTuple):
    """A batch of the adding problem: inputs `x` (B, T, 2) and target sums `y` (B,).

    >>> x, y = adding_batch(3, 10, generator=0)
    >>> x.shape, y.shape
    (torch.Size([3, 10, 2]), torch.Size([3]))
    """

    x: torch.Tensor  # (B, T, 2) float32: [:, :, 0] values U[0,1], [:, :, 1] markers 0/1
    y: torch.Tensor  # (B,) float32: sum of the two marked values


def as_generator(generator) -> torch.Generator:
    """A torch.Generator: passed through, or a new one seeded with an int.

    >>> g = as_generator(7)
    >>> as_generator(g) is g, torch.equal(torch.rand(2, generator=g), torch.rand(2, generator=as_generator(7)))
    (True, True)
    """
    if isinstance(generator, torch.Generator):
        return generator
    seed = integer("generator", generator, minimum=0)
    return torch.Generator().manual_seed(seed)


def copy_length(delay: int, n_symbols: int = 10) -> int:
    """Sequence length $L = 2S + d + 1$ of the copying task.

    >>> copy_length(20, 10)
    41
    """
    delay = integer("delay", delay, minimum=0)
    n_symbols = integer("n_symbols", n_symbols, minimum=1)
    return 2 * n_symbols + delay + 1


# --8<-- [start:copying]
def copying_batch(batch: int, delay: int, *, n_symbols: int = 10, alphabet: int = 8,
                  generator) -> CopyBatch:
    """One batch of the copying task (token ids; see the module docstring for the layout).

    >>> b = copying_batch(2, 3, n_symbols=4, alphabet=8, generator=0)
    >>> b.x.shape, b.y.shape
    (torch.Size([2, 12]), torch.Size([2, 12]))
    >>> bool((b.y[:, -4:] == b.x[:, :4]).all()), int(b.x[0, 7]), int(b.y[:, :8].max())
    (True, 9, 0)
    """
    batch = integer("batch", batch, minimum=1)
    S = integer("n_symbols", n_symbols, minimum=1)
    K = integer("alphabet", alphabet, minimum=2)
    L = copy_length(delay, S)
    g = as_generator(generator)
    symbols = torch.randint(1, K + 1, (batch, S), generator=g)   # (B, S) in 1..K
    x = torch.full((batch, L), BLANK, dtype=torch.int64)
    x[:, :S] = symbols                                           # the message
    x[:, S + delay] = K + 1                                      # delimiter after d blanks
    y = torch.full((batch, L), BLANK, dtype=torch.int64)
    y[:, -S:] = symbols                                          # recall at the last S steps
    return CopyBatch(x, y)
# --8<-- [end:copying]


def copying_baseline(delay: int, *, n_symbols: int = 10, alphabet: int = 8) -> float:
    r"""Cross-entropy (nats per position) of the memoryless strategy: $S \ln K / (2S + d + 1)$.

    >>> f"{copying_baseline(99, n_symbols=10, alphabet=8):.4f}"   # the paper's T = 100
    '0.1733'
    """
    K = integer("alphabet", alphabet, minimum=2)
    return n_symbols * math.log(K) / copy_length(delay, n_symbols)


# --8<-- [start:adding]
def adding_batch(batch: int, length: int, *, generator) -> AddingBatch:
    r"""One batch of the adding problem (values $U[0,1]$, one marker in each half).

    The target is $y = \sum_t v_t m_t$, the sum of the two marked values:

    >>> b = adding_batch(3, 10, generator=0)
    >>> b.x.shape, b.y.shape, b.x[:, :, 1].sum(dim=1).tolist()
    (torch.Size([3, 10, 2]), torch.Size([3]), [2.0, 2.0, 2.0])
    >>> bool(torch.allclose((b.x[:, :, 0] * b.x[:, :, 1]).sum(dim=1), b.y))
    True
    """
    batch = integer("batch", batch, minimum=1)
    T = integer("length", length, minimum=2)
    g = as_generator(generator)
    half = T // 2
    values = torch.rand(batch, T, generator=g)                    # (B, T) U[0,1]
    first = torch.randint(0, half, (batch,), generator=g)         # in [0, T//2)
    second = torch.randint(half, T, (batch,), generator=g)        # in [T//2, T)
    markers = torch.zeros(batch, T)
    rows = torch.arange(batch)
    markers[rows, first] = 1.0
    markers[rows, second] = 1.0
    y = values[rows, first] + values[rows, second]                # (B,)
    return AddingBatch(torch.stack([values, markers], dim=-1), y)
# --8<-- [end:adding]


def adding_baseline() -> float:
    r"""MSE of always predicting the mean sum, 1: $\operatorname{Var}(U_1 + U_2) = 2/12 = 1/6$.

    >>> f"{adding_baseline():.4f}"
    '0.1667'
    """
    return 2.0 / 12.0


def adding_baseline_empirical(batch: int = 100_000, length: int = 10, *, generator=0) -> float:
    """Measured MSE of predicting 1 on a fresh batch (checks the 1/6 derivation).

    >>> f"{adding_baseline_empirical(generator=0):.3f}"
    '0.167'
    """
    y = adding_batch(batch, length, generator=generator).y
    return float(((y - 1.0) ** 2).mean())
