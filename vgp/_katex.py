"""Math rendered at build time: TeX in the built HTML becomes KaTeX markup, so no page ships a
math script and the reader sees typeset formulas on the first paint.

The vendored KaTeX (docs/assets/katex/katex.min.js, the same copy whose CSS and fonts the site
serves) runs in one Node.js process per build, started on the first formula that is not in
the cache. Rendered formulas are cached under .cache/katex/ keyed on the KaTeX file's hash,
so a warm build starts no process at all.

Two kinds of math are replaced:

* arithmatex output (Markdown pages, API docstrings): `<span class="arithmatex">\\(...\\)</span>`
  and `<div class="arithmatex">\\[...\\]</div>`; the wrapper stays, its TeX is replaced;
* `$...$` and `$$...$$` in the Markdown cells of the companion notebooks, which mkdocs-jupyter
  leaves as text (outside `<code>` and `<pre>`).

Invalid TeX fails the build with the formula and the page in the message.
"""

from __future__ import annotations

import hashlib
import html
import json
import os
import re
import shutil
import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
KATEX_JS = ROOT / "docs" / "assets" / "katex" / "katex.min.js"
CACHE_DIR = ROOT / ".cache" / "katex"

# Line-delimited JSON: a request is a list of [tex, display] pairs, the answer a list of
# {"html": ...} or {"error": ...} in the same order.
_NODE_SERVER = r"""
const katex = require(process.argv[1]);
const rl = require("readline").createInterface({ input: process.stdin, crlfDelay: Infinity });
rl.on("line", (line) => {
  const out = JSON.parse(line).map(([tex, display]) => {
    try {
      return { html: katex.renderToString(tex, { displayMode: display, throwOnError: true,
                                                  output: "htmlAndMathml", strict: "ignore" }) };
    } catch (e) { return { error: String(e.message) }; }
  });
  process.stdout.write(JSON.stringify(out) + "\n");
});
"""

_ARITHMATEX = re.compile(
    r'<(span|div) class="arithmatex">(?:\\\((?P<inline>.*?)\\\)|\\\[(?P<display>.*?)\\\])</\1>',
    re.DOTALL)
_NB_MARKDOWN = re.compile(r'<div class="[^"]*\bjp-RenderedMarkdown\b[^"]*"[^>]*>')
_TAG_OR_DIV = re.compile(r"<(/?)div\b[^>]*>")
_SKIP = re.compile(r"(<(code|pre)\b[^>]*>.*?</\2>|<[^>]+>)", re.DOTALL)
_DOLLARS = re.compile(r"\$\$(?P<display>.+?)\$\$|(?<![\\$])\$(?P<inline>[^$\n]+?)(?<!\\)\$",
                      re.DOTALL)


class KatexError(ValueError):
    """A formula KaTeX cannot parse (the message names it)."""


