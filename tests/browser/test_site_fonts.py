"""The built site's KaTeX fonts: cut down (vgp._fontsubset), yet holding every character that
any page's formulas set, so no formula falls back to another font."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from fontTools.ttLib import TTFont

from vgp import _fontsubset

pytestmark = pytest.mark.site

VENDORED = Path(__file__).resolve().parents[2] / "docs" / "assets" / "katex" / "fonts"


def test_site_fonts_hold_every_formula_character(built_site):
    chars = _fontsubset.site_chars(built_site)
    fonts = sorted((built_site / "assets" / "katex" / "fonts").glob("*.woff2"))
    assert len(fonts) == len(list(VENDORED.glob("*.woff2")))
    saved = 0
    for font in fonts:
        original = (VENDORED / font.name).read_bytes()
        full = TTFont(io.BytesIO(original)).getBestCmap()
        cut = TTFont(io.BytesIO(font.read_bytes())).getBestCmap()
        wanted = {ord(c) for c in chars} & set(full)
        missing = "".join(sorted(chr(c) for c in wanted - set(cut)))
        assert not missing, f"{font.name} lacks {missing!r}, which the site's formulas set"
        assert set(cut) <= set(full)
        saved += len(original) - font.stat().st_size
    main = built_site / "assets" / "katex" / "fonts" / "KaTeX_Main-Regular.woff2"
    assert main.stat().st_size < (VENDORED / main.name).stat().st_size / 2
    assert saved > 0
