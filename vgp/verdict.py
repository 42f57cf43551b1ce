r"""The verdict rule of the "Claims checked" page: a claimed number holds to its stated precision.

A claim states a number with some significant figures ("3.49e-03" has three, "about 0.005"
one, "27,000" two: trailing zeros of an integer are not significant). It *holds* when the
recomputed value, rounded to that many significant figures, equals it. "About" adds no
further slack: the rounding already is the looseness the claim allows.

>>> agrees("3.49e-03", 0.45 ** 10), agrees("0.00034", 0.45 ** 10)
(False, True)
"""

from __future__ import annotations

import math
import re


def significant_figures(claimed: str) -> int:
    """Significant figures of a stated number: '3.49e-03' -> 3, '0.00018' -> 2, '27,000' -> 2.

    >>> [significant_figures(s) for s in ("3.49e-03", "0.00018", "27,000", "117", "1e-23")]
    [3, 2, 2, 3, 1]
    """
    if not isinstance(claimed, str):
        raise TypeError(f"claimed must be a string, got {type(claimed).__name__}")
    mantissa = claimed.replace(",", "").lower().split("e")[0].lstrip("+-")
    if not re.fullmatch(r"\d+(\.\d*)?|\.\d+", mantissa):
        raise ValueError(f"claimed must be a number, got {claimed!r}")
    digits = mantissa.replace(".", "").lstrip("0")
    if "." not in mantissa:
        digits = digits.rstrip("0")  # trailing zeros of an integer are not significant
    return max(len(digits), 1)


def agrees(claimed: str, value: float) -> bool:
    r"""True if `value` rounded to the claim's significant figures equals the claimed number.

    $$\text{holds} \iff \operatorname{round}_s(v) = c,\qquad s = \text{significant figures of } c.$$

    >>> agrees("117", 1.1 ** 50), agrees("27,000", 0.9 ** -98), agrees("0.005", 0.9 ** 50)
    (True, False, True)
    """
    stated = float(claimed.replace(",", ""))
    value = float(value)
    if not math.isfinite(value):
        raise ValueError(f"value must be finite, got {value}")
    rounded = float(f"{value:.{significant_figures(claimed) - 1}e}")
    return math.isclose(rounded, stated, rel_tol=1e-9, abs_tol=0.0)
