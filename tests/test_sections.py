"""Lazy sections (vgp/_sections.py): which content is wrapped, and what is left alone."""

from __future__ import annotations

import re

import pytest

from vgp._sections import PART_PX, estimate_px, lazy_members, split_parts, wrap_sections

WRAP = re.compile(r'<div class="vgp-section" style="--vgp-section-height: (\d+)px">')


def test_each_top_level_heading_but_the_last_gets_a_lazy_section():
    html = ('<p>intro</p>\n<h2 id="a">A</h2>\n<p>one</p>\n<h3 id="a1">A.1</h3>\n<p>two</p>\n'
            '<h2 id="b">B</h2>\n<p>last</p>')
    out = wrap_sections(html, eager_px=0)
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
    out = wrap_sections(html, eager_px=0)
    assert len(WRAP.findall(out)) == 1
    assert '<div class="admonition"><h2>inside</h2>' in out


def test_adjacent_headings_get_no_empty_wrapper():
    out = wrap_sections('<h2 id="a">A</h2>\n<h3 id="b">B</h3><p>x</p><h2 id="c">C</h2><p>y</p>',
                        eager_px=0)
    assert len(WRAP.findall(out)) == 1
    assert '<h2 id="a">A</h2>\n<h3' in out


def test_void_and_self_closing_tags_keep_the_depth_right():
    html = '<p>a<br>b<img src="x.svg" alt="x"/></p><hr><h2 id="a">A</h2><p>c</p><h2 id="b">B</h2>'
    assert len(WRAP.findall(wrap_sections(html, eager_px=0))) == 1


def test_height_estimate_grows_with_content():
    short, long = estimate_px("<p>" + "x" * 100 + "</p>"), estimate_px("<p>" + "x" * 8000 + "</p>")
    assert 200 <= short < long
    code = "<pre><code>" + "line\n" * 40 + "</code></pre>"
    assert estimate_px(code) > estimate_px("<pre><code>line</code></pre>")
    assert estimate_px('<p><img src="a.svg" alt="a"></p>') > estimate_px("<p>a</p>")


def test_validates_content():
    with pytest.raises(TypeError, match="content"):
        wrap_sections(None)
    with pytest.raises(ValueError, match="eager_px"):
        wrap_sections("<p>x</p>", eager_px=-1)


def test_the_first_screen_stays_eager():
    """Parts that start within `eager_px` estimated pixels are not wrapped; the rest are,
    and removing the wrappers still gives back the input."""
    body = "".join(_para(100) for _ in range(12))           # about 200 px a paragraph
    html = f'<p>intro</p><h2 id="a">A</h2>{body}<h2 id="b">B</h2>{body}<h2 id="c">C</h2><p>end</p>'
    lazy, default = wrap_sections(html, eager_px=0), wrap_sections(html)
    assert 0 < len(WRAP.findall(default)) < len(WRAP.findall(lazy))
    first = default.index('<div class="vgp-section"')
    assert default[:first].startswith('<p>intro</p><h2 id="a">A</h2><p>')
    assert 2 <= default[:first].count("<p>") <= 5                 # about EAGER_PX of paragraphs
    assert WRAP.sub("", default).replace("</div>", "") == html


# --- API pages (mkdocstrings): lazy member bodies ---------------------------------------

LAZY = re.compile(r' vgp-section" style="--vgp-section-height: \d+px"')


def _member(name, body, kind="function"):
    return (f'<div class="doc doc-object doc-{kind}">\n<h2 id="{name}" class="doc doc-heading">'
            f'<code>{name}</code></h2>\n<div class="doc doc-contents ">\n{body}\n</div>\n</div>')


def _module(*members):
    return ('<div class="doc doc-object doc-module">\n<div class="doc doc-contents first">\n'
            '<p>The module.</p>\n<div class="doc doc-children">\n' + "\n".join(members)
            + '\n</div>\n</div>\n</div>')


def _lazy_names(out):
    return re.findall(r'<h2 id="(\w+)"[^>]*>.*?</h2>\n<div class="doc doc-contents vgp-section"', out)


