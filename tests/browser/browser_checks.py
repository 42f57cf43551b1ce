"""What every page of the built site must satisfy in a real browser, as reusable checks.

`audit(page, url)` loads `url` in a Playwright page and returns a list of problems (empty
when the page is fine): console errors and uncaught exceptions, failed requests and HTTP
errors, any request to a host other than the test server (such requests are recorded and
aborted, never sent), math left unrendered or rendered with an error, images that fail to
load or lack alt text. tests/browser/test_browser_site.py runs it on every page;
tests/browser/test_browser_checks.py proves it reports a CDN script and a broken image.
"""

from __future__ import annotations

import functools
import http.server
import io
import os
import re
import shutil
import threading
import xml.etree.ElementTree as ET
from pathlib import Path
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = Path(os.environ.get("VGP_CHROMIUM", "/usr/bin/chromium"))
APT_LINE = "apt-get install -y chromium chromium-driver"
# Chromium must not phone home (Google hosts would show up as failed or foreign requests).
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
                 "--no-first-run", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync"]
LOCAL_SCHEMES = ("data:", "blob:", "about:")
PARTS_FILE = re.compile(r"parts\.[0-9a-f]{10}\.html")

# Raw TeX that survived rendering: $$, \( \) \[ \], or $...$ holding a TeX command.
RAW_TEX = re.compile(r"\$\$|\\\(|\\\)|\\\[|\\\]|\$[^$\s][^$]*[\\^_][^$]*\$")

# Text of the article with code, scripts and rendered math removed (where TeX may appear).
_PROSE_TEXT_JS = """() => {
  const main = document.querySelector("article") || document.body;
  const copy = main.cloneNode(true);
  copy.querySelectorAll("pre, code, script, style, .katex, .highlight, textarea, svg")
      .forEach(n => n.remove());
  return copy.textContent;
}"""

_MATH_JS = """() => {
  const blocks = Array.from(document.querySelectorAll(".arithmatex"));
  return {
    total: blocks.length,
    unrendered: blocks.filter(b => !b.querySelector(".katex")).map(b => b.textContent.slice(0, 60)),
    errors: Array.from(document.querySelectorAll(".katex-error")).map(e => e.textContent.slice(0, 60)),
    styled: blocks.length > 0 && blocks[0].querySelector(".katex") !== null &&
            getComputedStyle(blocks[0].querySelector(".katex")).fontFamily.includes("KaTeX"),
  };
}"""

# A long page in two files (vgp/_deferred.py): every emptied block filled by parts.js.
_PARTS_JS = """() => {
  if (!document.querySelector('meta[name="vgp-parts"]')) return [];
  const state = document.documentElement.getAttribute("data-vgp-parts");
  const empty = document.querySelectorAll("[data-vgp-part]:not([data-vgp-filled])").length;
  return (state === "ready" ? [] : [`parts.js ended in state ${state}`])
    .concat(empty ? [`${empty} block(s) left empty`] : []);
}"""

# Load every image now (lazy ones too) and report the broken or unlabelled ones.
_IMAGES_JS = """async () => {
  const imgs = Array.from(document.querySelectorAll("img"));
  imgs.forEach(img => { img.loading = "eager"; });
  await Promise.all(imgs.map(img => img.complete ? null :
    new Promise(done => { img.addEventListener("load", done); img.addEventListener("error", done);
                          setTimeout(done, 5000); })));
  return imgs.map(img => ({ src: img.currentSrc || img.getAttribute("src") || "",
                            alt: (img.getAttribute("alt") || "").trim(),
                            ok: img.complete && img.naturalWidth > 0 }));
}"""


def site_dir() -> Path:
    return Path(os.environ.get("VGP_SITE_DIR", ROOT / "site"))


def site_pages(root: Path) -> list[str]:
    """Every HTML page of a built site as a URL path ('/', '/lessons/bptt/', ...), found on
    disk and cross-checked against sitemap.xml (every sitemap entry must exist)."""
    pages = set()
    for html in root.rglob("*.html"):
        if PARTS_FILE.fullmatch(html.name):
            continue   # a long page's later parts (vgp/_deferred.py): see parts_files
        rel = html.relative_to(root).as_posix()
        pages.add("/" + (rel[: -len("index.html")] if rel.endswith("index.html") else rel))
    sitemap = root / "sitemap.xml"
    if sitemap.is_file():
        ns = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}
        for loc in ET.parse(sitemap).getroot().findall("s:url/s:loc", ns):
            path = urlsplit(loc.text.strip()).path
            if path not in pages:
                raise AssertionError(f"sitemap.xml lists {path} but the site has no such page")
    return sorted(pages)


def parts_files(root: Path) -> list[str]:
    """URL paths of the files that hold long pages' later parts (vgp/_deferred.py)."""
    return sorted("/" + p.relative_to(root).as_posix() for p in root.rglob("parts.*.html")
                  if PARTS_FILE.fullmatch(p.name))


