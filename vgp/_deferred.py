"""Long pages in two files: the page, and its later parts fetched after it has loaded.

A long lesson is most of a megabyte of HTML (typeset math is markup-heavy), and the browser
reads all of it before the page can respond: it scans the whole document when the response
arrives and builds every element of it, in slices of the main thread a phone takes tens of
milliseconds each. Lighthouse's mobile run counts those slices after the first paint as
blocking time (CONTRIBUTING.md, "Page speed").

So a page whose lazy blocks (`vgp-section`, `vgp._sections`) past the first `KEEP_CHARS`
characters of its article hold more than `MIN_DEFERRED` characters of HTML ships those
blocks empty, each still with its estimated height, and their content goes into
`parts.<hash>.html` beside the page.
`docs/javascripts/parts.js` fetches that file once the page has loaded and puts each block's
content back, a few milliseconds of the main thread at a time. Everything else stays in the
page: headings (so the table of contents, the search index and links to a heading work at
once), the first screens and the page's last part.

The parts file is also a readable page for a browser without JavaScript (linked from a
`<noscript>` note in the first emptied block): the page's stylesheets, and the emptied
blocks' content in order with the headings between them. Each block's content sits between
`<!--vgp-part:K-->` and `<!--/vgp-part:K-->`, byte for byte as it was in the page
(`restore` puts it back the way parts.js does; tests/test_deferred.py checks the round trip).
"""

from __future__ import annotations

import hashlib
import html as _html
import re

from vgp._sections import _blocks, _tags

KEEP_CHARS = 24_000     # of the article's HTML, always kept: two screens of a phone and more
MIN_DEFERRED = 24_000   # a page is split only when that moves at least this many characters
CHUNK_CHARS = 8_000     # parts.js puts a block back in pieces of about this size at most
META = '<meta name="vgp-parts" content="{name}">'
CUT, INTO = "<!--vgp-cut-->", "<!--vgp-in-->"   # piece marks inside a block (`_cut`)
_CLASS = re.compile(r'\bclass="([^"]*)"')
_HEADING = re.compile(r"<h([2-6])\b[^>]*>.*?</h\1>", re.DOTALL)
_STYLESHEET = re.compile(r'<link rel="stylesheet"[^>]*>')
_NOTE = ('<noscript><p class="vgp-parts-note">This page shows its later sections with JavaScript. '
         'Without it, <a href="{name}">read them on their own page</a>.</p></noscript>')


def _lazy_blocks(page: str, start: int, end: int) -> list[tuple[int, int, int, int]]:
    """(start, end of opening tag, start of closing tag, end) of each `vgp-section` div of
    page[start:end] that is not inside another one."""
    out, stack = [], []   # stack: [is a lazy block, start, end of opening tag] per open element
    for m, closing, tag in _tags(page[start:end]):
        if closing:
            if not stack:
                continue
            lazy, at, body = stack.pop()
            if lazy and not any(entry[0] for entry in stack):
                out.append((start + at, start + body, start + m.start(), start + m.end()))
        else:
            classes = _CLASS.search(m.group(0))
            lazy = tag == "div" and bool(classes) and "vgp-section" in classes.group(1).split()
            stack.append((lazy, m.start(), m.end()))
    return out


def split(page: str, script_src: str, *, keep_chars: int = KEEP_CHARS,
          min_deferred: int = MIN_DEFERRED) -> tuple[str, str, str] | None:
    """The page with its later lazy blocks emptied, the parts file's name and its HTML;
    None when the page is short enough to stay whole.

    `script_src` is the URL of parts.js relative to the page.

    >>> body = lambda n: "<p>" + "Q" * n + "</p>"
    >>> block = lambda n: (f'<div class="vgp-section" style="--vgp-section-height: 300px">'
    ...                    + body(n) + "</div>")
    >>> page = ('<html lang="en"><head><title>T</title></head><body><article class="md-typeset">'
    ...         + block(30) + '<h2 id="b">B</h2>' + block(40) + block(50)
    ...         + '</article></body></html>')
    >>> split(page, "js/parts.js", keep_chars=10, min_deferred=200) is None
    True
    >>> short, name, parts = split(page, "js/parts.js", keep_chars=10, min_deferred=50)
    >>> name
    'parts.fde91b0acd.html'
    >>> short.count("Q"), parts.count("Q")     # the first block stays
    (30, 90)
    >>> restore(short, parts) == page
    True
    """
    if not isinstance(page, str):
        raise TypeError(f"page must be str, got {type(page).__name__}")
    if not isinstance(script_src, str) or not script_src:
        raise TypeError("script_src must be a non-empty str")
    for label, value in (("keep_chars", keep_chars), ("min_deferred", min_deferred)):
        if isinstance(value, bool) or not isinstance(value, int):
            raise TypeError(f"{label} must be an int, got {type(value).__name__}")
        if value < 0:
            raise ValueError(f"{label} must be >= 0, got {value}")
    if META.split("{")[0] in page:
        raise ValueError("page is already split (it has a vgp-parts meta tag)")
    article = re.search(r"<article\b[^>]*>", page)
    end = page.rfind("</article>")
    if article is None or end < article.end() or "</head>" not in page:
        return None
    blocks = [b for b in _lazy_blocks(page, article.end(), end)
              if b[0] - article.end() >= keep_chars and b[2] > b[1]]
    if sum(b[2] - b[1] for b in blocks) < min_deferred:
        return None

    pieces, parts, pos = [], [], article.end()
    for k, (start, body, close, _end) in enumerate(blocks):
        gap = page[pos:start]
        pieces.append(gap)
        parts.extend(h.group(0) for h in _HEADING.finditer(gap) if k)
        pieces.append(page[start:body - 1] + f' data-vgp-part="{k}">')
        if k == 0:    # inside the block, so that no selector sees an extra sibling
            pieces.append(_NOTE)
        parts.append(f'<div class="vgp-section"><!--vgp-part:{k}-->{_cut(page[body:close])}'
                     f'<!--/vgp-part:{k}--></div>')
        pos = close
    pieces.append(page[pos:])
    parts_html = _parts_document(page, "\n".join(parts))
    name = "parts." + hashlib.sha256(parts_html.encode()).hexdigest()[:10] + ".html"

    short = (page[:article.end()] + "".join(pieces)).replace(_NOTE, _NOTE.format(name=name), 1)
    head = (META.format(name=name)
            + f'<script src="{_html.escape(script_src)}" defer></script></head>')
    short = short.replace("</head>", head, 1)
    return short, name, parts_html


