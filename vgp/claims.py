r"""The 26 quantitative claims of the "Claims checked" page, each recomputed.

Every claim is a function registered with `vgp.verdict.claim(id, text, claimed)` that
rebuilds the claim's setup (the longer ones live in `vgp.claims_setups`), recomputes the
quantity and returns `(recomputed, holds, note)`. For numbers, `holds` is
`vgp.verdict.agrees`: the recomputed value, rounded to the significant figures the claim
states, equals the claimed one. `vgp.verdict` turns the claims into the page's table.

>>> from vgp.verdict import check
>>> check("C21").verdict, check("C22").verdict
('holds', 'wrong')
"""

from __future__ import annotations

import math

import numpy as np

from vgp import claims_setups as setups
from vgp.activations import dphi
from vgp.spectral import singular_values, spectral_radius
from vgp.verdict import agrees, claim
from vgp.worked_example import predict_log10_norm, rates, worked_example



def _power(claimed: str, factor: float, n: int) -> tuple[str, bool, str]:
    v = factor ** n
    note = (f"${factor}^{{{n}}}$ = {v:.3e}: the stated value is {float(claimed) / v:.3g} times "
            "too large.")
    return f"{v:.3e}", agrees(claimed, v), note


_C0 = "With a per-step factor of 0.9 × 0.5 = 0.45, the gradient magnitude after {} steps is"
for _id, _claimed, _n in (("C01", "3.49e-03", 10), ("C02", "1.22e-05", 20),
                          ("C03", "5.20e-14", 50), ("C04", "2.70e-27", 100)):
    claim(_id, _C0.format(_n), _claimed)(lambda c=_claimed, n=_n: _power(c, 0.45, n))


@claim("C05", "With a per-step factor of 1.1 the gradient grows after 50 steps to about", "117")
def _c05():
    v = 1.1 ** 50
    return f"{v:.2f}", agrees("117", v), ""


@claim("C06", "tanh′(z) is about 0.07 at z = 2 and about 0.00018 at z = 5", "0.07; 0.00018")
def _c06():
    a, b = (float(dphi("tanh", z)) for z in (2.0, 5.0))
    return f"{a:.4f}; {b:.3e}", agrees("0.07", a) and agrees("0.00018", b), ""


@claim("C07", "0.9¹⁰ is about 0.35 and 0.9⁵⁰ is about 0.005", "0.35; 0.005")
def _c07():
    a, b = 0.9 ** 10, 0.9 ** 50
    return f"{a:.4f}; {b:.5f}", agrees("0.35", a) and agrees("0.005", b), ""


@claim("C08", "0.95⁹⁹ is about", "0.006")
def _c08():
    v = 0.95 ** 99
    return f"{v:.5f}", agrees("0.006", v), ""


@claim("C09", "Factor 0.9 per step: the gradient reaching step 1 of a 100-step sequence is "
       "smaller than the one reaching step 99 by", "27,000")
def _c09():
    v = 0.9 ** -98  # 98 step Jacobians separate step 99 from step 1
    note = (f"Steps 99 and 1 are 98 steps apart, so the ratio is $0.9^{{-98}}$ = {v:,.0f}. "
            f"The stated figure matches $0.9^{{-97}}$ = {0.9 ** -97:,.0f}: a power miscounted by one.")
    return f"{v:,.0f}", agrees("27,000", v), note


@claim("C10", "The step Jacobian of $h_t = \\tanh(W_h h_{t-1} + W_x x_t + b)$ is",
       "$\\mathrm{diag}(1-h_t^2)\\,W_h^\\top$")
def _c10():
    err = setups.step_jacobian_check(seed=0)
    right, claimed = err["diag(1-h_t^2) W_h"], err["diag(1-h_t^2) W_h^T"]
    note = ("Transposition. Entry $(i, j)$ is $\\partial h_{t,i}/\\partial h_{t-1,j} = "
            "(1 - h_{t,i}^2)\\,W_{h,ij}$, so $\\partial h_t/\\partial h_{t-1} = "
            "\\mathrm{diag}(1-h_t^2)\\,W_h$. The transpose appears only when a gradient is "
            "carried backwards: $\\partial L/\\partial h_{t-1} = W_h^\\top\\,\\mathrm{diag}"
            f"(1-h_t^2)\\,\\partial L/\\partial h_t$. Against finite differences the claimed "
            f"form is off by up to {claimed:.2f}, the correct one by less than 1e-8.")
    if right >= 1e-8:
        raise AssertionError(f"finite differences disagree with diag(1-h_t^2) W_h by {right}")
    return ("$\\mathrm{diag}(1-h_t^2)\\,W_h$ (matches finite differences to 1e-8)",
            claimed < 1e-8, note)


_SETUP = "64-unit tanh RNN, 80 steps, 20 trials (setup below):"


