"""What keeps pages light, checked on the built site (marker `site`) and in Chromium (`browser`):

* math is typeset at build time: no page loads a math script or keeps TeX in its math;
* Material's bundle runs on the first interaction; code blocks mount lazily (`content.lazy`);
* long pages are wrapped in lazy sections (content-visibility), the page's last part excepted;
  on API pages, the bodies of a module's members (no heading inside, the last one excepted);
* the search index holds no code blocks and is fetched only when the reader uses search.
"""

from __future__ import annotations

import json
import re

import pytest

from browser_checks import parts_files, site_pages
from vgp import _sections
from vgp._deferred import restore


def _html(root, path: str) -> str:
    return (root / path.lstrip("/") / "index.html").read_text(encoding="utf-8")


def _whole(root, path: str) -> str:
    """The page with its later parts put back, if it comes in two files (vgp/_deferred.py)."""
    parts = sorted((root / path.lstrip("/")).glob("parts.*.html"))
    text = _html(root, path)
    return restore(text, parts[0].read_text(encoding="utf-8")) if parts else text


def _pages(root) -> list[str]:
    return [p for p in site_pages(root) if p.endswith("/")]


@pytest.mark.site
def test_math_is_typeset_at_build_time(built_site):
    with_math = 0
    texts = [_html(built_site, path) for path in _pages(built_site)]
    texts += [(built_site / p.lstrip("/")).read_text(encoding="utf-8")   # long pages' later parts
              for p in parts_files(built_site)]
    for path, text in zip(_pages(built_site) + parts_files(built_site), texts):
        assert "katex.min.js" not in text and "auto-render" not in text, path
        for m in re.finditer(r'<(span|div) class="arithmatex">(.{0,40})', text):
            assert m.group(2).startswith('<span class="katex'), f"{path}: {m.group(0)!r}"
            with_math += 1
    assert with_math > 1000
    assert not (built_site / "assets" / "katex" / "katex.min.js").exists()


@pytest.mark.site
def test_bundle_waits_for_interaction_and_code_blocks_mount_lazily(built_site):
    text = _html(built_site, "/")
    assert not re.search(r'<script src="[^"]*bundle\.[0-9a-f]+\.min\.js"', text)
    assert re.search(r'<script type="text/plain" data-vgp-bundle '
                     r'data-src="[^"]*assets/javascripts/bundle\.[0-9a-f]+\.min\.js"></script>', text)
    assert "vgp:theme-ready" in text   # the loader (overrides/partials/theme-on-interaction.html)
    config = json.loads(re.search(r'<script id="__config" type="application/json">(.*?)</script>',
                                  text, re.DOTALL).group(1))
    assert "content.lazy" in config["features"]


@pytest.mark.browser
def test_bundle_runs_on_the_first_interaction_and_material_then_works(page, server):
    bundles = []
    page.on("request", lambda r: bundles.append(r.url) if "/bundle." in r.url and
            r.url.endswith(".js") else None)
    page.goto(server.origin + "/lessons/bptt/", wait_until="load")
    page.wait_for_load_state("networkidle")
    assert bundles == []
    assert page.evaluate("typeof document$") == "undefined"
    assert page.locator(".md-code__button").count() == 0       # copy buttons are Material's
    page.mouse.wheel(0, 400)                                   # a reader scrolls
    page.wait_for_selector("html[data-theme-script='ready']", state="attached", timeout=15000)
    assert len(bundles) == 1
    assert page.evaluate("typeof document$") == "object"
    page.locator(".highlight").nth(3).scroll_into_view_if_needed()   # content.lazy: in view
    page.locator(".md-code__button[data-md-type='copy']").first.wait_for(state="attached",
                                                                        timeout=15000)
    assert page.locator("form[data-md-component='palette'] label:visible").count() == 1
    assert page.locator(".md-search[role=dialog]").get_attribute("aria-label") == "Search"


@pytest.mark.site
def test_long_pages_have_lazy_sections(built_site):
    text = _whole(built_site, "/lessons/vanishing-exploding/")
    article = text[text.index("<article"):text.index("</article>")]
    assert article.count('class="vgp-section"') >= 5
    # the page's last part is eager (see vgp/_sections.py)
    last_section = article[article.index("</h2>", article.rindex("<h2")) + 5:]
    start, _ = _sections._blocks(last_section)[-1]
    assert not last_section[start:].startswith('<div class="vgp-section')


@pytest.mark.site
def test_api_pages_have_lazy_member_bodies_without_headings(built_site):
    text = _whole(built_site, "/reference/api/worked_example/")
    article = text[text.index("<article"):text.index("</article>")]
    lazy = re.findall(r'<div class="doc doc-contents[^"]* vgp-section" style="[^"]*">', article)
    assert len(lazy) >= 4
    # a heading inside a skipped block would make the theme lay it out to measure the heading
    for start in (m.end() for m in re.finditer(r'vgp-section" style="[^"]*">', article)):
        depth, pos = 1, start
        for tag in re.finditer(r"<(/?)div\b", article[start:]):
            depth += -1 if tag.group(1) else 1
            if depth == 0:
                pos = start + tag.start()
                break
        assert not re.search(r"<h[1-6]\b", article[start:pos])


@pytest.mark.site
def test_search_index_has_no_code_blocks(built_site):
    index = json.loads((built_site / "search" / "search_index.json").read_text(encoding="utf-8"))
    texts = [d["text"] for d in index["docs"]]
    assert len(texts) > 100
    assert not [t for t in texts if "<pre>" in t]
    assert any("vanishing" in t for t in texts)


@pytest.mark.browser
def test_search_index_is_fetched_on_first_use_of_search(page, server):
    fetched = []
    page.on("request", lambda r: fetched.append(r.url) if "search_index" in r.url else None)
    page.goto(server.origin + "/lessons/bptt/", wait_until="load")
    page.wait_for_load_state("networkidle")
    assert fetched == []
    assert page.evaluate("document.documentElement.getAttribute('data-search-index')") is None
    box = page.locator("input.md-search__input")
    box.click()
    box.press_sequentially("spectral radius", delay=30)
    page.locator(".md-search-result__item").first.wait_for(state="visible", timeout=15000)
    assert len(fetched) == 1 and fetched[0].endswith("/search/search_index.json")


@pytest.mark.browser
def test_search_result_link_highlights_on_the_target_page(page, server):
    """A result link carries ?h=...: the index is needed there at once (search.highlight)."""
    fetched = []
    page.on("request", lambda r: fetched.append(r.url) if "search_index" in r.url else None)
    page.goto(server.origin + "/lessons/bptt/?h=gradient", wait_until="load")
    page.locator("mark").first.wait_for(state="attached", timeout=15000)
    assert len(fetched) == 1
