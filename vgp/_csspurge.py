"""The site's stylesheet without the rules that can match nothing on the site.

Material's stylesheet styles every feature of the theme (blog, cards, grids, annotations,
tooltips, a dozen admonition types, ...); this site uses a part of them. Every page downloads
and parses the whole stylesheet before its first paint, and every rule is matched against the
page, so unused rules cost time on a slow phone (CONTRIBUTING.md, "Page speed").

A selector can match an element only if each class it names is on some element and each
attribute it names is on some element. On this site, classes and attributes come from two
places: the built HTML, and the JavaScript that adds them while the reader uses the page
(Material's bundle, its search worker, the site's scripts). `site_tokens` collects every class
and attribute name in the HTML, every word in the JavaScript, and the prefixes from which the
JavaScript builds names (`tabbed-control--${side}`): a superset of what can appear. `purge`
drops a selector only if it names a class or attribute outside that set, and a rule only if
all its selectors are dropped. Classes inside parentheses (`:is(.a, p)`,
`:not(.b)`) are not considered, since such a selector can match without them. Everything else
(`@keyframes`, custom properties, element selectors) is kept.

An `@font-face` rule is dropped when no other rule that is kept, no script and no `style`
attribute names its family (KaTeX declares twenty faces; this site's formulas use about ten),
and a kept one lists only its WOFF2 source when it has one (every browser that runs the
theme's scripts reads WOFF2). Chromium creates a font resource for every source of every
face when it first computes styles, in the task before the first paint.

The browser suite checks the result: computed styles of every element on sample pages are
the same with the whole stylesheet and with the purged one (tests/browser).
"""

from __future__ import annotations

import re
from pathlib import Path

_CLASS_ATTR = re.compile(r'\sclass="([^"]*)"')
_TAG = re.compile(r"<[a-zA-Z][^>]*>")
_ATTR_NAME = re.compile(r"\s([a-zA-Z][-\w:]*)(?=[\s=/>])")    # `open` as well as `id=`
_SCRIPT = re.compile(r"<script\b[^>]*>(.*?)</script>", re.DOTALL)
_WORD = re.compile(r"[-\w]+")
# A class built in JavaScript from a prefix: `tabbed-control--${side}` or "md-tag--" + name.
_PREFIX = re.compile(r"""([-\w]*\w[-_]+)(?:\$\{|["'`]\s*\+)""")
_SELECTOR_CLASS = re.compile(r"\.(-?[_a-zA-Z][-\w]*)")
_SELECTOR_ATTR = re.compile(r"\[\s*([-\w]+)[^\]]*\]")
_STRING = re.compile(r'"[^"]*"|\'[^\']*\'')
_TRAILING = re.compile(r"(?:\s|/\*(?:[^*]|\*(?!/))*\*/)*\Z")   # a comment ends at its first */
_CONTAINER_RULES = ("media", "supports", "layer", "container", "document")
_STYLE_FONT = re.compile(r'\sstyle="[^"]*?font(?:-family)?\s*:([^;"]*)')
_FONT_FACE = re.compile(r"@font-face\s*\{[^}]*\}", re.IGNORECASE)
_FAMILY = re.compile(r"font-family\s*:\s*([^;}]+)", re.IGNORECASE)
_SRC = re.compile(r"(\bsrc\s*:\s*)([^;}]+)", re.IGNORECASE)


def _script_tokens(script: str) -> set[str]:
    """Every word of a script, and `prefix*` for each prefix it builds names from.

    >>> sorted(_script_tokens('el.className = `tabbed-control tabbed-control--${side}`'))
    ['className', 'el', 'side', 'tabbed-control', 'tabbed-control--', 'tabbed-control--*']
    """
    return set(_WORD.findall(script)) | {p + "*" for p in _PREFIX.findall(script)}


