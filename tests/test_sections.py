"""Lazy sections (vgp/_sections.py): which content is wrapped, and what is left alone."""

from __future__ import annotations

import re

import pytest

from vgp._sections import estimate_px, wrap_sections

WRAP = re.compile(r'<div class="vgp-section" style="--vgp-section-height: (\d+)px">')


def test_each_top_level_heading_but_the_last_gets_a_lazy_section():
    html = ('<p>intro</p>\n<h2 id="a">A</h2>\n<p>one</p>\n<h3 id="a1">A.1</h3>\n<p>two</p>\n'
            '<h2 id="b">B</h2>\n<p>last</p>')
    out = wrap_sections(html)
    assert len(WRAP.findall(out)) == 2
    # headings stay outside the wrappers, in their original order
    assert re.findall(r"<h[23] id=\"(\w+)\"", out) == ["a", "a1", "b"]
    assert out.startswith("<p>intro</p>\n<h2")          # text before the first heading stays
    assert out.endswith('<h2 id="b">B</h2>\n<p>last</p>')
    # removing the wrappers gives back the input exactly
    assert re.sub(r"</div>(?=<h)", "", WRAP.sub("", out)) == html


def test_headings_nested_in_blocks_do_not_split_sections():
    html = ('<h2 id="a">A</h2><div class="admonition"><h2>inside</h2><p>x</p></div>'
            '<details><summary>s</summary><h3>deep</h3></details><p>y</p><h2 id="b">B</h2>')
    out = wrap_sections(html)
    assert len(WRAP.findall(out)) == 1
    assert '<div class="admonition"><h2>inside</h2>' in out


def test_adjacent_headings_get_no_empty_wrapper():
    out = wrap_sections('<h2 id="a">A</h2>\n<h3 id="b">B</h3><p>x</p><h2 id="c">C</h2><p>y</p>')
    assert len(WRAP.findall(out)) == 1
    assert '<h2 id="a">A</h2>\n<h3' in out


def test_void_and_self_closing_tags_keep_the_depth_right():
    html = '<p>a<br>b<img src="x.svg" alt="x"/></p><hr><h2 id="a">A</h2><p>c</p><h2 id="b">B</h2>'
    assert len(WRAP.findall(wrap_sections(html))) == 1


def test_height_estimate_grows_with_content():
    short, long = estimate_px("<p>" + "x" * 100 + "</p>"), estimate_px("<p>" + "x" * 8000 + "</p>")
    assert 200 <= short < long
    code = "<pre><code>" + "line\n" * 40 + "</code></pre>"
    assert estimate_px(code) > estimate_px("<pre><code>line</code></pre>")
    assert estimate_px('<p><img src="a.svg" alt="a"></p>') > estimate_px("<p>a</p>")


def test_validates_content():
    with pytest.raises(TypeError, match="content"):
        wrap_sections(None)
