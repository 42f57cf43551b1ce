r"""The numbers behind the decay explorer page, exactly as its widgets print them.

The page's JavaScript (docs/javascripts/explorer.js) recomputes these in the browser as the
sliders move; the browser tests check that every string it shows equals the one returned
here for the same inputs. The code below is therefore written with plain Python floats in
the same order of operations as the JavaScript (so both produce the same IEEE doubles), and
the unit tests check it against the NumPy reference in `vgp.spectral`.

**Decay widget.** A gradient carried back $n$ steps through a recurrence with spectral
radius $\rho$ and mean activation slope $\bar\gamma$ is scaled, to first order, by

$$
\lVert \partial h_T / \partial h_{T-n} \rVert \approx (\rho\,\bar\gamma)^n, \qquad
n_{10^{-6}} = \left\lceil \frac{-6}{\log_{10}(\rho\,\bar\gamma)} \right\rceil
\quad (\rho\,\bar\gamma < 1),
$$

the number of steps until the factor drops below $10^{-6}$. The power is formed in
$\log_{10}$ so $0.05^{500}$ prints as a number, not 0.

>>> d = decay_numbers(0.9, 0.5, 50)
>>> d["factor"], d["gradient"], d["steps_to_1e-6"], d["regime"]
('0.4500', '4.577e-18', '18', 'vanishing')

**Matrix widget.** For a 2x2 $W_{hh} = \begin{pmatrix} a & b \\ c & d \end{pmatrix}$:
eigenvalues $\tau/2 \pm \sqrt{\tau^2/4 - \delta}$ ($\tau = a + d$, $\delta = ad - bc$),
singular values from $\sigma_1^2 + \sigma_2^2 = \lVert W\rVert_F^2$ and
$\sigma_1 \sigma_2 = |\delta|$, and $\lVert W^n \rVert_2$ for $n = 0 \dots N$.

>>> m = matrix_numbers([[0.9, 1.0], [0.0, 0.9]], 40)
>>> m["eigenvalues"], m["spectral_radius"], m["singular_values"]
('0.9000, 0.9000', '0.9000', '1.5296, 0.5296')
>>> m["peak_norm"], m["peak_step"], m["transient_growth"]
('3.9126', '9', 'yes')
"""

from __future__ import annotations

import math
from decimal import ROUND_HALF_UP, Decimal

from vgp._validate import as_array, integer, real

__all__ = ["RADIUS_RANGE", "SLOPE_RANGE", "STEPS_RANGE", "ENTRY_RANGE", "POWER_RANGE",
           "fixed", "sci", "decay_log10_curve", "decay_numbers", "eig2", "singular_values2",
           "power_norms2", "matrix_numbers"]

# (min, max, step) of each slider; the page's <input type="range"> elements use the same.
RADIUS_RANGE = (0.05, 2.0, 0.01)     # spectral radius rho of W_hh
SLOPE_RANGE = (0.05, 1.0, 0.01)      # mean activation slope (tanh' <= 1, sigmoid' <= 1/4)
STEPS_RANGE = (1, 500, 1)            # sequence length n
ENTRY_RANGE = (-2.0, 2.0, 0.05)      # each entry of the 2x2 W_hh
POWER_RANGE = (5, 60, 1)             # largest power N plotted
THRESHOLD_LOG10 = -6.0               # "steps until 1e-6"


def fixed(x: float, digits: int = 4) -> str:
    """`x` with `digits` decimals, rounding as JavaScript's ``toFixed`` does.

    ``toFixed`` rounds the exact binary value half away from zero (Python's format rounds
    half to even), and a result that rounds to zero is shown without a minus sign.

    >>> fixed(0.03125), f"{0.03125:.4f}", fixed(-1e-9)
    ('0.0313', '0.0312', '0.0000')
    """
    digits = integer("digits", digits, minimum=0, maximum=15)
    q = Decimal(float(x)).quantize(Decimal(1).scaleb(-digits), rounding=ROUND_HALF_UP)
    text = f"{q:f}"
    return text[1:] if text.startswith("-") and float(text) == 0.0 else text


