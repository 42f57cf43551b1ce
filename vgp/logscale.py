r"""Numbers and arrays kept as (normalised value, log10 scale) so they never underflow.

A product of $n$ factors that each shrink a vector by 0.5 has norm $0.5^n$, which is
below the smallest float64 (about $10^{-324}$) after $n \approx 1075$ steps and prints as
0. Keeping the value as a pair

$$
a = \hat a \cdot 10^{s}, \qquad \lVert \hat a \rVert = 1,
$$

and renormalising after every factor ($\hat a \leftarrow \hat a / \lVert \hat a\rVert$,
$s \leftarrow s + \log_{10}\lVert \hat a\rVert$) keeps $\hat a$ near 1 and moves the
magnitude into $s$, which is an ordinary float: $10^{-400}$ is stored as $s = -400$.

>>> from vgp.logscale import format_log10, normalise
>>> format_log10(-412.3)
'5.012e-413'
>>> v, s = normalise(np.array([3e-200, 4e-200]))
>>> v.tolist(), round(s, 6)
([0.6, 0.8], -199.30103)
"""

from __future__ import annotations

import math
import numbers

import numpy as np

from vgp._validate import as_array, integer

__all__ = ["format_log10", "split_log10", "normalise"]


def split_log10(x: float) -> tuple[float, int]:
    r"""Mantissa and exponent of $10^x$: $10^x = m \cdot 10^e$ with $1 \le m < 10$.

    Computed from $x$ alone, so it works far outside the float64 range.

    >>> m, e = split_log10(-412.3)
    >>> f"{m:.4f}", e
    ('5.0119', -413)
    """
    if isinstance(x, bool) or not isinstance(x, numbers.Real):
        raise TypeError(f"x must be a real number, got {type(x).__name__}")
    x = float(x)
    if not math.isfinite(x):
        raise ValueError(f"x must be finite, got {x}")
    e = math.floor(x)
    return 10.0 ** (x - e), int(e)


def format_log10(x: float, digits: int = 3) -> str:
    r"""Format $10^x$ in scientific notation without ever forming $10^x$ as a float.

    Gives the same string as ``f"{10**x:.{digits}e}"`` wherever that does not underflow
    or overflow, and the right one where it does. ``-inf`` (an exact zero, e.g. a dead
    ReLU path) is formatted as zero; ``nan`` and ``+inf`` as ``'nan'`` and ``'inf'``.

    >>> format_log10(-412.3), format_log10(0.0), format_log10(2.5, digits=1)
    ('5.012e-413', '1.000e+00', '3.2e+02')
    >>> format_log10(float("-inf"))
    '0.000e+00'
    """
    if isinstance(x, bool) or not isinstance(x, numbers.Real):
        raise TypeError(f"x must be a real number, got {type(x).__name__}")
    digits = integer("digits", digits, minimum=0, maximum=15)
    x = float(x)
    if math.isnan(x):
        return "nan"
    if x == math.inf:
        return "inf"
    if x == -math.inf:
        return f"{0.0:.{digits}e}"
    m, e = split_log10(x)
    text = f"{m:.{digits}f}"
    if float(text) >= 10.0:  # 9.9996 rounds up to 10.000: carry into the exponent
        e += 1
        text = f"{m / 10.0:.{digits}f}"
    return f"{text}e{'-' if e < 0 else '+'}{abs(e):02d}"


def normalise(a, *, ord=None) -> tuple[np.ndarray, float]:
    r"""Split an array into $\hat a = a / \lVert a \rVert$ and $\log_{10}\lVert a\rVert$.

    `ord` is passed to `numpy.linalg.norm` (default: 2-norm of a vector, Frobenius norm
    of a matrix). A zero array gives ``(zeros, -inf)``.

    >>> v, s = normalise(np.eye(2) * 1e-300)
    >>> f"{s:.6f}", f"{np.linalg.norm(v):.3f}"
    ('-299.849485', '1.000')
    """
    a = as_array("a", a)
    big = float(np.max(np.abs(a))) if a.size else 0.0
    if big == 0.0:
        return np.zeros_like(a), -math.inf
    b = a / big  # largest entry 1, so the sum of squares inside the norm cannot underflow
    n = float(np.linalg.norm(b, ord=ord))
    return b / n, math.log10(big) + math.log10(n)