@claim("C11", f"{_SETUP} the recorded norm at the most recent step is", "0.4821")
def _c11():
    v = float(setups.random_rnn_norms(seed=0).norms.mean(axis=0)[0])
    note = ("The norm at the most recent step is recorded before anything is propagated, so "
            f"it is the norm of the starting gradient $\\mathbf{{1}}/\\sqrt{{64}}$: {v:.4f} in "
            "every trial.")
    return f"{v:.4f}", agrees("0.4821", v), note


@claim("C12", f"{_SETUP} ratio of the earliest to the most recent recorded norm is about",
       "3e-09")
def _c12():
    run = setups.random_rnn_norms(seed=0)
    mean = run.norms.mean(axis=0)                  # average over trials, (steps,)
    v = float(mean[-1] / mean[0])
    lo, hi = run.radii.min(), run.radii.max()
    per_trial = run.norms[:, -1] / run.norms[:, 0]
    geo = float(np.exp(np.mean(np.log(per_trial))))
    note = (f"With seed 0 the ratio of the averaged norms is {v:.1e}, about "
            f"{math.log10(v / 3e-9):.0f} orders of magnitude larger than stated (the geometric "
            f"mean of the per-trial ratios is {geo:.1e}, the smallest single trial "
            f"{per_trial.min():.1e}). The trials' spectral radii lie between {lo:.2f} and "
            f"{hi:.2f}; a factor of 0.9 per step over 79 steps gives $0.9^{{79}}$ = "
            f"{0.9 ** 79:.1e}, while $3\\times 10^{{-9}}$ would need "
            f"{(3e-9) ** (1 / 79):.2f} per step.")
    return f"{v:.1e}", agrees("3e-09", v), note


@claim("C13", "A GRU has roughly twice as many parameters as a vanilla RNN of the same sizes "
       "(ratio GRU/RNN)", "2")
def _c13():
    from vgp.models import count_parameters

    rnn, gru = count_parameters("rnn", 10, 64), count_parameters("gru", 10, 64)
    v = gru / rnn
    note = (f"A GRU has three gate blocks where the RNN has one: {gru:,} against {rnn:,} "
            f"parameters for input 10 and hidden 64 in torch, exactly {v:.0f} times as many "
            "for any sizes.")
    return f"{v:.2f} ({gru:,} / {rnn:,})", agrees("2", v), note


@claim("C14", "After orthogonal initialisation all singular values of $W_{hh}$ are",
       "1")
def _c14():
    mats = setups.orthogonal_matrices(64, seed=0)
    dev = max(float(np.max(np.abs(singular_values(W) - 1.0))) for W in mats)
    return f"1 (all within {1e-12:.0e})", dev < 1e-12, ""


@claim("C15", "`torch.nn.utils.clip_grad_norm_` returns the total norm measured",
       "before clipping")
def _c15():
    r = setups.clip_grad_norm_return(seed=0, max_norm=1.0)
    holds = math.isclose(r["returned"], r["before"], rel_tol=1e-12)
    return (f"before clipping (returned {r['returned']:.4f}; norm before {r['before']:.4f}, "
            f"after {r['after']:.4f})"), holds, ""


_W = "$W = \\begin{pmatrix}0.5&0.3\\\\-0.2&0.4\\end{pmatrix}$"
_EX = "Same $W$, $h_t = \\tanh(W h_{t-1})$, $h_0 = (1, 0)$, five steps:"


@claim("C16", f"The eigenvalues of {_W} are about 0.45 ± 0.087i, with magnitude about 0.46",
       "0.45 ± 0.087i; 0.46")
def _c16():
    lam = worked_example().eigenvalues[0]
    re_, im, mag = lam.real, abs(lam.imag), abs(lam)
    holds = agrees("0.45", re_) and agrees("0.087", im) and agrees("0.46", mag)
    note = (f"The imaginary part is ±{im:.3f} ($\\lambda^2 - 0.9\\lambda + 0.26 = 0$), and "
            f"$|\\lambda| = \\sqrt{{\\det W}} = \\sqrt{{0.26}}$ = {mag:.3f}. The stated magnitude "
            f"follows from the wrong imaginary part: $\\sqrt{{0.45^2 + 0.087^2}}$ = "
            f"{math.hypot(0.45, 0.087):.3f}.")
    return f"{re_:.3f} ± {im:.3f}i; {mag:.3f}", holds, note


@claim("C17", f"{_EX} the spectral radii of the five step Jacobians are around", "0.3 to 0.4")
def _c17():
    radii = [spectral_radius(J) for J in worked_example().jacobians]
    holds = all(0.3 <= float(f"{r:.0e}") <= 0.4 for r in radii)
    note = (f"The radii rise from {radii[0]:.3f} to {radii[-1]:.3f}: as $h_t \\to 0$ the slopes "
            f"$\\tanh'(z_t) \\to 1$ and $J_t \\to W$, whose spectral radius is "
            f"{spectral_radius(worked_example().W_hh):.3f}.")
    return f"{min(radii):.3f} to {max(radii):.3f}", holds, note


@claim("C18", f"{_EX} $\\lVert\\partial h_5/\\partial h_0\\rVert_F$ is about 0.02, nearly 99% "
       "below the identity's 1.41", "0.02; 99%; 1.41")
