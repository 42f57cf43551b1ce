"""vgp._fontsubset: which characters a page's formulas set, and fonts cut down to them with
every kept glyph unchanged (outline and advance width: the formulas are laid out the same)."""

from __future__ import annotations

from pathlib import Path

import pytest
from fontTools.ttLib import TTFont

from vgp import _fontsubset

FONTS = Path(__file__).resolve().parent.parent / "docs" / "assets" / "katex" / "fonts"
SAMPLE = set("h≤1∂∑()x")


def _font(data: bytes) -> TTFont:
    import io

    return TTFont(io.BytesIO(data))


def _katex(html_inside: str) -> str:
    return ('<span class="katex"><span class="katex-mathml"><math><mi>m</mi>'
            '<annotation encoding="application/x-tex">\\mathrm{tex}</annotation></math></span>'
            f'<span class="katex-html" aria-hidden="true">{html_inside}</span></span>')


def test_formula_chars_reads_only_katex_visual_markup():
    first = _katex('<span class="base"><span class="mord">a</span>'
                   '<span class="vlist"><span>&amp;<br>b</span></span></span>')
    second = _katex('<span class="mord">&#x2202;</span>')
    page = f"<p>prose: q ∞</p>{first}<p>more prose z</p>{second}tail"
    assert _fontsubset.formula_chars(page) == {"a", "&", "b", "∂"}


def test_formula_chars_without_math_and_bad_input():
    assert _fontsubset.formula_chars("<p>no math</p>") == set()
    with pytest.raises(TypeError, match="page_html"):
        _fontsubset.formula_chars(b"<p></p>")
    with pytest.raises(ValueError, match="never closed"):
        _fontsubset.formula_chars('<span class="katex-html"><span>x</span>')


def test_site_chars_unions_pages_and_keeps_digits(tmp_path):
    (tmp_path / "a").mkdir()
    (tmp_path / "a" / "index.html").write_text(_katex('<span class="mord">α</span>'))
    (tmp_path / "index.html").write_text(_katex('<span class="mrel">≤</span>'))
    (tmp_path / "plain.html").write_text("<p>ω</p>")
    chars = _fontsubset.site_chars(tmp_path)
    assert {"α", "≤"} <= chars and "ω" not in chars
    assert _fontsubset.ALWAYS <= chars
    with pytest.raises(ValueError, match="site_dir"):
        _fontsubset.site_chars(tmp_path / "missing")


@pytest.mark.parametrize("name", ["KaTeX_Main-Regular", "KaTeX_Math-Italic", "KaTeX_Size1-Regular"])
def test_subset_keeps_exactly_the_asked_glyphs_unchanged(name):
    original = (FONTS / f"{name}.woff2").read_bytes()
    data = _fontsubset.subset_woff2(original, SAMPLE)
    assert data[:4] == b"wOF2" and len(data) < len(original)
    full, cut = _font(original), _font(data)
    full_cmap, cut_cmap = full.getBestCmap(), cut.getBestCmap()
    expected = {ord(c) for c in SAMPLE} & set(full_cmap)
    # Exactly the asked characters, plus what the font's own substitutions reach from them
    # (KaTeX_Main maps "≤" to "≥" for right-to-left mirroring).
    assert expected and expected <= set(cut_cmap) <= set(full_cmap)
    assert len(cut_cmap) <= 2 * len(expected) < len(full_cmap)
    for code in expected:
        g_full, g_cut = full_cmap[code], cut_cmap[code]
        assert full["hmtx"][g_full] == cut["hmtx"][g_cut]          # advance width, bearing
        full["glyf"][g_full].expand(full["glyf"])
        cut["glyf"][g_cut].expand(cut["glyf"])
        assert full["glyf"][g_full].getCoordinates(full["glyf"])[0] == \
            cut["glyf"][g_cut].getCoordinates(cut["glyf"])[0]      # outline
    assert full["head"].unitsPerEm == cut["head"].unitsPerEm
    assert full["hhea"].ascent == cut["hhea"].ascent and full["hhea"].descent == cut["hhea"].descent


def test_subset_woff2_rejects_bad_input():
    with pytest.raises(TypeError, match="font"):
        _fontsubset.subset_woff2("not bytes", SAMPLE)
    with pytest.raises(ValueError, match="chars"):
        _fontsubset.subset_woff2(b"x", set())


def test_subset_fonts_replaces_site_fonts_and_caches(tmp_path, monkeypatch):
    source, site, cache = tmp_path / "docs", tmp_path / "site", tmp_path / "cache"
    source.mkdir(), site.mkdir()
    for name in ("KaTeX_Size1-Regular", "KaTeX_Size2-Regular"):
        data = (FONTS / f"{name}.woff2").read_bytes()
        (source / f"{name}.woff2").write_bytes(data)
        (site / f"{name}.woff2").write_bytes(data)
    (site / "KaTeX_Size1-Regular.ttf").write_bytes(b"left alone")
    before, after = _fontsubset.subset_fonts(site, source, SAMPLE, cache)
    assert after < before == sum(p.stat().st_size for p in source.iterdir())
    assert (site / "KaTeX_Size1-Regular.ttf").read_bytes() == b"left alone"
    assert len(list(cache.glob("*.woff2"))) == 2
    first = (site / "KaTeX_Size1-Regular.woff2").read_bytes()

    # A second build with the same characters reads the cache and subsets nothing.
    def fail(*args):
        raise AssertionError("subset again")
    monkeypatch.setattr(_fontsubset, "subset_woff2", fail)
    restored = (source / "KaTeX_Size1-Regular.woff2").read_bytes()
    (site / "KaTeX_Size1-Regular.woff2").write_bytes(restored)
    assert _fontsubset.subset_fonts(site, source, SAMPLE, cache) == (before, after)
    assert (site / "KaTeX_Size1-Regular.woff2").read_bytes() == first
    monkeypatch.undo()

    # New characters: a new entry per font replaces the old one.
    _fontsubset.subset_fonts(site, source, SAMPLE | {"∫"}, cache)
    assert len(list(cache.glob("*.woff2"))) == 2
    assert 0x222B in _font((site / "KaTeX_Size1-Regular.woff2").read_bytes()).getBestCmap()


def test_subset_fonts_rejects_bad_input(tmp_path):
    with pytest.raises(ValueError, match="fonts_dir"):
        _fontsubset.subset_fonts(tmp_path / "no", tmp_path, SAMPLE, tmp_path)
    with pytest.raises(ValueError, match="source_dir"):
        _fontsubset.subset_fonts(tmp_path, tmp_path / "no", SAMPLE, tmp_path)
    with pytest.raises(ValueError, match="chars"):
        _fontsubset.subset_fonts(tmp_path, tmp_path, set(), tmp_path)
