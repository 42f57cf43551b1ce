"""Lazy sections (vgp/_sections.py) must not move anything: on every page with lazy
sections, at a phone's and a desktop's width, each block of the article sits at the same
height with the wrappers as after removing them from the page (with every section
rendered, so the estimates play no part).

The wrappers contain their children's margins (layout containment), so the CSS zeroes a
wrapper's first and last child margins and puts 1em between two parts of one section; this
test is what checks that those rules and the places where `split_parts` may cut add up to the
page's own spacing.
"""

from __future__ import annotations

import re

import pytest
from browser_checks import site_pages, wait_for_parts

pytestmark = pytest.mark.browser

MEASURE = """async () => {
  const article = document.querySelector("article");
  const style = document.createElement("style");
  style.textContent = ".vgp-section { content-visibility: visible !important; }";
  document.head.append(style);
  document.querySelectorAll("img[loading=lazy]").forEach(img => img.loading = "eager");
  const settle = async () => {
    await document.fonts.ready;
    await new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)));
  };
  const blocks = [...article.querySelectorAll(":scope > *, :scope > div.vgp-section > *")]
    .filter(el => !el.matches("div.vgp-section"));
  const tops = () => blocks.map(el => el.getBoundingClientRect().top + scrollY);
  await settle();
  const wrapped = tops();
  article.querySelectorAll(":scope > div.vgp-section").forEach(s => s.replaceWith(...s.childNodes));
  await settle();
  const plain = tops();
  return blocks.map((el, i) => [el.tagName.toLowerCase() + (el.id ? "#" + el.id : "")
      + (el.className && typeof el.className === "string" ? "." + el.className.split(" ")[0] : ""),
      wrapped[i], plain[i]]);
}"""


def _pages_with_sections(root):
    out = []
    for path in site_pages(root):
        if path.endswith("/"):
            html = (root / path.strip("/") / "index.html").read_text()
            if re.search(r'<div class="vgp-section" style=', html):
                out.append(path)
    return out


def test_lazy_sections_keep_every_block_in_place(browser, server, built_site):
    pages = _pages_with_sections(built_site)
    assert any(p.startswith("/lessons/") for p in pages)
    moved = []
    for viewport in ({"width": 412, "height": 823}, {"width": 1280, "height": 900}):
        context = browser.new_context(viewport=viewport)
        pg = context.new_page()
        for path in pages:
            pg.goto(server.origin + path, wait_until="load")
            wait_for_parts(pg)   # a long page in two files is measured once filled
            rows = pg.evaluate(MEASURE)
            assert len(rows) > 5, path
            # the first block that moves (the ones after it move with it)
            first = next((r for r in rows if abs(r[1] - r[2]) > 0.5), None)
            if first:
                moved.append(f"{viewport['width']}px {path}: {first[0]} at {first[1]:.1f}px, "
                             f"{first[2]:.1f}px without the wrappers")
        context.close()
    assert moved == [], "\n".join(moved)


# --- lazy blocks start unrendered; overrides/partials/show-sections.html shows them ---------

STATE = """() => [...document.querySelectorAll("article .vgp-section")].map(el => [
  el.getBoundingClientRect().top < innerHeight, el.hasAttribute("data-vgp-shown"),
  getComputedStyle(el).contentVisibility])"""


def _held(browser, server, path, viewport):
    """A page whose load event waits for an image the test answers (`release`)."""
    context = browser.new_context(viewport=viewport)
    page = context.new_page()
    held = []
    page.route("**/vgp-hold.png", lambda route: held.append(route))
    url = server.origin + path.split("#")[0]
    page.route(url, lambda route: route.fulfill(
        response=(r := route.fetch()),
        body=r.text().replace("</body>", '<img src="/vgp-hold.png" alt=""></body>')))
    page.goto(server.origin + path, wait_until="domcontentloaded")
    page.wait_for_function("window.vgpShowSections !== undefined")
    return context, page, lambda: held[0].fulfill(status=204)


def test_lazy_blocks_are_shown_first_screen_first_then_all_after_the_load(browser, server):
    """Before the load, the blocks that start on the first screen are shown and no other
    (those are `content-visibility: hidden`, not laid out even one screen away); after it,
    every block is shown and laid out lazily (`auto`)."""
    context, page, release = _held(browser, server, "/lessons/eigenvalues/",
                                   {"width": 412, "height": 1600})
    before = page.evaluate(STATE)
    first = [shown for on_first, shown, _ in before if on_first]
    later = [shown for on_first, shown, _ in before if not on_first]
    assert first and len(later) > 10
    assert all(first), "a block on the first screen is not shown"
    assert not any(later), "a block below the first screen was shown before the load"
    assert {cv for _, shown, cv in before if not shown} == {"hidden"}
    assert not page.evaluate("document.documentElement.hasAttribute('data-vgp-shown')")
    release()
    wait_for_parts(page)
    after = page.evaluate(STATE)
    assert all(shown for _, shown, _ in after)
    assert {cv for _, _, cv in after} == {"auto"}
    context.close()


def test_a_link_into_the_page_shows_every_block_at_once(browser, server):
    context, page, release = _held(browser, server, "/lessons/eigenvalues/#intuition",
                                   {"width": 412, "height": 823})
    assert all(shown for _, shown, _ in page.evaluate(STATE))
    release()
    context.close()


def test_lazy_blocks_show_without_javascript_and_in_print(browser, server):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(server.origin + "/lessons/eigenvalues/")
    states = page.evaluate(STATE)
    assert len(states) > 10 and not any(shown for _, shown, _ in states)
    assert {cv for _, _, cv in states} <= {"auto", "visible"}   # visible: empty parts
    page.emulate_media(media="print")
    assert {cv for _, _, cv in page.evaluate(STATE)} == {"visible"}
    context.close()