def site_tokens(site_dir: Path | str) -> set[str]:
    """Every class and attribute name in the site's HTML, every word in its JavaScript, and
    `prefix*` for each prefix the JavaScript builds class names from."""
    site = Path(site_dir)
    if not site.is_dir():
        raise ValueError(f"site_dir must be a directory, got {str(site)!r}")
    tokens: set[str] = set()
    for page in site.rglob("*.html"):
        text = page.read_text(encoding="utf-8")
        for value in _CLASS_ATTR.findall(text):
            tokens.update(value.split())
        for tag in _TAG.findall(text):
            tokens.update(_ATTR_NAME.findall(tag))
        for families in _STYLE_FONT.findall(text):
            tokens.update(_WORD.findall(families))
        for script in _SCRIPT.findall(text):
            tokens |= _script_tokens(script)
    for script in site.rglob("*.js"):
        tokens |= _script_tokens(script.read_text(encoding="utf-8", errors="replace"))
    return tokens


def _outside_parens(selector: str) -> str:
    out, depth = [], 0
    for ch in selector:
        depth += ch == "("
        if depth == 0:
            out.append(ch)
        depth -= ch == ")" and depth > 0
    return "".join(out)


def _split_selectors(prelude: str) -> list[str]:
    parts, depth, start = [], 0, 0
    for i, ch in enumerate(prelude):
        if ch in "([":
            depth += 1
        elif ch in ")]":
            depth -= 1
        elif ch == "," and depth == 0:
            parts.append(prelude[start:i])
            start = i + 1
    parts.append(prelude[start:])
    return [p.strip() for p in parts]


def selector_can_match(selector: str, tokens: set[str]) -> bool:
    """False if `selector` names, outside parentheses, a class or attribute not in `tokens`.

    >>> tokens = {"md-nav", "md-nav__link", "data-md-state"}
    >>> selector_can_match(".md-nav .md-nav__link:not(.md-blog)", tokens)
    True
    >>> selector_can_match(".md-nav .md-grid", tokens)
    False
    >>> selector_can_match("[data-md-state=lock] body, :is(.md-blog, p)", tokens)
    True
    >>> selector_can_match("[data-md-toggle=drawer]", tokens)
    False
    >>> selector_can_match('.md-nav a[href$=".pdf"]', tokens | {"href"})
    True
    >>> selector_can_match(".md-nav .md-tag--blue", tokens | {"md-tag--*"})
    True
    """
    bare = _outside_parens(_STRING.sub('""', selector))
    attrs = _SELECTOR_ATTR.findall(bare)
    classes = _SELECTOR_CLASS.findall(_SELECTOR_ATTR.sub("[]", bare))
    return all(_known(c, tokens) for c in classes) and all(_known(a, tokens) for a in attrs)


def _known(name: str, tokens: set[str]) -> bool:
    """`name` is a token, or starts with a prefix that scripts build names from."""
    return name in tokens or any(name[:i + 1] + "*" in tokens
                                 for i, ch in enumerate(name) if ch in "-_")


def _block_start(rule_text: str) -> int:
    """Index of the `{` that opens a rule's block (outside strings, brackets, parentheses)."""
    depth, quote = 0, ""
    for i, ch in enumerate(rule_text):
        if quote:
            quote = "" if ch == quote else quote
        elif ch in "\"'":
            quote = ch
        elif ch in "([":
            depth += 1
        elif ch in ")]":
            depth -= 1
        elif ch == "{" and depth == 0:
            return i
    raise ValueError(f"css rule without a block: {rule_text[:60]!r}")


