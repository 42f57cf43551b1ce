"""Copying and adding generators: layout, seeding, baselines (derived and measured), errors."""

import math

import pytest
import torch
import torch.nn.functional as F

from vgp.tasks import (BLANK, adding_baseline, adding_baseline_empirical, adding_batch,
                       copy_length, copying_baseline, copying_batch)


def test_copy_layout():
    S, K, d = 4, 6, 7
    b = copying_batch(50, d, n_symbols=S, alphabet=K, generator=3)
    L = 2 * S + d + 1
    assert b.x.shape == b.y.shape == (50, L) and b.x.dtype == torch.int64
    assert ((b.x[:, :S] >= 1) & (b.x[:, :S] <= K)).all()
    assert (b.x[:, S:S + d] == BLANK).all()            # the delay: d blanks
    assert (b.x[:, S + d] == K + 1).all()              # delimiter
    assert (b.x[:, S + d + 1:] == BLANK).all()
    assert (b.y[:, :S + d + 1] == BLANK).all()
    assert torch.equal(b.y[:, -S:], b.x[:, :S])        # recall in order
    assert int(b.y.max()) <= K                         # delimiter is never a target


def test_copy_uses_every_symbol_uniformly():
    b = copying_batch(4000, 0, n_symbols=5, alphabet=4, generator=0)
    counts = torch.bincount(b.x[:, :5].reshape(-1), minlength=5)[1:].double()
    assert counts.min() / counts.max() > 0.9


def test_seeding_and_generator_stream():
    a = copying_batch(8, 3, generator=11)
    b = copying_batch(8, 3, generator=11)
    c = copying_batch(8, 3, generator=12)
    assert torch.equal(a.x, b.x) and not torch.equal(a.x, c.x)
    g = torch.Generator().manual_seed(5)
    first, second = adding_batch(4, 10, generator=g), adding_batch(4, 10, generator=g)
    assert not torch.equal(first.x, second.x)          # a Generator continues its stream
    assert torch.equal(adding_batch(4, 10, generator=5).x, first.x)


def test_copy_baseline_is_the_memoryless_cross_entropy():
    S, K, d = 10, 8, 20
    b = copying_batch(16, d, n_symbols=S, alphabet=K, generator=0)
    L = copy_length(d, S)
    logits = torch.full((16, L, K + 1), -1e4, dtype=torch.float64)
    logits[:, :S + d + 1, BLANK] = 0.0                 # certain blank before the recall
    logits[:, -S:, 1:] = 0.0                           # uniform over the K symbols after
    ce = F.cross_entropy(logits.reshape(-1, K + 1), b.y.reshape(-1))
    assert float(ce) == pytest.approx(copying_baseline(d, n_symbols=S, alphabet=K), rel=1e-12)


@pytest.mark.parametrize("T", [100, 200, 500])
def test_copy_baseline_matches_paper_form(T):
    # Arjovsky et al.: T - 1 blanks then the delimiter, i.e. our delay d = T - 1.
    assert copying_baseline(T - 1) == pytest.approx(10 * math.log(8) / (T + 20))


def test_adding_layout():
    T = 11
    b = adding_batch(500, T, generator=1)
    assert b.x.shape == (500, T, 2) and b.y.shape == (500,)
    v, m = b.x[..., 0], b.x[..., 1]
    assert ((v >= 0) & (v < 1)).all()
    assert (m.sum(1) == 2).all()
    half = T // 2
    assert (m[:, :half].sum(1) == 1).all() and (m[:, half:].sum(1) == 1).all()
    assert torch.allclose((v * m).sum(1), b.y)


def test_adding_baseline():
    assert adding_baseline() == pytest.approx(1 / 6)
    # 200k samples: the standard error of the MSE estimate is about 0.0005
    assert adding_baseline_empirical(200_000, generator=7) == pytest.approx(1 / 6, abs=0.002)
    # the mean is the best constant: predicting 1 beats 0.9 and 1.1
    y = adding_batch(100_000, 10, generator=2).y
    mse = lambda c: float(((y - c) ** 2).mean())  # noqa: E731
    assert mse(1.0) < mse(0.9) and mse(1.0) < mse(1.1)


@pytest.mark.parametrize("call, exc", [
    (lambda: copying_batch(0, 3, generator=0), ValueError),
    (lambda: copying_batch(2, -1, generator=0), ValueError),
    (lambda: copying_batch(2, 3, alphabet=1, generator=0), ValueError),
    (lambda: copying_batch(2, 3, n_symbols=0, generator=0), ValueError),
    (lambda: copying_batch(2, 3.5, generator=0), TypeError),
    (lambda: copying_batch(2, 3, generator="seed"), TypeError),
    (lambda: copying_batch(2, 3, generator=-1), ValueError),
    (lambda: adding_batch(2, 1, generator=0), ValueError),
    (lambda: adding_batch(2, 10.0, generator=0), TypeError),
    (lambda: copying_baseline(3, alphabet=1), ValueError),
])
def test_bad_arguments(call, exc):
    with pytest.raises(exc):
        call()