def sci(log10_value: float, digits: int = 3) -> str:
    r"""$10^x$ in scientific notation from $x = $ `log10_value`, never forming $10^x$.

    Like `vgp.logscale.format_log10` but rounding the mantissa as `fixed` (and JavaScript)
    does, so the page and this module print the same string.

    >>> sci(-412.3), sci(0.0), sci(2.0 + math.log10(9.9996))
    ('5.012e-413', '1.000e+00', '1.000e+03')
    """
    x = real("log10_value", log10_value)
    e = math.floor(x)
    m = 10.0 ** (x - e)
    text = fixed(m, digits)
    if float(text) >= 10.0:   # 9.9996 rounds up to 10.000: carry into the exponent
        e += 1
        text = fixed(m / 10.0, digits)
    return f"{text}e{'-' if e < 0 else '+'}{abs(e):02d}"


def _decay_inputs(radius, slope, steps):
    rho = real("radius", radius, minimum=0.0, strict_min=True)
    gamma = real("slope", slope, minimum=0.0, strict_min=True)
    n = integer("steps", steps, minimum=0)
    return rho, gamma, n


def decay_log10_curve(radius: float, slope: float, steps: int) -> list[float]:
    r"""$\log_{10} (\rho\bar\gamma)^k = k \log_{10}(\rho\bar\gamma)$ for $k = 0 \dots n$:
    the line the widget plots.

    >>> [round(v, 4) for v in decay_log10_curve(2.0, 1.0, 3)]
    [0.0, 0.301, 0.6021, 0.9031]
    """
    rho, gamma, n = _decay_inputs(radius, slope, steps)
    per_step = math.log10(rho * gamma)
    return [k * per_step for k in range(n + 1)]


# --8<-- [start:decay]
def decay_numbers(radius: float, slope: float, steps: int) -> dict[str, str]:
    r"""The strings the decay widget shows for spectral radius `radius`, mean slope `slope`
    and sequence length `steps`.

    Keys: ``factor`` ($\rho\bar\gamma$), ``log10_factor``, ``gradient`` ($(\rho\bar\gamma)^n$),
    ``steps_to_1e-6`` (``'never'`` when the factor is at least 1) and ``regime``.

    >>> decay_numbers(1.5, 1.0, 100)["gradient"], decay_numbers(0.1, 0.1, 500)["gradient"]
    ('4.066e+17', '1.000e-1000')
    >>> decay_numbers(1.0, 1.0, 10)["steps_to_1e-6"]
    'never'
    """
    rho, gamma, n = _decay_inputs(radius, slope, steps)
    factor = rho * gamma
    per_step = math.log10(factor)
    if factor < 1.0:
        # smallest k with k * log10(factor) <= -6; the 1e-9 absorbs last-bit differences
        # between libm's log10 and the browser's, so both agree on exact boundaries.
        reach = str(max(1, math.ceil(THRESHOLD_LOG10 / per_step - 1e-9)))
        regime = "vanishing"
    else:
        reach = "never"
        regime = "exploding" if factor > 1.0 else "neutral"
    return {
        "factor": fixed(factor, 4),
        "log10_factor": fixed(per_step, 4),
        "gradient": sci(n * per_step, 3),
        "steps_to_1e-6": reach,
        "regime": regime,
    }
# --8<-- [end:decay]


def _matrix(W) -> tuple[float, float, float, float]:
    W = as_array("W", W, ndim=2)
    if W.shape != (2, 2):
        raise ValueError(f"W must be a 2x2 matrix, got shape {W.shape}")
    a, b, c, d = (float(v) for v in W.ravel())
    return a, b, c, d


def eig2(W) -> tuple[complex, complex]:
    r"""Eigenvalues of a 2x2 matrix, $\tau/2 \pm \sqrt{\tau^2/4 - \delta}$, larger real part
    (then positive imaginary part) first.

    >>> eig2([[0.0, 1.0], [-1.0, 0.0]])
    (1j, -1j)
    """
    a, b, c, d = _matrix(W)
    half = (a + d) / 2.0
    disc = half * half - (a * d - b * c)
    if disc >= 0.0:
        s = math.sqrt(disc)
        return complex(half + s, 0.0), complex(half - s, 0.0)
    s = math.sqrt(-disc)
    return complex(half, s), complex(half, -s)


