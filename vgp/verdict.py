r"""Verdicts on the checked claims: the rule, and the table the "Claims checked" page shows.

A claim states a number with some significant figures ("3.49e-03" has three, "about 0.005"
one, "27,000" two: trailing zeros of an integer are not significant). It *holds* when the
recomputed value, rounded to that many significant figures, equals it. "About" adds no
further slack: the rounding already is the looseness the claim allows.

The claims themselves (`vgp.claims`) register here with `@claim`; `check` judges one,
`rows` all of them, and `markdown_table` / `notes_markdown` render the page's table and the
notes on the `wrong` rows (placed by hooks/claims.py through `expand_placeholders`).

>>> agrees("3.49e-03", 0.45 ** 10), agrees("0.00034", 0.45 ** 10)
(False, True)
"""

from __future__ import annotations

import importlib
import math
import re
from dataclasses import astuple, dataclass
from functools import lru_cache
from typing import Callable


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


@dataclass(frozen=True)
class Row:
    """One line of the table: verdict is exactly 'holds' or 'wrong'; note explains 'wrong'.

    `check` makes one per claim:

    >>> row = check("C05")
    >>> row.id, row.claimed, row.verdict, row.note
    ('C05', '117', 'holds', '')
    """

    id: str
    claim: str
    claimed: str
    recomputed: str
    verdict: str
    note: str


_REGISTRY: dict[str, tuple[str, str, Callable[[], tuple[str, bool, str]]]] = {}


def claim(id: str, text: str, claimed: str):
    r"""Register the function recomputing claim `id`; it returns (recomputed, holds, note).

    The verdict is $\text{holds} \iff$ the function's `holds` is true; `note` says what the
    error is and is shown only for `wrong` rows.

    >>> claim("C1", "x", "1")
    Traceback (most recent call last):
    ...
    ValueError: id must be a new 'Cnn', got 'C1'
    """
    if not re.fullmatch(r"C\d\d", id) or id in _REGISTRY:
        raise ValueError(f"id must be a new 'Cnn', got {id!r}")

    def register(fn):
        _REGISTRY[id] = (text, claimed, fn)
        return fn

    return register


def _load() -> None:
    importlib.import_module("vgp.claims")  # importing it registers every claim


def check(id: str) -> Row:
    r"""Recompute claim `id` and judge it: verdict = holds if the recomputed value agrees.

    >>> r = check("C05")                     # 1.1^50, claimed "about 117"
    >>> r.recomputed, r.verdict
    ('117.39', 'holds')
    """
    _load()
    if id not in _REGISTRY:
        raise ValueError(f"id must be one of {sorted(_REGISTRY)}, got {id!r}")
    text, claimed, fn = _REGISTRY[id]
    recomputed, holds, note = fn()
    return Row(id, text, claimed, recomputed, "holds" if holds else "wrong",
               "" if holds else note)


@lru_cache(maxsize=1)
def rows() -> tuple[Row, ...]:
    """Every claim, in order (computed once per process, and cached on disk on the code of
    `vgp.claims` and what it imports, so a build with unchanged code loads no torch).

    >>> [r.id for r in rows()][:3], len(rows())
    (['C01', 'C02', 'C03'], 26)
    """
    from vgp.cache import cached

    rows = cached("claims-rows", {}, _compute_rows, module="vgp.claims")["rows"]
    return tuple(Row(*r) for r in rows)


def _compute_rows(_config: dict) -> dict:
    _load()
    return {"rows": [list(astuple(check(id))) for id in sorted(_REGISTRY)]}


def markdown_table() -> str:
    """The table `ID | Claim | Claimed | Recomputed | Verdict`, one row per claim.

    >>> markdown_table().splitlines()[0]
    '| ID | Claim | Claimed | Recomputed | Verdict |'
    """
    esc = lambda s: s.replace("|", "\\|")  # noqa: E731
    lines = ["| ID | Claim | Claimed | Recomputed | Verdict |", "|---|---|---|---|---|"]
    lines += [f"| {r.id} | {esc(r.claim)} | {esc(r.claimed)} | {esc(r.recomputed)} | "
              f"{r.verdict} |" for r in rows()]
    return "\n".join(lines)


def notes_markdown() -> str:
    """A bullet per `wrong` row saying what the error is.

    >>> notes_markdown().splitlines()[0][:39]
    '- **C01**: $0.45^{10}$ = 3.405e-04: the'
    """
    return "\n".join(f"- **{r.id}**: {r.note}" for r in rows() if r.verdict == "wrong")


PLACEHOLDERS = {"claims_table": markdown_table, "claims_notes": notes_markdown}
_PLACEHOLDER_RE = re.compile(r"^\{\{ *(claims_table|claims_notes)\(\) *\}\}[ \t]*$", re.MULTILINE)


def expand_placeholders(markdown: str) -> str:
    """Replace each line `{{ claims_table() }}` / `{{ claims_notes() }}` with its rendering.

    >>> expand_placeholders("a\\n{{ claims_table() }}\\nb").splitlines()[1]
    '| ID | Claim | Claimed | Recomputed | Verdict |'
    """
    if not isinstance(markdown, str):
        raise TypeError(f"markdown must be a string, got {type(markdown).__name__}")
    return _PLACEHOLDER_RE.sub(lambda m: PLACEHOLDERS[m.group(1)](), markdown)
