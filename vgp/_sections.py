"""Long pages rendered lazily: the content under each top-level heading (`<h2>` to `<h6>`)
goes into a `<div class="vgp-section">` that the site's CSS gives `content-visibility: auto`.

A lesson holds thousands of elements (typeset math, highlighted doctests). Without this, the
browser styles and lays out all of them before the first paint, and again each time the
theme's script measures the page. With it, sections outside the viewport are skipped until
the reader scrolls near them; find-in-page, anchors and printing still see the whole page.

The headings stay outside the wrappers, so the table of contents and the search index see
the same structure as before, and measuring a heading's position (the theme does it for
every heading in the table of contents) never forces a skipped section to be laid out.
Each wrapper carries an estimate of its height (`--vgp-section-height`, used by the CSS
rule's `contain-intrinsic-size`), so the scrollbar is about right before a section is
rendered; once rendered, the browser remembers the real height (`auto`).
"""

from __future__ import annotations

import re

_VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source",
         "track", "wbr"}
_HEADINGS = {"h2", "h3", "h4", "h5", "h6"}
_TAG = re.compile(r"<[^>]+>")
LINE_PX = 27          # one line of body text (Material: 0.8rem at line height 1.6, plus slack)
CHARS_PER_LINE = 80   # characters per line at the content width of a desktop layout
MIN_PX = 200


# Tags, comments and raw-text elements of the page body; the content comes from Markdown and
# the theme's templates, so attribute values never hold a raw ">" (it is escaped as &gt;).
_TOKENS = re.compile(r"<!--.*?-->|<(script|style|pre)\b.*?</\1>|<(/?)([a-zA-Z][a-zA-Z0-9]*)\b[^>]*?(/?)>",
                     re.DOTALL)


def _top_level_headings(text: str) -> list[tuple[int, int]]:
    """Offsets (start of `<hN`, end of `</hN>`) of the h2-h6 elements at nesting depth 0."""
    depth, spans, open_at = 0, [], None
    for m in _TOKENS.finditer(text):
        closing, tag, selfclosing = m.group(2), (m.group(3) or "").lower(), m.group(4)
        if not tag or tag in _VOID or selfclosing:
            continue                        # comment, raw-text element, void or <x/> tag
        if closing:
            depth = max(depth - 1, 0)
            if tag in _HEADINGS and depth == 0 and open_at is not None:
                spans.append((open_at, m.end()))
                open_at = None
        else:
            if tag in _HEADINGS and depth == 0:
                open_at = m.start()
            depth += 1
    return spans


def estimate_px(fragment: str) -> int:
    """Rough rendered height of an HTML fragment at desktop width, in pixels.

    >>> estimate_px("<p>" + "word " * 160 + "</p>")   # 800 characters: 10 lines + a margin
    286
    """
    code_lines = sum(block.count("\n") + 1 for block in re.findall(r"<pre\b.*?</pre>", fragment,
                                                                    flags=re.DOTALL))
    prose = re.sub(r"<pre\b.*?</pre>|<span class=\"katex-mathml\">.*?</span>", " ", fragment,
                   flags=re.DOTALL)
    text_lines = len(_TAG.sub("", prose)) / CHARS_PER_LINE
    blocks = len(re.findall(r"<(?:p|li|tr|h3|h4|div class=\"arithmatex\")\b", fragment))
    images = len(re.findall(r"<img\b", fragment))
    px = LINE_PX * (text_lines + 0.9 * code_lines) + 0.6 * LINE_PX * blocks + 380 * images
    return max(MIN_PX, round(px))


def wrap_sections(content: str) -> str:
    """Wrap what follows each top-level heading (up to the next one) in a lazy section.

    >>> html = "<p>intro</p><h2 id='a'>A</h2><p>one</p><h2 id='b'>B</h2><p>two</p>"
    >>> out = wrap_sections(html)
    >>> out.count('<div class="vgp-section"'), out.startswith("<p>intro</p><h2 id='a'>A</h2><div")
    (1, True)
    >>> out.endswith("<h2 id='b'>B</h2><p>two</p>")     # the last section is never lazy
    True
    >>> wrap_sections("<p>no headings</p>")
    '<p>no headings</p>'
    """
    if not isinstance(content, str):
        raise TypeError(f"content must be str, got {type(content).__name__}")
    spans = _top_level_headings(content)
    if not spans:
        return content
    out, pos = [], 0
    nexts = [start for start, _ in spans[1:]] + [len(content)]
    for i, ((start, end), stop) in enumerate(zip(spans, nexts)):
        out.append(content[pos:end])
        body = content[end:stop]
        # The last section stays eager: a skipped section whose height is underestimated
        # would overlap the footer in the geometry that accessibility checkers read
        # (axe-core issue 2768); inside the article an overlap only meets the same background.
        if body.strip() and i < len(spans) - 1:
            out.append(f'<div class="vgp-section" style="--vgp-section-height: '
                       f'{estimate_px(body)}px">{body}</div>')
        else:
            out.append(body)
        pos = stop
    out.append(content[pos:])
    return "".join(out)
