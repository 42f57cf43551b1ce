"""Long pages in two files (vgp/_deferred.py, docs/javascripts/parts.js), in Chromium: the
filled page is the whole page, the parts file reads on its own, and what a reader does (follow
a link into a later part, navigate from another page, copy a later code block, lose the
network) still works."""

from __future__ import annotations

import re

import pytest

from browser_checks import _IMAGES_JS, _MATH_JS, Recorder, parts_files, wait_for_parts, wake_theme
from vgp._deferred import restore

pytestmark = pytest.mark.browser
LONG = "/lessons/eigenvalues/"
ARTICLE_JS = "() => document.querySelector('article').innerHTML"


def _ready(page, state: str = "ready") -> None:
    page.wait_for_selector(f"html[data-vgp-parts='{state}']", state="attached", timeout=15000)


def _parts_of(built_site, path: str) -> tuple[str, str]:
    folder = built_site / path.strip("/")
    short = (folder / "index.html").read_text(encoding="utf-8")
    (parts,) = folder.glob("parts.*.html")
    return short, parts.read_text(encoding="utf-8")


def test_long_pages_are_split(built_site):
    files = parts_files(built_site)
    assert LONG in {f.rsplit("/", 1)[0] + "/" for f in files}
    assert len(files) >= 5


def test_the_filled_page_is_the_whole_page(page, server, built_site):
    """The article after parts.js has run is, element for element, the article of the page
    put back together (vgp._deferred.restore), served at another URL of the same folder."""
    short, parts = _parts_of(built_site, LONG)
    whole = restore(short, parts)
    page.route("**/lessons/eigenvalues/whole.html",
               lambda route: route.fulfill(body=whole, content_type="text/html; charset=utf-8"))
    page.goto(server.origin + LONG + "whole.html", wait_until="load")
    wait_for_parts(page)         # every lazy block shown (show-sections.html)
    expected = re.sub(r' data-vgp-shown=""', "", page.evaluate(ARTICLE_JS))
    page.goto(server.origin + LONG, wait_until="load")
    wait_for_parts(page)
    got = re.sub(r' data-vgp-part="\d+"| data-vgp-filled=""| data-vgp-shown=""', "",
                 page.evaluate(ARTICLE_JS))
    assert len(expected) > 500_000
    assert got == expected


def test_every_parts_file_reads_on_its_own(browser, server, built_site):
    """The fallback for readers without JavaScript: each parts file loads cleanly, styled,
    with its math rendered and its images loaded."""
    for path in parts_files(built_site):
        context = browser.new_context()
        page = context.new_page()
        rec = Recorder(page, server.origin)
        page.goto(server.origin + path, wait_until="load")
        math = page.evaluate(_MATH_JS)
        images = page.evaluate(_IMAGES_JS)
        page.wait_for_load_state("networkidle")
        problems = list(rec.problems)
        problems += [f"math not rendered: {t!r}" for t in math["unrendered"] + math["errors"]]
        if math["total"] and not math["styled"]:
            problems.append("math is not styled")
        problems += [f"image: {i['src']}" for i in images if not i["ok"] or not i["alt"]]
        context.close()
        assert not problems, f"{path}: {problems}"


def test_a_link_into_a_later_part_lands_on_its_target(page, server, built_site):
    _, parts = _parts_of(built_site, LONG)
    target = re.search(r'<figure[^>]* id="([^"]+)"', parts).group(1)
    page.goto(server.origin + LONG + "#" + target, wait_until="load")
    _ready(page)
    page.wait_for_timeout(500)   # site.js holds the target through a few frames
    top = page.evaluate(f"document.getElementById('{target}').getBoundingClientRect().top")
    assert 0 <= top < 100, top


def test_navigating_from_another_page_loads_a_long_page_in_full(page, server):
    """Material's instant navigation would show the page without its later parts; parsing
    such a page fails on purpose and Material loads it as a new page."""
    errors = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.goto(server.origin + "/", wait_until="load")
    wake_theme(page)
    page.locator(f"a[href$='{LONG.lstrip('/')}']:visible").first.click()
    page.wait_for_url("**" + LONG)
    _ready(page)
    entry = page.evaluate("performance.getEntriesByType('navigation')[0].name")
    assert entry.endswith(LONG)                       # a new document, not a swapped one
    assert page.evaluate("document.querySelectorAll('[data-vgp-part]:not([data-vgp-filled])')"
                         ".length") == 0
    assert not errors


def test_a_later_code_block_gets_its_copy_button(page, server):
    page.goto(server.origin + LONG, wait_until="load")
    _ready(page)
    wake_theme(page)
    code = page.locator("[data-vgp-filled] pre > code").nth(2)
    code.scroll_into_view_if_needed()
    # Material puts the copy button in a <nav> before the code once the block is in view
    code.locator("xpath=..").locator(".md-code__nav").wait_for(state="attached", timeout=5000)


def test_without_the_parts_file_each_block_links_to_it_and_the_theme_starts(page, server):
    page.route("**/parts.*.html", lambda route: route.fulfill(status=503, body="down"))
    page.goto(server.origin + LONG, wait_until="load")
    _ready(page, "failed")
    notes = page.evaluate("""() => Array.from(document.querySelectorAll('[data-vgp-part]'),
        el => el.querySelector('.vgp-parts-note a')?.getAttribute('href') || '')""")
    assert notes and all(re.fullmatch(r"parts\.[0-9a-f]{10}\.html", n) for n in notes)
    note = page.locator(".vgp-parts-note").nth(3)
    note.scroll_into_view_if_needed()
    assert note.is_visible()
    wake_theme(page)


def test_blocks_keep_their_estimated_height_until_filled(page, server):
    page.route("**/parts.*.html", lambda route: None)   # never answered
    page.goto(server.origin + LONG, wait_until="domcontentloaded")
    page.evaluate("document.querySelectorAll('[data-vgp-part]')[2].scrollIntoView()")
    heights = page.evaluate("""() => Array.from(document.querySelectorAll('[data-vgp-part]'),
        el => [el.getBoundingClientRect().height,
               parseFloat(el.style.getPropertyValue('--vgp-section-height'))])""")
    assert len(heights) > 10
    assert all(abs(h - estimate) < 1 for h, estimate in heights), heights


def test_without_javascript_the_empty_blocks_take_no_room(browser, server):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(server.origin + LONG, wait_until="load")
    boxes = [page.locator("[data-vgp-part]").nth(i).bounding_box()
             for i in range(page.locator("[data-vgp-part]").count())]
    note = page.locator(".vgp-parts-note a")
    assert note.is_visible() and re.fullmatch(r"parts\.[0-9a-f]{10}\.html",
                                              note.get_attribute("href"))
    assert boxes[0]["height"] > 0 and all(b["height"] == 0 for b in boxes[1:])
    context.close()


def test_site_scripts_run_again_once_the_blocks_are_filled(page, server):
    """vgpOnPage callbacks (site.js, explorer.js) see a long page's later blocks too."""
    held = []
    page.route("**/parts.*.html", lambda route: held.append(route))   # answered below
    page.goto(server.origin + LONG, wait_until="load")
    page.evaluate("window.runs = 0; vgpOnPage(() => { window.runs += 1; })")
    for _ in range(100):
        if held:
            break
        page.wait_for_timeout(50)
    assert page.evaluate("window.runs") == 1
    held[0].continue_()
    _ready(page)
    assert page.evaluate("window.runs") == 2
