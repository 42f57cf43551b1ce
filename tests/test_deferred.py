"""Long pages in two files (vgp/_deferred.py, hooks/deferred.py): what moves, what stays,
and that putting the parts back (as docs/javascripts/parts.js does) gives the page back."""

from __future__ import annotations

import importlib.util
import re
import types
from pathlib import Path

import pytest

from vgp import _deferred
from vgp._deferred import part_contents, restore, split

ROOT = Path(__file__).resolve().parents[1]


def block(text: str, n: int = 1) -> str:
    return f'<div class="vgp-section" style="--vgp-section-height: 300px"><p>{text * n}</p></div>'


def page(article: str) -> str:
    return ('<!doctype html>\n<html lang="en" class="no-js"><head><meta charset="utf-8">'
            '<title>Eigenvalues - vgp</title><link rel="stylesheet" href="../../a.css">'
            '<link rel="preload" href="../../f.woff2" as="font"></head>\n<body><main>'
            '<article class="md-content__inner md-typeset">' + article
            + '</article></main><footer>f</footer></body></html>\n')


LONG = page("<h1>T</h1>" + block("a", 50) + '<h2 id="s1">One</h2>' + block("b", 400)
            + block("c", 400) + '<h2 id="s2">Two</h2><p>eager</p>' + block("d", 400)
            + '<h2 id="s3">Last</h2><p>end</p>')


def test_later_blocks_move_and_the_page_comes_back():
    short, name, parts = split(LONG, "../../javascripts/parts.js", keep_chars=100,
                               min_deferred=500)
    assert restore(short, parts) == LONG
    assert re.fullmatch(r"parts\.[0-9a-f]{10}\.html", name)
    assert "a" * 50 in short                      # the first block is within keep_chars
    for letter in "bcd":
        assert letter * 400 not in short and letter * 400 in parts
    assert part_contents(parts) == {0: "<p>" + "b" * 400 + "</p>", 1: "<p>" + "c" * 400 + "</p>",
                                    2: "<p>" + "d" * 400 + "</p>"}
    # the emptied blocks keep their class and estimated height, numbered in page order
    assert re.findall(r'<div class="vgp-section" style="--vgp-section-height: 300px" '
                      r'data-vgp-part="(\d)">', short) == ["0", "1", "2"]
    # headings, eager blocks and the last section stay in the page
    for kept in ('<h2 id="s1">One</h2>', '<h2 id="s2">Two</h2><p>eager</p>', "<p>end</p>"):
        assert kept in short
    # the head names the parts file and loads parts.js
    assert (f'<meta name="vgp-parts" content="{name}"><script src="../../javascripts/parts.js"'
            ' defer></script></head>') in short


def test_no_script_readers_get_a_note_inside_the_first_emptied_block():
    short, name, _ = split(LONG, "p.js", keep_chars=100, min_deferred=500)
    note = re.search(r'data-vgp-part="0">(<noscript>.*?</noscript>)</div>', short).group(1)
    assert f'<a href="{name}">' in note
    assert short.count("<noscript>") == 1


def test_the_parts_file_is_a_page_of_its_own():
    _, _, parts = split(LONG, "p.js", keep_chars=100, min_deferred=500)
    assert parts.startswith("<!doctype html>\n<html lang=\"en\">")
    assert "<title>Eigenvalues - vgp (continued)</title>" in parts
    assert '<meta name="robots" content="noindex">' in parts
    assert '<link rel="stylesheet" href="../../a.css">' in parts      # same folder as the page
    assert "f.woff2" not in parts                                    # only stylesheets
    assert '<a href="./">Eigenvalues - vgp</a>' in parts
    # the headings between emptied blocks, in order, so that it reads as the page does
    assert re.findall(r'<h2 id="(\w+)">', parts) == ["s2"]
    assert parts.index("c" * 400) < parts.index('id="s2"') < parts.index("d" * 400)


def test_short_pages_stay_whole():
    assert split(LONG, "p.js", keep_chars=100, min_deferred=10_000) is None
    assert split(LONG, "p.js", keep_chars=10_000, min_deferred=1) is None
    assert split("<html><head></head><body><p>no article</p></body></html>", "p.js") is None


def test_only_outermost_lazy_blocks_move():
    inner = '<div class="doc doc-contents vgp-section" style="x"><p>' + "i" * 300 + "</p></div>"
    outer = ('<div class="vgp-section" style="--vgp-section-height: 300px"><div class="doc">'
             + inner + "</div></div>")
    html = page("<p>intro</p>" + outer + "<p>tail</p>")
    short, _, parts = split(html, "p.js", keep_chars=5, min_deferred=10)
    assert short.count("data-vgp-part=") == 1
    assert part_contents(parts)[0] == '<div class="doc">' + inner + "</div>"
    assert restore(short, parts) == html


