"""One stylesheet per page instead of five: the theme's CSS, its palette, KaTeX's CSS, the API
reference's and the site's own, concatenated in page order into one content-hashed file.

Every stylesheet in `<head>` blocks the first paint, and on a slow mobile link each extra
request costs a round trip (Lighthouse estimated 0.3 s per file). `bundle_site(site_dir)`
runs after the build: it reads the stylesheet links of every page (they must be the same
list on every page), writes `assets/stylesheets/bundle.<hash>.css` with each file's
relative `url(...)`s rewritten for the bundle's folder, and replaces the links of each page
with one link to the bundle. The original files stay in the site, unused.

With `purge_unused`, the bundle leaves out the rules that can match nothing on the site
(`vgp._csspurge`). Its first line lists the files it was made from, in order, so the whole
bundle can be rebuilt from the site (`concatenate`; the browser suite compares the two).
"""

from __future__ import annotations

import hashlib
import posixpath
import re
from pathlib import Path
from urllib.parse import urljoin, urlsplit

BUNDLE_DIR = "assets/stylesheets"
_LINKS = re.compile(r'(?:[ \t]*<link rel="stylesheet" href="([^"]+)">\s*)+')
_LINK = re.compile(r'<link rel="stylesheet" href="([^"]+)">')
_URL = re.compile(r"""url\(\s*(['"]?)([^'")]+)\1\s*\)""")
_SOURCEMAP = re.compile(r"/\*# sourceMappingURL=[^*]*\*/")


def _site_path(href: str, page: str, base: str) -> str:
    """Site-relative path of `href` found on page `page` (e.g. 'lessons/bptt/index.html')."""
    url = urljoin(base + page, href)
    base_path = urlsplit(base).path
    path = urlsplit(url).path
    if not path.startswith(base_path):
        raise ValueError(f"stylesheet {href!r} on {page} is outside the site")
    return path[len(base_path):]


def rewrite_urls(css: str, css_path: str, bundle_path: str) -> str:
    """Make the relative url()s of `css` (at site path `css_path`) relative to `bundle_path`.

    >>> rewrite_urls("a{src:url(fonts/A.woff2)} b{background:url(data:x)}",
    ...              "assets/katex/katex.min.css", "assets/stylesheets/bundle.css")
    'a{src:url(../katex/fonts/A.woff2)} b{background:url(data:x)}'
    """
    src_dir, dst_dir = posixpath.dirname(css_path), posixpath.dirname(bundle_path)

    def fix(m):
        ref = m.group(2).strip()
        if re.match(r"^(?:[a-z]+:|/|#)", ref, re.IGNORECASE):
            return m.group(0)        # data:, http:, absolute, fragment: unchanged
        target = posixpath.normpath(posixpath.join(src_dir, ref))
        return f"url({posixpath.relpath(target, dst_dir or '.')})"

    return _URL.sub(fix, css)


def concatenate(site_dir: Path | str, order: list[str]) -> str:
    """The stylesheets at site paths `order`, one after the other, with their `url(...)`s
    rewritten for the bundle's folder and their source map comments removed."""
    site = Path(site_dir)
    parts = []
    for css_path in order:
        css = _SOURCEMAP.sub("", (site / css_path).read_text(encoding="utf-8"))
        parts.append(f"/* {css_path} */\n" + rewrite_urls(css, css_path, f"{BUNDLE_DIR}/x.css"))
    return "\n".join(parts)


def sources(bundle_css: str) -> list[str]:
    """The site paths a bundle was made from, read from its first line.

    >>> sources("/* bundle of: a/main.css b/site.css */ a{}")
    ['a/main.css', 'b/site.css']
    """
    m = re.match(r"/\* bundle of: (.*?) \*/", bundle_css)
    if not m:
        raise ValueError("bundle_css does not start with its list of sources")
    return m.group(1).split()


def bundle_site(site_dir: Path | str, base: str = "https://example.invalid/",
                purge_unused: bool = False) -> str:
    """Bundle the stylesheets of every page of a built site; return the bundle's site path.

    `base` is the site's URL (absolute links in pages such as 404.html are resolved with it).
    With `purge_unused`, rules that can match nothing on the site are left out.
    """
    site = Path(site_dir)
    if not site.is_dir():
        raise ValueError(f"site_dir: no such directory {site}")
    if not base.endswith("/"):
        base += "/"
    pages = sorted(p.relative_to(site).as_posix() for p in site.rglob("*.html"))
    order: list[str] | None = None
    for page in pages:
        m = _LINKS.search((site / page).read_text(encoding="utf-8"))
        found = [] if not m else [_site_path(h, page, base) for h in _LINK.findall(m.group(0))]
        if order is None:
            order = found
        elif found != order:
            raise ValueError(f"{page} links stylesheets {found}, other pages {order}")
    if not order:
        raise ValueError(f"site_dir: no page of {site} links a stylesheet")
    content = concatenate(site, order)
    if purge_unused:
        from vgp import _csspurge

        content = _csspurge.purge(content, _csspurge.site_tokens(site))
    content = f"/* bundle of: {' '.join(order)} */\n" + content
    digest = hashlib.sha256(content.encode()).hexdigest()[:8]
    bundle = f"{BUNDLE_DIR}/bundle.{digest}.css"
    for stale in (site / BUNDLE_DIR).glob("bundle.*.css"):
        stale.unlink()
    (site / bundle).write_text(content, encoding="utf-8")
    for page in pages:
        path = site / page
        text = path.read_text(encoding="utf-8")
        links = _LINKS.search(text)
        if _LINK.search(links.group(0)).group(1).startswith("/"):   # 404.html: absolute links
            href = urlsplit(base).path + bundle
        else:
            href = posixpath.relpath(bundle, posixpath.dirname(page) or ".")
        indent = re.match(r"[ \t]*", links.group(0)).group(0)
        text = _LINKS.sub(lambda m: f'{indent}<link rel="stylesheet" href="{href}">\n', text,
                          count=1)
        path.write_text(text, encoding="utf-8")
    return bundle