def _parts_document(page: str, body: str) -> str:
    """The parts file: a page of its own with the page's language, title and stylesheets."""
    lang = re.search(r'<html\b[^>]*\blang="([^"]*)"', page)
    title = re.search(r"<title>(.*?)</title>", page, re.DOTALL)
    title = title.group(1) if title else ""
    head = "".join(_STYLESHEET.findall(page[:page.index("</head>")]))
    return ('<!doctype html>\n'
            f'<html lang="{lang.group(1) if lang else "en"}"><head><meta charset="utf-8">'
            '<meta name="viewport" content="width=device-width,initial-scale=1">'
            '<meta name="robots" content="noindex">'
            f'<title>{title} (continued)</title>{head}</head>\n'
            '<body><main class="md-main"><div class="md-main__inner md-grid">'
            '<div class="md-content"><article class="md-content__inner md-typeset">'
            f'<p><a href="./">{title}</a>, continued.</p>\n{body}\n'
            '</article></div></div></main></body></html>\n')


def _cut(body: str, chunk: int = CHUNK_CHARS) -> str:
    """`body` with marks where parts.js may stop and let the page respond: `CUT` between
    top-level elements, about every `chunk` characters; in a longer list, `INTO` before items
    (the pieces after it go into the list, the element the piece before ended with), and
    `CUT` after the list. Removing the marks gives back `body`.

    >>> _cut("<p>a</p><p>b</p><p>c</p>", chunk=16)
    '<p>a</p><p>b</p><!--vgp-cut--><p>c</p>'
    >>> _cut("<ol><li>one</li><li>two</li></ol><p>after</p>", chunk=12)
    '<ol><li>one</li><!--vgp-in--><li>two</li></ol><!--vgp-cut--><p>after</p>'
    """
    out, pos, size = [], 0, 0
    for start, end in _blocks(body):
        if size and size + end - start > chunk:
            out += [body[pos:start], CUT]
            pos, size = start, 0
        opening = re.match(r"<(ol|ul)\b[^>]*>", body[start:end])
        if opening is None or end - start <= chunk:
            size += end - start
            continue
        inner = start + opening.end()
        items, filled = _blocks(body[inner:end]), size + opening.end()
        for a, b in items:
            if filled and filled + b - a > chunk and a:
                out += [body[pos:inner + a], INTO]
                pos, filled = inner + a, 0
            filled += b - a
        out += [body[pos:end], CUT]
        pos, size = end, 0
    out.append(body[pos:])
    return "".join(out)


def part_contents(parts_html: str) -> dict[int, str]:
    """Each emptied block's content, by its number, as it was in the page."""
    return {int(m.group(1)): m.group(2).replace(CUT, "").replace(INTO, "") for m in
            re.finditer(r"<!--vgp-part:(\d+)-->(.*?)<!--/vgp-part:\1-->", parts_html, re.DOTALL)}


def restore(short: str, parts_html: str) -> str:
    """The page as it was before `split`: what parts.js does in the browser, as a string."""
    contents = part_contents(parts_html)
    page = re.sub(r'<noscript><p class="vgp-parts-note">.*?</noscript>', "", short, count=1,
                  flags=re.DOTALL)
    page = re.sub(r'<meta name="vgp-parts" content="[^"]*"><script src="[^"]*" defer></script>',
                  "", page, count=1)
    return re.sub(r' data-vgp-part="(\d+)">', lambda m: ">" + contents.pop(int(m.group(1))),
                  page)
