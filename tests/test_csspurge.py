"""vgp._csspurge: a rule is dropped only when one of its selectors' classes or attributes
appears nowhere on the site (HTML or JavaScript); everything else is kept as it was."""

from __future__ import annotations

import pytest

from vgp import _csspurge


def test_site_tokens_reads_html_classes_attributes_and_script_words(tmp_path):
    (tmp_path / "a").mkdir()
    (tmp_path / "a" / "index.html").write_text(
        '<div class="md-nav  md-nav--primary" data-md-level="0"><p id=x>text-only</p></div>'
        '<details open><summary>s</summary></details><input type="checkbox" checked>'
        '<script>el.classList.add("md-search-result__more")</script>')
    (tmp_path / "app.js").write_text('x.setAttribute("data-md-state","lock")')
    tokens = _csspurge.site_tokens(tmp_path)
    assert {"md-nav", "md-nav--primary", "data-md-level", "md-search-result__more",
            "data-md-state", "id", "open", "checked", "type"} <= tokens
    assert "text-only" not in tokens          # text of the page is not a class
    with pytest.raises(ValueError, match="site_dir"):
        _csspurge.site_tokens(tmp_path / "missing")


@pytest.mark.parametrize(("selector", "expected"), [
    (".used", True),
    ("p", True),
    (".used .unused", False),
    (".used:not(.unused)", True),             # matches without .unused
    (":is(.unused, p) .used", True),
    ("[data-used]", True),
    ("[data-unused=x]", False),
    ('a[href$=".unused"]', True),             # in a string, not a class
    ("::selection", True),
    (".used::before", True),
])
def test_selector_can_match(selector, expected):
    assert _csspurge.selector_can_match(selector, {"used", "data-used", "href"}) is expected


def test_purge_keeps_at_rules_and_drops_empty_groups():
    css = ("@charset \"utf-8\";:root{--x:1}.a,.b{color:red}"
           "@media screen and (min-width:76.25em){.b{top:0}.a{left:0}}"
           "@supports (display:grid){.b{display:grid}}"
           "@keyframes spin{0%{opacity:0}to{opacity:1}}"
           "@font-face{font-family:K;src:url(k.woff2)}.a{font-family:K}")
    out = _csspurge.purge(css, {"a"})
    assert ".a{color:red}" in out and ".b" not in out
    assert "@media screen and (min-width:76.25em){.a{left:0}}" in out
    assert "@supports" not in out
    assert "@keyframes spin{0%{opacity:0}to{opacity:1}}" in out
    assert "@font-face{font-family:K;src:url(k.woff2)}" in out
    assert ":root{--x:1}" in out
    # Purging again changes nothing; the kept rules keep their order.
    assert _csspurge.purge(out, {"a"}) == out
    assert out.startswith('@charset "utf-8";:root{--x:1}.a{color:red}@media')


def test_a_comment_inside_a_rule_followed_by_one_after_it_is_kept_whole():
    # the trailing comments cut from a rule's text end at their first */: a comment inside
    # the rule and one after it are not one comment (that cut the rule after `auto;`)
    css = (".a {\n  color: red;\n  /* inside */\n  top: 0;\n}\n/* after */\n"
           ".a:not([x]) { left: 0; }")
    out = _csspurge.purge(css, {"a"})
    assert out == ".a {\n  color: red;\n  /* inside */\n  top: 0;\n}.a:not([x]) { left: 0; }"


def test_font_faces_of_unnamed_families_go_and_kept_faces_keep_only_woff2():
    face = ('@font-face{{font-family:{0};font-weight:400;src:url(f/{0}.woff2) format("woff2"),'
            'url(f/{0}.woff) format("woff"),url(f/{0}.ttf) format("truetype")}}')
    css = (face.format("KaTeX_Main") + face.format("KaTeX_Fraktur") + face.format('"Quoted"')
           + "@font-face{font-family:Old;src:url(old.ttf) format(\"truetype\")}"
           + '.katex{font:normal 1.21em KaTeX_Main,Times New Roman,serif}'
           + '.q{font-family:"Quoted",sans-serif}.o{font-family:Old}')
    out = _csspurge.purge(css, {"katex", "q", "o"})
    assert "KaTeX_Fraktur" not in out                  # named by no kept rule
    assert ('@font-face{font-family:KaTeX_Main;font-weight:400;'
            'src:url(f/KaTeX_Main.woff2) format("woff2")}') in out
    assert 'src:url(f/"Quoted".woff2) format("woff2")}' in out
    assert '@font-face{font-family:Old;src:url(old.ttf) format("truetype")}' in out  # no WOFF2
    # a face named only by a rule that is purged goes too; a family in a page's style
    # attribute or a script (a token) keeps its face
    assert "KaTeX_Main" not in _csspurge.purge(css, {"q", "o"})
    assert "KaTeX_Fraktur" in _csspurge.purge(css, {"katex", "KaTeX_Fraktur"})
    assert _csspurge.purge(out, {"katex", "q", "o"}) == out


def test_site_tokens_take_font_families_from_style_attributes(tmp_path):
    (tmp_path / "a.html").write_text('<p style="color:red;font-family: KaTeX_Script, serif">x</p>')
    assert {"KaTeX_Script", "serif"} <= _csspurge.site_tokens(tmp_path)


def test_purge_rejects_bad_input():
    with pytest.raises(TypeError, match="css"):
        _csspurge.purge(b".a{}", set())
    with pytest.raises(TypeError, match="tokens"):
        _csspurge.purge(".a{}", ["a"])
    with pytest.raises(ValueError, match="does not parse"):
        _csspurge.purge(".a{}}", {"a"})