def sitemap_for(xml: str, origin: str) -> str:
    """sitemap.xml with the site's URL (its shortest `<loc>`, the home page) replaced by
    `origin`: the site as it would be deployed there. Material's instant navigation only
    takes over links to pages listed in the sitemap, so without this it never runs on a
    loopback server."""
    locs = re.findall(r"<loc>([^<]+)</loc>", xml)
    if not locs:
        return xml
    home = min(locs, key=len)
    return xml.replace(f"<loc>{home}", f"<loc>{origin}/")


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):  # keep pytest output clean
        pass

    def send_head(self):
        if self.path.split("?")[0] != "/sitemap.xml":
            return super().send_head()
        path = Path(self.translate_path(self.path))
        if not path.is_file():
            return super().send_head()
        body = sitemap_for(path.read_text(encoding="utf-8"), self.server.origin).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/xml")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        return io.BytesIO(body)

    def end_headers(self):
        # LinkChecker throttles every host to ~3 requests/s unless the server sends this
        # header (our own loopback server, so no one is being spared).
        self.send_header("LinkChecker", "allow")
        super().end_headers()


class SiteServer:
    """`python -m http.server` on 127.0.0.1 over a directory, on a free port, in a thread."""

    def __init__(self, directory: Path):
        handler = functools.partial(_Quiet, directory=str(directory))
        self.httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
        self.origin = f"http://127.0.0.1:{self.httpd.server_address[1]}"
        self.httpd.origin = self.origin   # the handler serves sitemap.xml for this origin
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.httpd.shutdown()
        self.httpd.server_close()


def launch(playwright):
    return playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)


class Recorder:
    """Console errors, failed requests and foreign requests of one page while it lives."""

    def __init__(self, page, origin: str):
        self.origin = origin
        self.problems: list[str] = []
        page.on("console", self._console)
        page.on("pageerror", lambda exc: self.problems.append(f"uncaught exception: {exc}"))
        page.on("requestfailed", self._failed)
        page.on("response", self._response)
        page.route("**/*", self._route)

    def _console(self, msg):
        if msg.type == "error":
            self.problems.append(f"console error: {msg.text}")

    def _foreign(self, url: str) -> bool:
        return not (url.startswith(self.origin + "/") or url == self.origin
                    or url.startswith(LOCAL_SCHEMES))

    def _route(self, route):
        url = route.request.url
        if self._foreign(url):
            self.problems.append(f"request to another host: {url}")
            route.abort("blockedbyclient")   # never let it leave the machine
        else:
            route.continue_()

    def _failed(self, request):
        if not self._foreign(request.url):
            self.problems.append(f"failed request: {request.url} ({request.failure})")

    def _response(self, response):
        if response.status >= 400:
            self.problems.append(f"HTTP {response.status}: {response.url}")


def wait_for_parts(page) -> None:
    """On a long page in two files (vgp/_deferred.py), wait until parts.js has filled it,
    and on a page with lazy blocks until every block is shown (show-sections.html); on any
    other page, return at once."""
    page.wait_for_function("() => (!document.querySelector('meta[name=\"vgp-parts\"]')"
                           " || document.documentElement.getAttribute('data-vgp-parts')"
                           " === 'ready') && (!document.querySelector('.vgp-section')"
                           " || document.documentElement.hasAttribute('data-vgp-shown'))",
                           timeout=15000)


def wake_theme(page) -> None:
    """Interact as a reader would (move the pointer) and wait until Material's bundle, which
    runs on the first interaction (overrides/partials/theme-on-interaction.html), is ready."""
    page.mouse.move(3, 3)
    page.mouse.move(9, 9)
    page.wait_for_selector("html[data-theme-script='ready']", state="attached", timeout=15000)


def audit(page, url: str, origin: str) -> list[str]:
    """Load `url` and return every problem found on it (see the module docstring).

    The page is checked as loaded (no theme script yet), then after a first interaction has
    run Material's bundle, so errors of either state are reported."""
    rec = Recorder(page, origin)
    page.goto(url, wait_until="load")
    page.wait_for_load_state("networkidle")
    if page.evaluate("document.querySelector('script[data-vgp-bundle]') === null"):
        rec.problems.append("Material's bundle is missing or ran before any interaction")
    wake_theme(page)   # on a long page, Material starts once parts.js has filled every block
    page.wait_for_load_state("networkidle")
    problems = rec.problems
    problems += [f"long page: {p}" for p in page.evaluate(_PARTS_JS)]
    math = page.evaluate(_MATH_JS)
    problems += [f"math not rendered: {t!r}" for t in math["unrendered"]]
    problems += [f"KaTeX error: {t!r}" for t in math["errors"]]
    if math["total"] and not math["styled"]:
        problems.append("math is not styled by katex.min.css (KaTeX fonts not applied)")
    for m in RAW_TEX.finditer(page.evaluate(_PROSE_TEXT_JS)):
        problems.append(f"raw TeX in the text: {m.group(0)[:60]!r}")
    for img in page.evaluate(_IMAGES_JS):
        if not img["ok"]:
            problems.append(f"image did not load: {img['src']}")
        if not img["alt"]:
            problems.append(f"image without alt text: {img['src']}")
    page.wait_for_load_state("networkidle")   # requests the image pass started
    return list(dict.fromkeys(problems))


def copy_site(src: Path, dst: Path) -> Path:
    shutil.copytree(src, dst)
    return dst
