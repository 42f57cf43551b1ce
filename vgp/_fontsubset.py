"""KaTeX's fonts cut down to the characters the site's formulas set.

KaTeX's fonts carry every glyph KaTeX can typeset, and a page with math preloads up to five of
them (`vgp._katex.font_preloads`); the site's formulas set a small part of those glyphs. After
the build, each WOFF2 font in the built site is replaced by a subset that keeps the union,
over every page, of the characters in the text of KaTeX's visual markup (`formula_chars`).
Every font keeps the same set, so a character can never be missing from the font that a class
of KaTeX's stylesheet picks for it. A build always subsets the vendored fonts in docs/, so the
set follows the current pages (an edit that adds a symbol adds it to the fonts).

Why it matters for speed: on a slow link the preloaded fonts download at the same time as the
page's stylesheet and share the bandwidth with it, which delays the first paint (and
Lighthouse's simulation of a phone counts that delay; CONTRIBUTING.md, "Page speed").

Subsets are cached under .cache/katex-fonts/, keyed on the font, the characters, fontTools'
version and the subsetting options (`SETTINGS`), so a warm build only reads the pages and
copies files. The older formats (.woff, .ttf), used only by browsers without WOFF2, stay
complete.
"""

from __future__ import annotations

import hashlib
import html
import io
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CACHE_DIR = ROOT / ".cache" / "katex-fonts"

# Always kept: the space, and what KaTeX's stylesheet itself sets (equation numbers are CSS
# counters in parentheses).
ALWAYS = frozenset(" ()0123456789")

# Part of the cache key: a change to the options of `subset_woff2` must change this.
SETTINGS = "woff2; layout features *; names *; notdef outline; no hinting"
_HTML_START = '<span class="katex-html"'
_TOKEN = re.compile(r"<(/?)span\b[^>]*>|<[^>]*>|([^<]+)")


def formula_chars(page_html: str) -> set[str]:
    """The characters in the text of KaTeX's visual markup (`.katex-html`) of a page.

    The MathML copy and its TeX annotation are not drawn with KaTeX's fonts and are left out.

    >>> page = ('<p>Text outside</p><span class="katex"><span class="katex-mathml"><math>'
    ...         '<mi>q</mi></math></span><span class="katex-html" aria-hidden="true">'
    ...         '<span class="mord mathnormal">h</span><span class="mrel">&le;</span>'
    ...         '<span class="mord">1</span></span></span> after')
    >>> sorted(formula_chars(page))
    ['1', 'h', '≤']
    """
    if not isinstance(page_html, str):
        raise TypeError(f"page_html must be str, got {type(page_html).__name__}")
    chars: set[str] = set()
    start = page_html.find(_HTML_START)
    while start != -1:
        depth = 0
        for m in _TOKEN.finditer(page_html, start):
            slash, text = m.group(1), m.group(2)
            if text is not None:
                chars.update(html.unescape(text))
            elif slash is not None:            # a <span> or </span>; other tags are skipped
                depth += -1 if slash else 1
                if depth == 0:
                    start = page_html.find(_HTML_START, m.end())
                    break
        else:
            raise ValueError("page_html has a katex-html span that is never closed")
    chars -= set("\n\r\t")
    return chars


def site_chars(site_dir: Path | str) -> set[str]:
    """`formula_chars` of every HTML page of a built site, with `ALWAYS` added."""
    site = Path(site_dir)
    if not site.is_dir():
        raise ValueError(f"site_dir must be a directory, got {str(site)!r}")
    chars = set(ALWAYS)
    for page in sorted(site.rglob("*.html")):
        text = page.read_text(encoding="utf-8")
        if _HTML_START in text:
            chars |= formula_chars(text)
    return chars


def subset_woff2(font: bytes, chars: set[str] | str) -> bytes:
    """`font` (any format fontTools reads) as WOFF2 with only the glyphs of `chars`.

    OpenType layout features and names are kept; characters the font does not have are
    ignored. TrueType hinting is dropped, as web font services do for most platforms: browsers
    on macOS, iOS, Android and Linux do not run it, and it is a third of a small subset.
    """
    from fontTools import subset
    from fontTools.ttLib import TTFont

    if not isinstance(font, bytes | bytearray):
        raise TypeError(f"font must be bytes, got {type(font).__name__}")
    if not chars:
        raise ValueError("chars must not be empty")
    options = subset.Options()
    options.flavor = "woff2"
    options.layout_features = ["*"]
    options.name_IDs = ["*"]
    options.notdef_outline = True
    options.hinting = False
    ttf = TTFont(io.BytesIO(font))
    subsetter = subset.Subsetter(options)
    subsetter.populate(text="".join(sorted(chars)))
    subsetter.subset(ttf)
    ttf.flavor = "woff2"
    out = io.BytesIO()
    ttf.save(out)
    return out.getvalue()


def _key(font: bytes, chars: set[str]) -> str:
    import fontTools

    h = hashlib.sha256(font)
    h.update("".join(sorted(chars)).encode("utf-8"))
    h.update(fontTools.version.encode())
    h.update(SETTINGS.encode())
    return h.hexdigest()[:20]


def subset_fonts(fonts_dir: Path | str, source_dir: Path | str, chars: set[str],
                 cache_dir: Path | str = CACHE_DIR) -> tuple[int, int]:
    """Replace every `*.woff2` in `fonts_dir` by the subset of its original in `source_dir`.

    Returns the total size of the originals and of the subsets, in bytes. Each font's cache
    entry from an earlier set of characters is removed when a new one is written.
    """
    fonts_dir, source_dir, cache = Path(fonts_dir), Path(source_dir), Path(cache_dir)
    for name, d in (("fonts_dir", fonts_dir), ("source_dir", source_dir)):
        if not d.is_dir():
            raise ValueError(f"{name} must be a directory, got {str(d)!r}")
    if not chars:
        raise ValueError("chars must not be empty")
    cache.mkdir(parents=True, exist_ok=True)
    before = after = 0
    for target in sorted(fonts_dir.glob("*.woff2")):
        original = (source_dir / target.name).read_bytes()
        entry = cache / f"{target.stem}.{_key(original, chars)}.woff2"
        if not entry.exists():
            for old in cache.glob(f"{target.stem}.*.woff2"):
                old.unlink()
            tmp = entry.with_suffix(".tmp")
            tmp.write_bytes(subset_woff2(original, chars))
            tmp.replace(entry)
        data = entry.read_bytes()
        target.write_bytes(data)
        before += len(original)
        after += len(data)
    return before, after