def purge(css: str, tokens: set[str]) -> str:
    """`css` without the selectors that cannot match (`selector_can_match`), and without the
    rules and grouping at-rules left empty. What is kept is copied from `css` as it was
    written (a rule that loses some of its selectors gets a new selector list). Then
    `_font_faces` drops the `@font-face` rules of families that nothing kept names.

    >>> purge("a,.x{font:1em F}.y{margin:0}@media (min-width:1px){.y{top:0}}"
    ...       "@font-face{font-family:F}@font-face{font-family:G}", {"x"})
    'a,.x{font:1em F}@font-face{font-family:F}'
    >>> purge(".x,.y{background:url('a b.svg')}", {"y"})
    ".y{background:url('a b.svg')}"
    """
    import tinycss2

    if not isinstance(css, str):
        raise TypeError(f"css must be str, got {type(css).__name__}")
    if not isinstance(tokens, set | frozenset):
        raise TypeError(f"tokens must be a set, got {type(tokens).__name__}")
    line_starts = [0] + [m.end() for m in re.finditer("\n", css)]

    def offset(node) -> int:
        return line_starts[node.source_line - 1] + node.source_column - 1

    def walk(rules, end: int) -> str:
        out = []
        starts = [offset(r) for r in rules] + [end]
        for rule, lo, hi in zip(rules, starts, starts[1:]):
            text = _TRAILING.sub("", css[lo:hi])      # up to the next rule, comments left out
            if rule.type == "error":
                raise ValueError(f"css does not parse: {rule.message} (line {rule.source_line})")
            if rule.type == "qualified-rule":
                selectors = _split_selectors(tinycss2.serialize(rule.prelude))
                kept = [s for s in selectors if selector_can_match(s, tokens)]
                if kept == selectors:
                    out.append(text)
                elif kept:
                    out.append(",".join(kept) + text[_block_start(text):])
            elif rule.lower_at_keyword in _CONTAINER_RULES and rule.content is not None:
                brace = _block_start(text)
                inner_rules = tinycss2.parse_rule_list(rule.content, skip_comments=True,
                                                       skip_whitespace=True)
                inner = walk(inner_rules, lo + text.rindex("}"))
                if inner:
                    out.append(text[:brace + 1] + inner + "}")
            else:
                out.append(text)
        return "".join(out)

    kept = walk(tinycss2.parse_stylesheet(css, skip_comments=True, skip_whitespace=True),
                len(css))
    return _font_faces(kept, tokens)


def _split_commas(value: str) -> list[str]:
    """`value` split at the commas outside parentheses and quotes."""
    parts, depth, quote, start = [], 0, "", 0
    for i, ch in enumerate(value):
        if quote:
            quote = "" if ch == quote else quote
        elif ch in "\"'":
            quote = ch
        elif ch == "(":
            depth += 1
        elif ch == ")":
            depth -= 1
        elif ch == "," and depth == 0:
            parts.append(value[start:i])
            start = i + 1
    parts.append(value[start:])
    return parts


def _font_faces(css: str, tokens: set[str]) -> str:
    """`css` without the `@font-face` rules whose family nothing else names (the rest of
    `css`, or a word in `tokens`), and with only the WOFF2 sources of the faces that have one.

    >>> css = ('@font-face{font-family:KaTeX_Main;src:url(m.woff2) format("woff2"),'
    ...        'url(m.woff) format("woff")}@font-face{font-family:"KaTeX_Fraktur";'
    ...        'src:url(f.woff2) format("woff2")}.katex{font:1.21em KaTeX_Main,serif}')
    >>> _font_faces(css, set())
    '@font-face{font-family:KaTeX_Main;src:url(m.woff2) format("woff2")}.katex{font:1.21em KaTeX_Main,serif}'
    >>> "KaTeX_Fraktur" in _font_faces(css, {"KaTeX_Fraktur"})   # a script names it
    True
    """
    rest = _FONT_FACE.sub("", css)

    def kept(m: re.Match) -> str:
        rule = m.group(0)
        family = _FAMILY.search(rule)
        name = family.group(1).strip().strip("\"'") if family else ""
        named = re.compile(r"(?<![-\w])" + re.escape(name) + r"(?![-\w])")
        if name and name not in tokens and not named.search(rest):
            return ""

        def woff2(src: re.Match) -> str:
            sources = _split_commas(src.group(2))
            only = [x for x in sources if re.search(r"""format\(\s*["']?woff2""", x)]
            return src.group(1) + ",".join(only or sources).strip()

        return _SRC.sub(woff2, rule)

    return _FONT_FACE.sub(kept, css)