class Renderer:
    """Render TeX with the vendored KaTeX; cache results on disk; start Node only on a miss.

    >>> r = Renderer(cache_dir=None)
    >>> 'class="katex"' in r.render_many([("x^2", False)])[0]
    True
    >>> r.close()
    """

    def __init__(self, katex_js: Path | str = KATEX_JS, cache_dir: Path | str | None = CACHE_DIR,
                 node: str | None = None):
        self.katex_js = Path(katex_js)
        if not self.katex_js.is_file():
            raise ValueError(f"katex_js: no such file {self.katex_js} (run `make vendor-katex`)")
        self.version = hashlib.sha256(self.katex_js.read_bytes()).hexdigest()[:16]
        self.cache_path = None if cache_dir is None else Path(cache_dir) / f"{self.version}.json"
        self._node = node
        self._proc: subprocess.Popen | None = None
        self._memo: dict[str, str] = {}
        self._dirty = False
        if self.cache_path is not None and self.cache_path.is_file():
            try:
                self._memo = json.loads(self.cache_path.read_text(encoding="utf-8"))
            except ValueError:
                self._memo = {}   # a damaged cache is rebuilt, not trusted
        self.started = 0          # Node processes started (a warm build starts none)

    def __len__(self) -> int:
        """Number of formulas rendered so far (cached ones included)."""
        return len(self._memo)

    @staticmethod
    def _key(tex: str, display: bool) -> str:
        return ("D" if display else "I") + tex

    def render_many(self, items: list[tuple[str, bool]]) -> list[str]:
        """KaTeX HTML for each `(tex, display)`; raises KatexError on the first bad formula."""
        if not isinstance(items, (list, tuple)):
            raise TypeError(f"items must be a list of (tex, display) pairs, got {type(items).__name__}")
        for i, item in enumerate(items):
            if not (isinstance(item, (list, tuple)) and len(item) == 2
                    and isinstance(item[0], str) and isinstance(item[1], bool)):
                raise TypeError(f"items[{i}] must be a (str, bool) pair, got {item!r}")
        missing = sorted({(t, d) for t, d in items if self._key(t, d) not in self._memo})
        if missing:
            for (tex, display), out in zip(missing, self._ask(missing)):
                if "error" in out:
                    raise KatexError(f"KaTeX cannot render {tex!r}: {out['error']}")
                self._memo[self._key(tex, display)] = out["html"]
            self._dirty = True
        return [self._memo[self._key(t, d)] for t, d in items]

    def _ask(self, items: list[tuple[str, bool]]) -> list[dict]:
        if self._proc is None:
            node = self._node or shutil.which("node")
            if not node:
                raise RuntimeError("node (Node.js) not found: math is typeset at build time by "
                                   "the vendored KaTeX; install it (Debian: apt-get install nodejs)")
            self._proc = subprocess.Popen(
                [node, "-e", _NODE_SERVER, str(self.katex_js)], stdin=subprocess.PIPE,
                stdout=subprocess.PIPE, text=True, encoding="utf-8")
            self.started += 1
        self._proc.stdin.write(json.dumps([[t, d] for t, d in items]) + "\n")
        self._proc.stdin.flush()
        line = self._proc.stdout.readline()
        if not line:
            raise RuntimeError(f"the KaTeX process ended (exit code {self._proc.poll()})")
        return json.loads(line)

    def save(self) -> None:
        """Write new renderings to the cache (atomically)."""
        if self._dirty and self.cache_path is not None:
            self.cache_path.parent.mkdir(parents=True, exist_ok=True)
            tmp = self.cache_path.with_suffix(f".{os.getpid()}.tmp")
            tmp.write_text(json.dumps(self._memo, sort_keys=True), encoding="utf-8")
            tmp.replace(self.cache_path)
            self._dirty = False

    def close(self) -> None:
        """Save the cache and stop the Node process."""
        self.save()
        if self._proc is not None:
            self._proc.stdin.close()
            self._proc.wait(timeout=10)
            self._proc.stdout.close()
            self._proc = None


def _notebook_math(fragment: str) -> list[tuple[int, int, str, bool]]:
    """Spans `(start, end, tex, display)` of `$`-math in the text of an HTML fragment."""
    found, pos = [], 0
    for m in _SKIP.finditer(fragment + "<end>"):
        text = fragment[pos:m.start()]
        for d in _DOLLARS.finditer(text):
            display = d.group("display") is not None
            tex = d.group("display") if display else d.group("inline")
            found.append((pos + d.start(), pos + d.end(), tex, display))
        pos = m.end()
    return found


def _markdown_cells(page_html: str) -> list[tuple[int, int]]:
    """(start, end) of the inside of each notebook Markdown cell's rendered div."""
    out = []
    for m in _NB_MARKDOWN.finditer(page_html):
        depth, start = 1, m.end()
        for t in _TAG_OR_DIV.finditer(page_html, start):
            depth += -1 if t.group(1) else 1
            if depth == 0:
                out.append((start, t.start()))
                break
    return out