def _sigma(a: float, b: float, c: float, d: float) -> tuple[float, float]:
    frob2 = a * a + b * b + c * c + d * d
    det = abs(a * d - b * c)
    root = math.sqrt(max(frob2 * frob2 - 4.0 * det * det, 0.0))
    s1 = math.sqrt((frob2 + root) / 2.0)
    s2 = det / s1 if s1 > 0.0 else 0.0
    return s1, s2


def singular_values2(W) -> tuple[float, float]:
    r"""Singular values $\sigma_1 \ge \sigma_2$ of a 2x2 matrix in closed form:
    $\sigma_1^2 = \tfrac12\big(F + \sqrt{F^2 - 4\delta^2}\big)$, $\sigma_2 = |\delta|/\sigma_1$,
    $F = \lVert W \rVert_F^2$.

    >>> singular_values2([[3.0, 0.0], [4.0, 0.0]])
    (5.0, 0.0)
    """
    return _sigma(*_matrix(W))


def power_norms2(W, n: int) -> list[float]:
    r"""$\lVert W^m \rVert_2$ for $m = 0 \dots n$, multiplying on the right one step at a time.

    >>> [f"{v:.3f}" for v in power_norms2([[0.5, 0.0], [0.0, 0.25]], 3)]
    ['1.000', '0.500', '0.250', '0.125']
    """
    a, b, c, d = _matrix(W)
    n = integer("n", n, minimum=0)
    p00, p01, p10, p11 = 1.0, 0.0, 0.0, 1.0   # W^0 = I
    out = [1.0]
    for _ in range(n):
        p00, p01, p10, p11 = (p00 * a + p01 * c, p00 * b + p01 * d,
                              p10 * a + p11 * c, p10 * b + p11 * d)
        out.append(_sigma(p00, p01, p10, p11)[0])
    return out


def matrix_numbers(W, steps: int) -> dict[str, str]:
    r"""The strings the matrix widget shows for a 2x2 `W` and largest power `steps`.

    Keys: ``eigenvalues`` (``'x, y'`` or ``'x ± yi'``), ``spectral_radius``,
    ``singular_values``, ``spectral_norm``, ``normal`` (``'yes'`` iff
    $W W^\top = W^\top W$ to 1e-12), ``peak_norm`` and ``peak_step``
    ($\max_{1 \le m \le N} \lVert W^m\rVert_2$ and its $m$), ``last_norm``
    ($\lVert W^N\rVert_2$) and ``transient_growth`` (``'yes'`` when $\rho < 1$ but some
    power has norm above 1).

    >>> matrix_numbers([[0.0, 1.0], [-1.0, 0.0]], 10)["eigenvalues"]
    '0.0000 ± 1.0000i'
    """
    a, b, c, d = _matrix(W)
    n = integer("steps", steps, minimum=1)
    l1, l2 = eig2([[a, b], [c, d]])
    if l1.imag != 0.0:
        eigen = f"{fixed(l1.real, 4)} ± {fixed(abs(l1.imag), 4)}i"
    else:
        eigen = f"{fixed(l1.real, 4)}, {fixed(l2.real, 4)}"
    rho = max(math.sqrt(z.real * z.real + z.imag * z.imag) for z in (l1, l2))
    s1, s2 = _sigma(a, b, c, d)
    norms = power_norms2([[a, b], [c, d]], n)
    peak_step = max(range(1, n + 1), key=lambda m: (norms[m], -m))  # first maximum
    # W W^T - W^T W = [[b^2 - c^2, (a - d)(c - b)], [(a - d)(c - b), c^2 - b^2]]
    normal = abs(b * b - c * c) <= 1e-12 and abs((a - d) * (c - b)) <= 1e-12
    return {
        "eigenvalues": eigen,
        "spectral_radius": fixed(rho, 4),
        "singular_values": f"{fixed(s1, 4)}, {fixed(s2, 4)}",
        "spectral_norm": fixed(s1, 4),
        "normal": "yes" if normal else "no",
        "peak_norm": fixed(norms[peak_step], 4),
        "peak_step": str(peak_step),
        "last_norm": sci(math.log10(norms[n]), 3) if norms[n] > 0 else "0.000e+00",
        "transient_growth": "yes" if rho < 1.0 and norms[peak_step] > 1.0 else "no",
    }
