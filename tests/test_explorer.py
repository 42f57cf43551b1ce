"""vgp.explorer: the widget's reference numbers agree with NumPy / vgp.spectral and with
their definitions; invalid inputs are rejected by name."""

from __future__ import annotations

import math

import numpy as np
import pytest

from vgp import explorer
from vgp.logscale import format_log10
from vgp.spectral import nonnormal_example, power_norms, singular_values, spectral_radius

RNG = np.random.default_rng(7)
MATRICES = [nonnormal_example(), np.eye(2), np.zeros((2, 2)), [[0.0, 1.0], [-1.0, 0.0]],
            [[0.5, 1.0], [0.0, 0.5]], [[2.0, -2.0], [2.0, 2.0]], [[0.3, 0.0], [0.0, -0.3]]]
MATRICES += [np.round(RNG.uniform(-2, 2, size=(2, 2)) / 0.05) * 0.05 for _ in range(40)]


@pytest.mark.parametrize("W", MATRICES)
def test_eigenvalues_match_numpy(W):
    W = np.asarray(W, dtype=float)
    ours = np.array(explorer.eig2(W))
    ref = np.linalg.eigvals(W)
    # match as multisets (sqrt(eps) slack for defective matrices, e.g. Jordan blocks)
    for z in ours:
        assert np.min(np.abs(ref - z)) < 1e-7
    assert max(abs(z) for z in ours) == pytest.approx(spectral_radius(W), abs=1e-7)


@pytest.mark.parametrize("W", MATRICES)
def test_singular_values_match_numpy(W):
    ours = explorer.singular_values2(W)
    np.testing.assert_allclose(ours, singular_values(np.asarray(W, float)), rtol=1e-12, atol=1e-12)


@pytest.mark.parametrize("W", MATRICES)
def test_power_norms_match_spectral(W):
    ours = np.array(explorer.power_norms2(W, 40))
    ref = power_norms(np.asarray(W, float), 40)
    np.testing.assert_allclose(ours, ref, rtol=1e-9, atol=1e-300)


def test_nonnormal_example_shows_transient_growth():
    m = explorer.matrix_numbers(nonnormal_example(), 60)
    assert m["transient_growth"] == "yes" and m["normal"] == "no"
    assert m["peak_norm"] == explorer.fixed(float(power_norms(nonnormal_example(), 60).max()))
    assert int(m["peak_step"]) == int(np.argmax(power_norms(nonnormal_example(), 60)))
    assert float(m["spectral_radius"]) < 1 < float(m["peak_norm"])


def test_normal_matrix_has_no_transient_growth():
    m = explorer.matrix_numbers([[0.5, 0.3], [0.3, 0.5]], 30)
    assert m["normal"] == "yes" and m["transient_growth"] == "no"
    assert m["peak_step"] == "1" and m["peak_norm"] == m["spectral_norm"] == m["spectral_radius"]


def test_complex_eigenvalues_text():
    m = explorer.matrix_numbers([[0.5, -0.5], [0.5, 0.5]], 10)
    assert m["eigenvalues"] == "0.5000 ± 0.5000i"
    assert m["spectral_radius"] == explorer.fixed(math.sqrt(0.5))


@pytest.mark.parametrize("radius", [0.05, 0.5, 0.93, 1.0, 1.37, 2.0])
@pytest.mark.parametrize("slope", [0.05, 0.25, 0.66, 1.0])
@pytest.mark.parametrize("steps", [1, 7, 100, 500])
def test_decay_numbers_match_definition(radius, slope, steps):
    d = explorer.decay_numbers(radius, slope, steps)
    factor = radius * slope
    assert d["factor"] == explorer.fixed(factor)
    # the gradient string is (radius*slope)^n, formed in log space (never underflows)
    with np.errstate(under="ignore", over="ignore"):
        direct = factor ** steps
    if 1e-300 < direct < 1e300:
        assert d["gradient"] == f"{direct:.3e}" or math.isclose(
            float(d["gradient"]), direct, rel_tol=2e-4)
    assert d["gradient"] == explorer.sci(steps * math.log10(factor))
    ref = format_log10(steps * math.log10(factor))     # vgp's general formatter
    (m1, e1), (m2, e2) = d["gradient"].split("e"), ref.split("e")
    assert e1 == e2 and abs(float(m1) - float(m2)) <= 1e-3   # differ only on exact ties
    if factor < 1:
        n = int(d["steps_to_1e-6"])
        assert factor ** n <= 1e-6 * (1 + 1e-9)
        assert n == 1 or factor ** (n - 1) > 1e-6
        assert d["regime"] == "vanishing"
    else:
        assert d["steps_to_1e-6"] == "never"
        assert d["regime"] == ("neutral" if factor == 1 else "exploding")


def test_decay_never_prints_zero_for_tiny_gradients():
    d = explorer.decay_numbers(0.05, 0.05, 500)
    assert d["gradient"].endswith("e-1302")   # 0.0025^500 = 10^-1301.03 and not d["gradient"].startswith("0")


def test_steps_to_threshold_exact_boundary():
    assert explorer.decay_numbers(0.1, 1.0, 5)["steps_to_1e-6"] == "6"   # 0.1^6 = 1e-6


def test_curve_is_linear_in_log_space():
    curve = explorer.decay_log10_curve(0.9, 0.5, 10)
    assert curve[0] == 0 and curve[10] == pytest.approx(10 * math.log10(0.45))


def test_fixed_rounds_like_javascript():
    assert explorer.fixed(0.03125) == "0.0313"        # JS toFixed: half away from zero
    assert explorer.fixed(-0.03125) == "-0.0313"
    assert explorer.fixed(-0.0) == "0.0000"
    assert explorer.fixed(2.5, 0) == "3"


@pytest.mark.parametrize("call, exc, name", [
    (lambda: explorer.decay_numbers(0.0, 0.5, 3), ValueError, "radius"),
    (lambda: explorer.decay_numbers(0.5, -1.0, 3), ValueError, "slope"),
    (lambda: explorer.decay_numbers(0.5, 0.5, 2.5), TypeError, "steps"),
    (lambda: explorer.decay_numbers("1", 0.5, 3), TypeError, "radius"),
    (lambda: explorer.matrix_numbers(np.eye(3), 3), ValueError, "W"),
    (lambda: explorer.matrix_numbers([[1, 2], [3, np.nan]], 3), ValueError, "W"),
    (lambda: explorer.matrix_numbers(np.eye(2), 0), ValueError, "steps"),
])
def test_invalid_inputs_name_the_parameter(call, exc, name):
    with pytest.raises(exc, match=name):
        call()


def test_slider_ranges_are_consistent():
    for lo, hi, step in (explorer.RADIUS_RANGE, explorer.SLOPE_RANGE, explorer.STEPS_RANGE,
                         explorer.ENTRY_RANGE, explorer.POWER_RANGE):
        assert lo < hi and step > 0
        assert abs(round((hi - lo) / step) * step - (hi - lo)) < 1e-9
