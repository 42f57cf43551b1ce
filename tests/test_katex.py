"""Build-time math (vgp/_katex.py): what is replaced, what is left alone, caching, errors."""

from __future__ import annotations

import json
import re
import shutil

import pytest

from vgp import _katex

pytestmark = pytest.mark.skipif(shutil.which("node") is None, reason="needs Node.js")


@pytest.fixture
def renderer(tmp_path):
    r = _katex.Renderer(cache_dir=tmp_path)
    yield r
    r.close()


def test_arithmatex_inline_and_display_are_typeset(renderer):
    page = ('<p>A <span class="arithmatex">\\(h_t = \\tanh(W_{hh} h_{t-1})\\)</span> B</p>\n'
            '<div class="arithmatex">\\[\n\\rho(W) &lt; 1\n\\]</div>')
    out = _katex.typeset(page, renderer)
    assert out.startswith('<p>A <span class="arithmatex"><span class="katex">')
    assert '<div class="arithmatex"><span class="katex-display">' in out
    assert "\\(" not in out and "\\[" not in out
    # the TeX reached KaTeX unescaped: its MathML annotation holds the source
    assert '<annotation encoding="application/x-tex">\n\\rho(W) &lt; 1\n</annotation>' in out


def test_same_formula_as_katex_renders_it(renderer):
    [direct] = renderer.render_many([("x^2", False)])
    out = _katex.typeset('<span class="arithmatex">\\(x^2\\)</span>', renderer)
    assert out == f'<span class="arithmatex">{direct}</span>'


def test_notebook_dollar_math_outside_code_only(renderer):
    cell = ('<div class="jp-RenderedHTMLCommon jp-RenderedMarkdown jp-MarkdownOutput" '
            'data-mime-type="text/markdown"><p>Loss $L = \\sum_t \\ell_t$ and</p>'
            '<p>$$\\|W^n\\| \\le \\|W\\|^n$$</p><p><code>cost = $5$</code> costs \\$3</p>'
            '<div><p>nested $a_1$</p></div></div><p>outside $b$ stays</p>')
    out = _katex.typeset(cell, renderer)
    assert out.count('class="katex"') == 3          # two inline, one display
    assert out.count('class="katex-display"') == 1
    assert "<code>cost = $5$</code>" in out and "\\$3" in out
    assert out.endswith("</div><p>outside $b$ stays</p>")   # not a notebook cell
    assert "<div class=\"arithmatex\">" not in out   # notebook math never puts a div in a <p>


def test_page_without_math_is_returned_unchanged(renderer):
    page = "<p>no math, a price of $5 and <code>\\(</code></p>"
    assert _katex.typeset(page, renderer) is page
    assert renderer.started == 0


def test_cache_means_a_warm_build_starts_no_node(tmp_path):
    first = _katex.Renderer(cache_dir=tmp_path)
    html1 = first.render_many([("\\lambda_1", False), ("e^{-t}", True)])
    first.close()
    assert first.started == 1
    cached = json.loads(next(tmp_path.glob("*.json")).read_text())
    assert set(cached) == {"I\\lambda_1", "De^{-t}"}
    second = _katex.Renderer(cache_dir=tmp_path, node="/nonexistent/node")
    assert second.render_many([("e^{-t}", True), ("\\lambda_1", False)]) == html1[::-1]
    assert second.started == 0
    second.close()


def test_cache_is_keyed_on_the_katex_file(tmp_path):
    js = tmp_path / "katex.min.js"
    js.write_bytes(_katex.KATEX_JS.read_bytes() + b"\n// another build\n")
    other = _katex.Renderer(katex_js=js, cache_dir=tmp_path)
    assert other.cache_path.name != _katex.Renderer(cache_dir=tmp_path).cache_path.name


def test_damaged_cache_is_rebuilt(tmp_path):
    r = _katex.Renderer(cache_dir=tmp_path)
    r.cache_path.write_text("{not json")
    r2 = _katex.Renderer(cache_dir=tmp_path)
    assert len(r2) == 0
    assert 'class="katex"' in r2.render_many([("y", False)])[0]
    r2.close()


def test_invalid_tex_fails_naming_the_formula(renderer):
    with pytest.raises(_katex.KatexError, match=r"\\frac\{1\}"):
        _katex.typeset('<span class="arithmatex">\\(\\frac{1}\\)</span>', renderer)


def test_missing_node_is_a_clear_error(monkeypatch):
    monkeypatch.setattr(_katex.shutil, "which", lambda name: None)
    r = _katex.Renderer(cache_dir=None)
    with pytest.raises(RuntimeError, match="apt-get install nodejs"):
        r.render_many([("z", False)])


@pytest.mark.parametrize("bad, exc", [
    ("x", TypeError), ([("x", "yes")], TypeError), ([("x",)], TypeError), ([(1, True)], TypeError),
])
def test_render_many_validates_items(renderer, bad, exc):
    with pytest.raises(exc, match="items"):
        renderer.render_many(bad)


def test_typeset_validates_page_html(renderer):
    with pytest.raises(TypeError, match="page_html"):
        _katex.typeset(b"<p></p>", renderer)


def test_missing_katex_file_names_the_parameter(tmp_path):
    with pytest.raises(ValueError, match="katex_js"):
        _katex.Renderer(katex_js=tmp_path / "nope.js")


def test_pages_preload_the_katex_fonts_their_math_uses():
    page = ('<html><head><title>t</title></head><body><span class="katex">'
            '<span class="mop op-symbol large-op">∑</span><span class="mord mathnormal">x</span>'
            '</span></body></html>')
    out = _katex.font_preloads(page, "../../assets/katex/fonts/")
    head = out[:out.index("</head>")]
    assert re.findall(r'href="([^"]+)"', head) == [
        "../../assets/katex/fonts/KaTeX_Main-Regular.woff2",
        "../../assets/katex/fonts/KaTeX_Math-Italic.woff2",
        "../../assets/katex/fonts/KaTeX_Size2-Regular.woff2",
    ]
    assert head.count("crossorigin") == 3   # fonts are fetched in CORS mode: must match
    assert out[out.index("</head>"):] == page[page.index("</head>"):]
    for name, _ in _katex.FONT_MARKERS:   # every font named is vendored
        assert (_katex.ROOT / "docs" / "assets" / "katex" / "fonts" / f"{name}.woff2").is_file()
    with pytest.raises(ValueError, match="fonts_url"):
        _katex.font_preloads(page, "")
    with pytest.raises(TypeError, match="page_html"):
        _katex.font_preloads(b"<head></head>", "fonts")