def test_members_of_a_module_get_lazy_bodies_except_the_last():
    html = _module(*(_member(n, f"<p>{n} computes a thing.</p>") for n in ("a", "b", "c")))
    out = lazy_members(html)
    assert _lazy_names(out) == ["a", "b"]
    # nothing else changes (mkdocstrings' trailing space in the class aside); headings stay
    # outside the lazy blocks
    def same(text):
        return text.replace('doc-contents "', 'doc-contents"')
    assert same(LAZY.sub('"', out)) == same(html)


def test_a_class_with_member_headings_stays_eager_and_its_members_bodies_are_lazy():
    def attribute(name):
        return (f'<div class="doc doc-object doc-attribute"><h3 id="K_{name}">{name}</h3>'
                f'<div class="doc doc-contents "><p>the {name}</p></div></div>')
    klass = _member("K", '<p>A class.</p><div class="doc doc-children">'
                    + attribute("x") + attribute("y") + attribute("z") + '</div>', "class")
    out = lazy_members(_module(_member("f", "<p>f</p>"), klass, _member("g", "<p>g</p>")))
    assert _lazy_names(out) == ["f"]            # K's body holds headings: it stays eager
    # and so do g (the module's last member) and K.z (the class's last member)
    assert re.findall(r'<h3 id="(\w+)">\w</h3><div class="doc doc-contents vgp-section"',
                      out) == ["K_x", "K_y"]
    assert '<div class="doc doc-contents "><p>the z</p>' in out
    assert LAZY.sub('"', out).replace('doc-contents "', 'doc-contents"') == (
        _module(_member("f", "<p>f</p>"), klass, _member("g", "<p>g</p>"))
        .replace('doc-contents "', 'doc-contents"'))


def test_empty_bodies_stay_eager_and_each_module_keeps_its_last_member():
    one = _module(_member("a", ""), _member("b", "<p>b</p>"), _member("c", "<p>c</p>"))
    two = _module(_member("d", "<p>d</p>"), _member("e", "<p>e</p>"))
    assert _lazy_names(lazy_members(one + two)) == ["b", "d"]


def test_pages_without_api_blocks_are_unchanged():
    lesson = '<h2 id="a">A</h2><div class="vgp-section"><p>x</p></div><h2 id="b">B</h2><p>y</p>'
    assert lazy_members(lesson) == lesson
    with pytest.raises(TypeError, match="content"):
        lazy_members(b"<p>bytes</p>")


# --- long sections split into parts ------------------------------------------------------

def _para(words):
    return f"<p>{'word ' * words}</p>"


def test_long_sections_are_split_into_parts_that_join_back():
    body = "".join(_para(100) for _ in range(12))           # about 200 px a paragraph
    html = f'<h2 id="a">A</h2>{body}<h2 id="b">B</h2><p>end</p>'
    out = wrap_sections(html, eager_px=0)
    heights = [int(h) for h in WRAP.findall(out)]
    assert len(heights) >= 4 and all(h <= 2 * PART_PX for h in heights)
    assert WRAP.sub("", out).replace("</div>", "") == html
    assert "".join(split_parts(body)) == body


def test_parts_only_split_where_the_spacing_is_kept():
    math = '<div class="arithmatex">x</div>'
    box = '<div class="admonition note"><p>n</p></div>'
    code = '<div class="language-python highlight"><pre><code>x</code></pre></div>'
    blocks = [_para(100), math, math, box, _para(100), code, _para(100), code, math, _para(100)]
    parts = split_parts("".join(blocks), part_px=1)
    # cut: p|math (math's 1em is its own, inside), code|p and math|p; not math|math (0 on an
    # unwrapped page), not next to a box (1.5625em), not before code (its <pre> margin)
    assert parts == [blocks[0], "".join(blocks[1:6]), "".join(blocks[6:9]), blocks[9]]


def test_short_sections_stay_whole():
    assert split_parts(_para(10) + _para(10)) == [_para(10) + _para(10)]


def test_split_parts_validates_part_px():
    with pytest.raises(ValueError, match="part_px"):
        split_parts("<p>x</p>", part_px=0)
