"""The "Claims checked" computations: verdict rule, faithful setups, independent oracles."""

from __future__ import annotations

import re

import numpy as np
import pytest
import torch

from vgp import claims_setups as setups, verdict
from vgp.verdict import agrees, significant_figures


@pytest.mark.parametrize("text, sig", [("3.49e-03", 3), ("0.00018", 2), ("27,000", 2),
                                       ("117", 3), ("1e-23", 1), ("0.45", 2), ("3,000", 1),
                                       ("200", 1), ("0.4821", 4), ("1.41", 3), ("0", 1)])
def test_significant_figures(text, sig):
    assert significant_figures(text) == sig


@pytest.mark.parametrize("claimed, value, ok", [
    ("0.005", 0.0051537, True), ("0.005", 0.0056, False), ("117", 117.39, True),
    ("27,000", 30495.4, False), ("27,000", 27445.8, True), ("200", 190.4, True),
    ("3e-09", 6.7e-3, False), ("0.25", 0.25, True), ("1.41", 2 ** 0.5, True)])
def test_agrees(claimed, value, ok):
    assert agrees(claimed, value) is ok


def test_verdict_rule_rejects_bad_input():
    with pytest.raises(ValueError, match="claimed"):
        significant_figures("about")
    with pytest.raises(TypeError, match="claimed"):
        significant_figures(0.5)
    with pytest.raises(ValueError, match="value"):
        agrees("1", float("nan"))


def test_table_has_26_rows_in_order_with_verdicts():
    rows = verdict.rows()
    assert [r.id for r in rows] == [f"C{i:02d}" for i in range(1, 27)]
    for r in rows:
        assert r.verdict in ("holds", "wrong")
        assert bool(r.note) == (r.verdict == "wrong"), r.id
    lines = verdict.markdown_table().splitlines()
    assert lines[0] == "| ID | Claim | Claimed | Recomputed | Verdict |"
    body = lines[2:]
    assert len(body) == 26
    for line, r in zip(body, rows):
        cells = [c.strip() for c in re.split(r"(?<!\\)\|", line)[1:-1]]
        assert len(cells) == 5 and cells[0] == r.id and cells[4] == r.verdict


def test_placeholders_expand_and_leave_the_rest():
    md = "# T\n\n{{ claims_table() }}\n\ntext {{ claims_table() }} inline\n\n{{ claims_notes() }}\n"
    out = verdict.expand_placeholders(md)
    assert verdict.markdown_table() in out and verdict.notes_markdown() in out
    assert "text {{ claims_table() }} inline" in out  # only whole-line placeholders
    assert out.count("| C01 |") == 1
    with pytest.raises(TypeError, match="markdown"):
        verdict.expand_placeholders(None)


def test_unknown_claim_id():
    with pytest.raises(ValueError, match="id"):
        verdict.check("C99")


def test_c10_step_jacobian_against_finite_differences_and_autograd():
    errs = setups.step_jacobian_check(seed=3, hidden=6, inputs=2)
    assert errs["diag(1-h_t^2) W_h"] < 1e-8
    assert errs["diag(1-h_t^2) W_h^T"] > 1e-2
    # autograd agrees with diag(1 - h_t^2) W_h, not with its transposed form
    g = torch.Generator().manual_seed(0)
    W_h = torch.randn(4, 4, generator=g, dtype=torch.float64)
    x_part = torch.randn(4, generator=g, dtype=torch.float64)
    h_prev = torch.randn(4, generator=g, dtype=torch.float64)
    jac = torch.autograd.functional.jacobian(lambda h: torch.tanh(W_h @ h + x_part), h_prev)
    h_t = torch.tanh(W_h @ h_prev + x_part)
    assert torch.allclose(jac, torch.diag(1 - h_t ** 2) @ W_h, atol=1e-12)
    assert not torch.allclose(jac, torch.diag(1 - h_t ** 2) @ W_h.T, atol=1e-3)


def test_c11_recorded_norms_match_autograd():
    run = setups.random_rnn_norms(seed=5, hidden=8, steps=12, trials=1)
    assert run.norms.shape == (1, 12) and run.radii.shape == (1,)
    assert run.norms[0, 0] == pytest.approx(1.0, abs=1e-15)
    # rebuild trial 0 from the same stream and differentiate L = <ones/sqrt(H), h_T>
    rng = np.random.default_rng(5)
    H, T = 8, 12
    W_h = torch.tensor(rng.standard_normal((H, H)) * 0.9 / np.sqrt(H))
    W_x = torch.tensor(rng.standard_normal((H, 1)) * 0.1)
    x = torch.tensor(rng.standard_normal((T, 1)))
    hs = [torch.zeros(H, dtype=torch.float64, requires_grad=True)]
    for t in range(T):
        hs.append(torch.tanh(W_h @ hs[-1] + W_x @ x[t]))
        hs[-1].retain_grad()
    (hs[-1] @ (torch.ones(H, dtype=torch.float64) / H ** 0.5)).backward()
    auto = np.array([float(hs[t].grad.norm()) for t in range(T, 0, -1)])
    np.testing.assert_allclose(run.norms[0], auto, rtol=1e-12)


def test_c13_gru_is_three_rnns():
    from vgp.models import count_parameters

    for D, H in ((1, 1), (3, 7), (10, 64)):
        assert count_parameters("gru", D, H) == 3 * count_parameters("rnn", D, H)


def test_c14_orthogonal_singular_values():
    for W in setups.orthogonal_matrices(16, seed=2):
        np.testing.assert_allclose(np.linalg.svd(W, compute_uv=False), 1.0, atol=1e-12)


def test_c15_clip_grad_norm_returns_norm_before_clipping_like_vgp():
    from vgp.clip import clip_by_global_norm

    r = setups.clip_grad_norm_return(seed=1, max_norm=0.5)
    assert r["returned"] == pytest.approx(r["before"], rel=1e-12)
    assert r["after"] == pytest.approx(0.5, rel=1e-5)
    _, norm = clip_by_global_norm([np.array([3.0, 4.0])], max_norm=1.0)
    p = torch.nn.Parameter(torch.zeros(2, dtype=torch.float64))
    p.grad = torch.tensor([3.0, 4.0], dtype=torch.float64)
    assert float(torch.nn.utils.clip_grad_norm_([p], 1.0)) == pytest.approx(norm)


def test_c23_cell_path_jacobian_is_diag_forget_gate():
    r = setups.lstm_cell_path_jacobian(seed=1, hidden=5)
    np.testing.assert_allclose(r["jacobian"], np.diag(r["f_t"]), atol=1e-14)
    assert np.ptp(r["f_t"]) > 1e-3  # one value per unit, not a scalar


def test_c26_seed42_norms_match_autograd():
    norms = setups.seed42_norms()
    rs = np.random.RandomState(42)
    W_hh = torch.tensor(0.01 * rs.randn(5, 5))
    W_xh = torch.tensor(0.01 * rs.randn(5, 3))
    xs = [torch.tensor(rs.randn(3)) for _ in range(50)]
    hs = [torch.zeros(5, dtype=torch.float64, requires_grad=True)]
    for x_t in xs:
        hs.append(torch.tanh(W_hh @ hs[-1] + W_xh @ x_t))
        hs[-1].retain_grad()
    hs[-1].backward(torch.ones(5, dtype=torch.float64))
    auto = np.array([float(hs[t].grad.norm()) for t in range(50, 0, -1)])
    np.testing.assert_allclose(norms, auto, rtol=1e-10)
    assert norms[-1] / norms[0] <= 1e-10