def typeset(page_html: str, renderer: Renderer) -> str:
    """Replace the TeX of a built page by KaTeX HTML (arithmatex and notebook `$` math).

    >>> r = Renderer(cache_dir=None)
    >>> out = typeset('<p><span class="arithmatex">\\\\(a &lt; b\\\\)</span></p>', r)
    >>> out.startswith('<p><span class="arithmatex"><span class="katex">'), '\\\\(' in out
    (True, False)
    >>> r.close()
    """
    if not isinstance(page_html, str):
        raise TypeError(f"page_html must be str, got {type(page_html).__name__}")
    spans: list[tuple[int, int, str, bool, str]] = []   # start, end, tex, display, wrapper
    for m in _ARITHMATEX.finditer(page_html):
        display = m.group("display") is not None
        tex = html.unescape(m.group("display") if display else m.group("inline"))
        spans.append((m.start(), m.end(), tex, display, m.group(1)))
    for lo, hi in _markdown_cells(page_html):
        for s, e, tex, display in _notebook_math(page_html[lo:hi]):
            spans.append((lo + s, lo + e, html.unescape(tex), display, ""))
    if not spans:
        return page_html
    spans.sort()
    rendered = renderer.render_many([(tex, display) for _, _, tex, display, _ in spans])
    out, pos = [], 0
    for (start, end, _, display, wrapper), markup in zip(spans, rendered):
        out.append(page_html[pos:start])
        # notebook math sits inside <p>: a span (KaTeX's display markup is a block by CSS)
        tag = wrapper or "span"
        out.append(f'<{tag} class="arithmatex">{markup}</{tag}>')
        pos = end
    out.append(page_html[pos:])
    return "".join(out)


# KaTeX fonts a page's markup needs, each with the classes that reveal it. A font that
# arrives after the first layout changes the width of every formula set in it, which Chrome
# reports as a layout shift: the page preloads the ones it uses (hooks/katex.py).
FONT_MARKERS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("KaTeX_Main-Regular", ('class="katex"',)),
    ("KaTeX_Math-Italic", ("mathnormal",)),
    ("KaTeX_Size1-Regular", ("delimsizing size1", "small-op")),
    ("KaTeX_Size2-Regular", ("delimsizing size2", "large-op")),
    ("KaTeX_Size3-Regular", ("delimsizing size3",)),
    ("KaTeX_Main-Bold", ("mathbf",)),
)


def font_preloads(page_html: str, fonts_url: str) -> str:
    """`page_html` with a preload link in its <head> for each KaTeX font its math uses.

    `fonts_url` is the fonts directory relative to the page; links must match the stylesheet's
    own URL (and CORS mode: `crossorigin`) for the browser to reuse the preloaded file.

    >>> page = '<head></head><span class="katex"><span class="mord mathnormal">h</span></span>'
    >>> head = font_preloads(page, "../assets/katex/fonts").split("</head>")[0]
    >>> print(head.rstrip())
    <head><link rel="preload" href="../assets/katex/fonts/KaTeX_Main-Regular.woff2" as="font" type="font/woff2" crossorigin>
    <link rel="preload" href="../assets/katex/fonts/KaTeX_Math-Italic.woff2" as="font" type="font/woff2" crossorigin>
    >>> font_preloads("<head></head><p>no math</p>", "fonts") == "<head></head><p>no math</p>"
    True
    """
    if not isinstance(page_html, str):
        raise TypeError(f"page_html must be str, got {type(page_html).__name__}")
    if not isinstance(fonts_url, str) or not fonts_url:
        raise ValueError(f"fonts_url must be a non-empty str, got {fonts_url!r}")
    if 'class="katex"' not in page_html or "</head>" not in page_html:
        return page_html
    fonts = [name for name, markers in FONT_MARKERS if any(m in page_html for m in markers)]
    links = "".join(f'<link rel="preload" href="{fonts_url.rstrip("/")}/{name}.woff2" as="font" '
                    f'type="font/woff2" crossorigin>\n' for name in fonts)
    return page_html.replace("</head>", links + "</head>", 1)