def test_api_members_move_too():
    member = ('<div class="doc doc-object"><h3 id="f">f</h3><div class="doc doc-contents '
              'vgp-section" style="--vgp-section-height: 200px"><p>' + "m" * 600
              + "</p></div></div>")
    html = page("<p>module</p>" + member + member.replace('"f"', '"g"'))
    short, _, parts = split(html, "p.js", keep_chars=0, min_deferred=100)
    assert short.count("data-vgp-part=") == 2 and restore(short, parts) == html
    assert '<h3 id="g">' in parts and '<h3 id="f">' not in parts   # between the two


def test_the_parts_file_name_follows_its_content():
    a = split(LONG, "p.js", keep_chars=100, min_deferred=500)[1]
    b = split(LONG.replace("d" * 400, "e" * 400), "p.js", keep_chars=100, min_deferred=500)[1]
    assert a != b


def test_bad_input():
    with pytest.raises(TypeError, match="page must be str"):
        split(b"<html>", "p.js")
    with pytest.raises(TypeError, match="script_src"):
        split(LONG, "")
    with pytest.raises(TypeError, match="keep_chars must be an int"):
        split(LONG, "p.js", keep_chars=True)
    with pytest.raises(TypeError, match="min_deferred must be an int"):
        split(LONG, "p.js", min_deferred=1.5)
    with pytest.raises(ValueError, match="keep_chars must be >= 0"):
        split(LONG, "p.js", keep_chars=-1)
    short = split(LONG, "p.js", keep_chars=100, min_deferred=500)[0]
    with pytest.raises(ValueError, match="already split"):
        split(short, "p.js")


def _hook():
    spec = importlib.util.spec_from_file_location("deferred_hook", ROOT / "hooks" / "deferred.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_hook_writes_the_parts_file_beside_the_page_and_drops_stale_ones(tmp_path, monkeypatch):
    hook = _hook()
    # the hook uses the defaults: make this small page count as long
    monkeypatch.setattr(_deferred.split, "__kwdefaults__", {"keep_chars": 100, "min_deferred": 500})
    config = types.SimpleNamespace(site_dir=str(tmp_path))
    dest = types.SimpleNamespace(dest_uri="lessons/eigenvalues/index.html")
    pg = types.SimpleNamespace(url="lessons/eigenvalues/", file=dest)
    folder = tmp_path / "lessons" / "eigenvalues"
    folder.mkdir(parents=True)
    (folder / "parts.0000000000.html").write_text("stale")
    hook.on_pre_build(config)
    out = hook.on_post_page(LONG, pg, config)
    files = sorted(p.name for p in folder.iterdir())
    assert len(files) == 1 and files[0] in out
    assert '<script src="../../javascripts/parts.js" defer>' in out
    assert restore(out, (folder / files[0]).read_text(encoding="utf-8")) == LONG
    short_page = page("<p>short</p>")
    assert hook.on_post_page(short_page, pg, config) == short_page


def test_long_blocks_are_put_back_in_pieces():
    """A block's content carries marks where parts.js may stop (`_cut`): between top-level
    elements, and between the items of a long list; the pieces are small, and without the
    marks the content is unchanged."""
    items = "".join(f"\n<li><p>{'w' * 1500} {i}</p></li>" for i in range(12))
    body = ("".join(f"<p>{'p' * 900}</p>\n" for i in range(20))
            + f'<ol start="3">{items}\n</ol>\n<p>end</p>')
    html = page("<p>intro</p>" + '<div class="vgp-section" style="x">' + body + "</div>")
    short, _, parts = split(html, "p.js", keep_chars=5, min_deferred=10)
    assert restore(short, parts) == html and part_contents(parts)[0] == body
    marked = _deferred._cut(body, chunk=4000)
    assert marked.replace(_deferred.CUT, "").replace(_deferred.INTO, "") == body
    cuts = marked.split(_deferred.CUT)
    pieces = [p for cut in cuts for p in cut.split(_deferred.INTO)]
    assert max(len(p) for p in pieces) <= 4000
    assert marked.count(_deferred.INTO) >= 4                 # the list's items, a few at a time
    list_cut = next(c for c in cuts if _deferred.INTO in c)
    assert list_cut.split(_deferred.INTO)[0].lstrip().startswith('<ol start="3">')
    assert list_cut.endswith("</ol>")                        # nothing after the list goes into it