def _c18():
    ex = worked_example()
    v, eye = ex.product_frobenius_norm, math.sqrt(2.0)
    drop = 100 * (1 - v / eye)
    holds = agrees("0.02", v) and agrees("99", drop) and agrees("1.41", eye)
    note = (f"$\\lVert J_5 J_4 J_3 J_2 J_1\\rVert_F$ = {v:.4f}, a reduction of {drop:.1f}% "
            f"from $\\lVert I\\rVert_F$ = {eye:.3f}, not 0.02 and 99%.")
    return f"{v:.4f}; {drop:.1f}%; {eye:.3f}", holds, note


@claim("C19", "Same example extrapolated to 50 steps: the gradient shrinks to about", "1e-23")
def _c19():
    ex = worked_example()
    r = rates(ex)["mean_rate"]        # ||dh_5/dh_0||_2^(1/5), the measured rate per step
    pred = predict_log10_norm(ex, 50)
    v, exact = 10 ** pred["mean_rate"], 10 ** pred["computed"]
    note = (f"The measured rate per step, $\\lVert\\partial h_5/\\partial h_0\\rVert_2^{{1/5}}"
            f"$ = {r:.3f}, gives ${r:.3f}^{{50}}$ = {v:.1e}; running all 50 steps gives "
            f"$\\lVert\\partial h_{{50}}/\\partial h_0\\rVert_2$ = {exact:.1e}. The stated "
            f"value corresponds to a rate of $10^{{-23/50}}$ = {10 ** (-23 / 50):.2f} per "
            "step, the underestimated radii of C17.")
    return f"{v:.1e} (rate {r:.3f} per step)", agrees("1e-23", v), note


@claim("C20", "0.45¹⁰ is about 0.00034, a shrinkage by a factor of nearly 3,000",
       "0.00034; 3,000")
def _c20():
    v = 0.45 ** 10
    return f"{v:.3e}; {1 / v:,.0f}", agrees("0.00034", v) and agrees("3,000", 1 / v), ""


@claim("C21", "The derivative of the logistic sigmoid peaks at", "0.25")
def _c21():
    z = np.linspace(-10.0, 10.0, 20001)         # grid through z = 0
    s = dphi("sigmoid", z)
    v = float(s.max())
    return f"{v:.4f} (at z = {z[s.argmax()]:.1f})", agrees("0.25", v), ""


@claim("C22", "Weights with standard deviation 0.01 are Xavier (Glorot) scaled for a 64×64 "
       "recurrent matrix", "0.01")
def _c22():
    v = math.sqrt(2.0 / (64 + 64))
    note = (f"Glorot's normal initialisation has standard deviation "
            f"$\\sqrt{{2/(n_\\text{{in}} + n_\\text{{out}})}} = \\sqrt{{2/128}}$ = {v:.3f} for "
            f"a 64×64 matrix, {v / 0.01:.1f} times larger than 0.01.")
    return f"{v:.3f}", agrees("0.01", v), note


@claim("C23", "In an LSTM, $\\partial c_t/\\partial c_{t-1}$ along the cell path is $f_t$, "
       "a learned scalar", "a learned scalar $f_t$")
def _c23():
    r = setups.lstm_cell_path_jacobian(seed=0, hidden=4)
    J, f = r["jacobian"], r["f_t"]
    is_diag_f = float(np.max(np.abs(J - np.diag(f)))) < 1e-12
    scalar = bool(np.ptp(f) < 1e-12)
    note = ("$\\partial c_t/\\partial c_{t-1} = \\mathrm{diag}(f_t)$: one forget-gate value "
            "per unit, recomputed at every step from $x_t$ and $h_{t-1}$ "
            "($f_t = \\sigma(W_f x_t + U_f h_{t-1} + b_f)$). The learned quantities are "
            f"$W_f, U_f, b_f$. In a 4-unit cell the diagonal ranges over {f.min():.3f} to "
            f"{f.max():.3f}.")
    return (f"$\\mathrm{{diag}}(f_t)$, entries {f.min():.3f} to {f.max():.3f}"), \
        is_diag_f and scalar, note


@claim("C24", "0.35⁵ is about 0.005, a shrinkage by a factor of about 200", "0.005; 200")
def _c24():
    v = 0.35 ** 5
    return f"{v:.5f}; {1 / v:.1f}", agrees("0.005", v) and agrees("200", 1 / v), ""


@claim("C25", "A vanilla tanh RNN trained on the copying task (setup below) ends with recall "
       "accuracy near chance", "near 1/8")
def _c25():
    return setups.copy_claim()


@claim("C26", "NumPy, `np.random.seed(42)` setup (below): the gradient norm at the first step "
       "is smaller than at the last by a factor of", "1e-10 or more")
def _c26():
    norms = setups.seed42_norms()
    v = float(norms[-1] / norms[0])
    return f"{v:.2e} (first/last)", v <= 1e-10, ""
