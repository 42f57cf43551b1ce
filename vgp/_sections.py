"""Long pages rendered lazily: the content under each top-level heading (`<h2>` to `<h6>`)
goes into a `<div class="vgp-section">` that the site's CSS gives `content-visibility: auto`.
On API pages (mkdocstrings), where every heading is nested, the body of each member of a
module gets the same class instead (`lazy_members`).

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

A section is rendered whole as soon as any part of it nears the viewport, so one long
section on the first screen (a derivation, three screens of a phone) costs its full layout
before the page is usable. Sections longer than `PART_PX` are therefore split into several
wrappers, only between top-level blocks whose margins collapse to 1em (paragraphs, lists,
figures, and display math or a code block next to one of those): the CSS puts exactly that
between two wrappers, so the spacing matches an unwrapped page.

What starts on the first screen (`EAGER_PX`, estimated) is not wrapped: it is rendered at
once anyway, and a lazy placeholder there could be painted at its estimated height before
its content replaced it, a layout shift the reader sees (Lighthouse measured one on the
glossary).
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
PART_PX = 300         # a longer section is split into lazy parts of about this estimated height
# About what a first screen shows (a 412x823 phone, where text wraps into more lines than this
# desktop-width estimate counts; a laptop): blocks that start above this estimated offset stay
# eager. They are rendered at once anyway, and a lazy placeholder there can be painted at its
# estimated height before the real content replaces it (a layout shift). Larger values make
# more of a math-heavy page eager (1000 tripled the gating lesson's eager elements).
EAGER_PX = 600
TOP_PX = 4 * LINE_PX  # the theme's header above the article
# Where a section may be split: between two top-level blocks whose margins collapse to 1em on
# an unwrapped page, the gap the CSS puts between two parts (whose first and last children
# lose their margins). Paragraphs, lists and figures have margins of 1em; a code block's is
# on its <pre> (zeroed by the last-child rule, so it may only end a part); display math has
# none of its own (its 1em is inside its scrolling <div>), so it needs one of the others
# next to it.
_ONE_EM = re.compile(r"<(?:p|ul|ol|figure)\b")
_CODE = re.compile(r'<div class="(?:[^"]* )?highlight"')
_MATH = re.compile(r'<div class="arithmatex"')


def _may_split(body: str, before: int, after: int) -> bool:
    """May a part end after the block at `before` and the next one start at `after`?"""
    if _ONE_EM.match(body, after):
        return bool(_ONE_EM.match(body, before) or _CODE.match(body, before)
                    or _MATH.match(body, before))
    return bool(_MATH.match(body, after) and _ONE_EM.match(body, before))


# Tags, comments and raw-text elements of the page body; the content comes from Markdown and
# the theme's templates, so attribute values never hold a raw ">" (it is escaped as &gt;).
_TOKENS = re.compile(r"<!--.*?-->|<(script|style|pre)\b.*?</\1>|<(/?)([a-zA-Z][a-zA-Z0-9]*)\b[^>]*?(/?)>",
                     re.DOTALL)


def _tags(text: str):
    """(match, is closing, tag name) for each opening or closing tag of an element with content:
    comments, raw-text elements (script, style, pre), void and `<x/>` tags are passed over."""
    for m in _TOKENS.finditer(text):
        closing, tag, selfclosing = m.group(2), (m.group(3) or "").lower(), m.group(4)
        if tag and tag not in _VOID and not selfclosing:
            yield m, bool(closing), tag


def _top_level_headings(text: str) -> list[tuple[int, int]]:
    """Offsets (start of `<hN`, end of `</hN>`) of the h2-h6 elements at nesting depth 0."""
    depth, spans, open_at = 0, [], None
    for m, closing, tag in _tags(text):
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
    return max(MIN_PX, round(_raw_px(fragment)))


def _raw_px(fragment: str) -> float:
    code_lines = sum(block.count("\n") + 1 for block in re.findall(r"<pre\b.*?</pre>", fragment,
                                                                    flags=re.DOTALL))
    prose = re.sub(r"<pre\b.*?</pre>|<span class=\"katex-mathml\">.*?</span>", " ", fragment,
                   flags=re.DOTALL)
    text_lines = len(_TAG.sub("", prose)) / CHARS_PER_LINE
    blocks = len(re.findall(r"<(?:p|li|tr|h3|h4|div class=\"arithmatex\")\b", fragment))
    images = len(re.findall(r"<img\b", fragment))
    return LINE_PX * (text_lines + 0.9 * code_lines) + 0.6 * LINE_PX * blocks + 380 * images


def _blocks(body: str) -> list[tuple[int, int]]:
    """(start, end) of each top-level element of `body`; text between them is not listed."""
    depth, out, start = 0, [], None
    for m, closing, _tag in _tags(body):
        if closing:
            depth = max(depth - 1, 0)
            if depth == 0 and start is not None:
                out.append((start, m.end()))
                start = None
        else:
            if depth == 0:
                start = m.start()
            depth += 1
    return out


def split_parts(body: str, part_px: int = PART_PX) -> list[str]:
    """`body` cut into consecutive parts of about `part_px` estimated pixels each, only
    between top-level blocks where the spacing of two parts equals the page's (`_may_split`).
    The parts joined give back `body`.

    >>> body = "".join(f"<p>{'word ' * 100}</p>" for _ in range(6))   # about 200 px each
    >>> [len(part) // 500 for part in split_parts(body, part_px=600)]
    [3, 3]
    >>> math = '<div class="arithmatex">x</div>'
    >>> split_parts(math + "<p>y</p>" + math, part_px=1)
    ['<div class="arithmatex">x</div>', '<p>y</p>', '<div class="arithmatex">x</div>']
    >>> split_parts(math + math + '<div class="admonition">z</div><p>w</p>', part_px=1)
    ['<div class="arithmatex">x</div><div class="arithmatex">x</div><div class="admonition">z</div><p>w</p>']
    """
    if not isinstance(part_px, int) or part_px < 1:
        raise ValueError(f"part_px must be a positive int, got {part_px!r}")
    parts, part_start, height, prev = [], 0, 0.0, None
    for start, end in _blocks(body):
        px = _raw_px(body[start:end])
        if (prev is not None and height > 0 and height + px > part_px
                and _may_split(body, prev, start)):
            parts.append(body[part_start:start])
            part_start, height = start, 0.0
        height += px
        prev = start
    parts.append(body[part_start:])
    return parts


def wrap_sections(content: str, eager_px: int = EAGER_PX) -> str:
    """Wrap what follows each top-level heading (up to the next one) in lazy sections, except
    the parts that start within the first `eager_px` estimated pixels of the page and the
    page's last part.

    >>> html = "<p>intro</p><h2 id='a'>A</h2><p>one</p><h2 id='b'>B</h2><p>two</p>"
    >>> out = wrap_sections(html, eager_px=0)
    >>> out.count('<div class="vgp-section"'), out.startswith("<p>intro</p><h2 id='a'>A</h2><div")
    (1, True)
    >>> out.endswith("<h2 id='b'>B</h2><p>two</p>")     # the page's last part is never lazy
    True
    >>> last = f"<p>{'word ' * 100}</p>"
    >>> out = wrap_sections(html + last + last, eager_px=0)   # a last section in two parts
    >>> out.count('<div class="vgp-section"'), out.endswith("</div>" + last)
    (2, True)
    >>> wrap_sections(html) == html                       # all of it on the first screen
    True
    >>> wrap_sections("<p>no headings</p>")
    '<p>no headings</p>'
    """
    if not isinstance(content, str):
        raise TypeError(f"content must be str, got {type(content).__name__}")
    if isinstance(eager_px, bool) or not isinstance(eager_px, int) or eager_px < 0:
        raise ValueError(f"eager_px must be an int >= 0, got {eager_px!r}")
    spans = _top_level_headings(content)
    if not spans:
        return content
    out, pos, offset = [], 0, TOP_PX
    nexts = [start for start, _ in spans[1:]] + [len(content)]
    for i, ((start, end), stop) in enumerate(zip(spans, nexts)):
        out.append(content[pos:end])
        offset += _raw_px(content[pos:end]) + LINE_PX     # what precedes, and the heading
        body = content[end:stop]
        parts = split_parts(body) if body.strip() else [body]
        for j, part in enumerate(parts):
            # The page's last part stays eager: a skipped block whose height is underestimated
            # would overlap the footer in the geometry that accessibility checkers read
            # (axe-core issue 2768); inside the article an overlap only meets the same
            # background, so the parts before it in the last section may be lazy.
            final = i == len(spans) - 1 and j == len(parts) - 1
            if offset < eager_px or final or not part.strip():
                out.append(part)
            else:
                out.append(f'<div class="vgp-section" style="--vgp-section-height: '
                           f'{estimate_px(part)}px">{part}</div>')
            offset += _raw_px(part)
        pos = stop
    out.append(content[pos:])
    return "".join(out)


_DOC_DIV = re.compile(r'<div class="doc doc-(object|contents|children)\b([^"]*)"')


def lazy_members(content: str) -> str:
    """API pages: the body of each member of a module is laid out lazily, like a section.

    mkdocstrings writes a module as `doc-object > doc-contents > doc-children`, and each
    member as `doc-object > (heading, doc-contents)`; a class's members sit in a
    `doc-children` of its own. The `doc-contents` of a member, of a module or of a class,
    gets the `vgp-section` class and a height estimate when it holds text and no heading (a
    class with documented members keeps its body eager, so the theme never measures a heading
    inside a skipped block, but its members' bodies are lazy). The last member of each
    module and of each class stays eager, as the last part of a lesson does.

    >>> member = lambda name, body: (f'<div class="doc doc-object doc-function"><h2 id="{name}">'
    ...     f'{name}</h2><div class="doc doc-contents ">{body}</div></div>')
    >>> page = ('<div class="doc doc-object doc-module"><div class="doc doc-contents first">'
    ...         '<p>module</p><div class="doc doc-children">' + member("f", "<p>f does</p>")
    ...         + member("g", "") + member("h", "<p>h does</p>") + '</div></div></div>')
    >>> out = lazy_members(page)
    >>> out.count('vgp-section"')                # f only: g is empty, h is the last member
    1
    >>> '<div class="doc doc-contents vgp-section" style="--vgp-section-height: 200px"><p>f' in out
    True
    >>> lazy_members("<p>no API here</p>")
    '<p>no API here</p>'
    """
    if not isinstance(content, str):
        raise TypeError(f"content must be str, got {type(content).__name__}")
    if 'class="doc doc-children' not in content:
        return content
    # open elements: [tag, doc kind or None, start, end of the opening tag, holds a heading]
    stack: list[list] = []
    candidates = []        # (start, body start, body end, members block, member start)
    last_member = {}       # members block (its start) -> start of its last member
    for m, closing, tag in _tags(content):
        if not closing:
            if tag in _HEADINGS or tag == "h1":
                for entry in stack:
                    entry[4] = True
            doc = _DOC_DIV.match(content, m.start()) if tag == "div" else None
            kind = doc.group(1) if doc else None
            if kind == "object" and stack and stack[-1][1] == "children":
                last_member[stack[-1][2]] = m.start()
            stack.append([tag, kind, m.start(), m.end(), False])
            continue
        while stack:
            open_tag, kind, start, body_at, heading = stack.pop()
            if open_tag != tag:
                continue                    # an unclosed element (tolerated, as browsers do)
            kinds = [e[1] for e in stack if e[1]]
            if (kind == "contents" and not heading and "children" in kinds
                    and kinds[-1] == "object" and _TAG.sub("", content[body_at:m.start()]).strip()):
                block = next(e[2] for e in reversed(stack) if e[1] == "children")
                candidates.append((start, body_at, m.start(), block, stack[-1][2]))
            break
    out, pos = [], 0
    for start, body_at, end, block, member in sorted(candidates):
        if last_member.get(block) == member or start < pos:   # (nor inside a lazy block)
            continue
        opening = _DOC_DIV.match(content, start)
        extra = opening.group(2).strip()
        classes = " ".join(["doc doc-contents", *([extra] if extra else []), "vgp-section"])
        out.append(content[pos:start])
        out.append(f'<div class="{classes}" style="--vgp-section-height: '
                   f'{estimate_px(content[body_at:end])}px">')
        pos = body_at
    out.append(content[pos:])
    return "".join(out)
