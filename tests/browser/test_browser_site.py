"""Every page of the built site, in headless Chromium: no console error, no failed request,
no request to another host, math rendered, every image loaded and described; plus search
and the dark-mode toggle. Pages are discovered from the built site, never listed by hand."""

from __future__ import annotations

import re

import pytest

from browser_checks import audit, site_dir, site_pages, wait_for_parts, wake_theme

pytestmark = pytest.mark.browser


def _pages():
    root = site_dir()
    return site_pages(root) if (root / "index.html").is_file() else ["/"]


def test_site_has_every_section(built_site):
    pages = site_pages(built_site)
    assert "/" in pages and "/explorer/" in pages
    assert any(p.startswith("/lessons/") for p in pages)


@pytest.mark.parametrize("path", _pages())
def test_page_is_clean(page, server, path):
    problems = audit(page, server.origin + path, server.origin)
    assert problems == [], f"{path}:\n  " + "\n  ".join(problems)


def test_pages_with_math_render_katex(page, server, built_site):
    """Math is typeset at build time (hooks/katex.py): the served HTML already holds KaTeX
    markup, on lesson and notebook pages alike, and no page loads a math script. The audit
    above checks each formula; this makes sure there are formulas to check (an empty site
    would pass the audit vacuously)."""
    scripts = []
    page.on("request", lambda r: scripts.append(r.url) if r.resource_type == "script" else None)
    for path in ("/explorer/", "/notebooks/bptt/"):
        page.goto(server.origin + path)
        assert page.locator(".arithmatex .katex").count() > 0, path
        assert page.evaluate("typeof katex === 'undefined'"), path
    assert not [u for u in scripts if "katex" in u.lower()]


def test_formulas_reach_assistive_technology_as_written(page, server):
    """KaTeX's MathML copy is what a screen reader gets. Its one-letter identifiers reach the
    accessibility tree as the letters the formula holds, not as the Unicode mathematical
    italic letters MathML draws them with (site.css, `.katex-mathml`)."""
    page.goto(server.origin + "/lessons/eigenvalues/")
    wait_for_parts(page)
    nodes = page.context.new_cdp_session(page).send("Accessibility.getFullAXTree")["nodes"]
    by_id = {n["nodeId"]: n for n in nodes}
    texts = []
    for node in nodes:
        if node.get("role", {}).get("value") == "MathMLIdentifier":
            for child in node.get("childIds", []):
                texts.append(str(by_id.get(child, {}).get("name", {}).get("value", "")))
    assert len(texts) > 50 and "W" in texts
    italic = [t for t in texts if any(0x1D400 <= ord(c) <= 0x1D7FF for c in t)]
    assert italic == [], f"mathematical alphanumerics reach assistive technology: {italic[:5]}"


def test_search_returns_a_result(page, server):
    page.goto(server.origin + "/")
    box = page.locator("input.md-search__input")
    box.click()
    box.press_sequentially("gradient", delay=30)   # Material searches on key events
    first = page.locator(".md-search-result__item").first
    first.wait_for(state="visible", timeout=15000)
    assert page.locator(".md-search-result__item").count() > 0
    href = first.locator("a").first.get_attribute("href")
    assert href.startswith(server.origin + "/")


def test_dark_mode_toggles(page, server):
    page.goto(server.origin + "/")
    body = page.locator("body")
    before = body.get_attribute("data-md-color-scheme")
    bg_before = page.evaluate("getComputedStyle(document.body).backgroundColor")
    page.locator("form[data-md-component='palette'] label:visible").first.click()
    page.wait_for_function(
        f"document.body.getAttribute('data-md-color-scheme') !== {before!r}")
    after = body.get_attribute("data-md-color-scheme")
    assert {before, after} == {"default", "slate"}
    assert page.evaluate("getComputedStyle(document.body).backgroundColor") != bg_before
    # the choice survives a reload (Material keeps it in localStorage)
    page.reload()
    assert body.get_attribute("data-md-color-scheme") == after
    # and toggles back once Material's bundle (run on the first interaction) has started
    wake_theme(page)
    page.locator("form[data-md-component='palette'] label:visible").first.click()
    page.wait_for_function(
        f"document.body.getAttribute('data-md-color-scheme') === {before!r}")


def _deep_links(root):
    """For every page with lazy sections: its last top-level heading but one."""
    links = []
    for path in site_pages(root):
        html = (root / path.strip("/") / "index.html").read_text() if path.endswith("/") else ""
        ids = re.findall(r'<h2 id="([^"]+)"', html)
        if "vgp-section" in html and len(ids) >= 2:
            links.append(f"{path}#{ids[-2]}")
    return links


def test_deep_links_land_on_their_heading(browser, server, built_site):
    """A link to a heading far down a page (a cross-reference, a table-of-contents entry
    opened in a new tab) shows that heading at the top, on a phone and on a desktop, even
    though the sections above it are laid out lazily with estimated heights."""
    links = _deep_links(built_site)
    assert any(link.startswith("/lessons/") for link in links)
    wrong = []
    for viewport in ({"width": 412, "height": 823}, {"width": 1280, "height": 900}):
        context = browser.new_context(viewport=viewport)
        pg = context.new_page()
        for link in links:
            pg.goto(server.origin + link, wait_until="load")
            pg.wait_for_timeout(300)
            top, room, header = pg.evaluate("""id => [
                document.getElementById(id).getBoundingClientRect().top,
                document.documentElement.scrollHeight - innerHeight - scrollY,
                document.querySelector(".md-header").getBoundingClientRect().bottom]""",
                link.split("#", 1)[1])
            # at the top, below the header (not under it); or, near the end of a page, scrolled
            # to the end
            at_end = room <= 1 and header <= top < viewport["height"] - 40
            if not (header <= top <= 150 or at_end):
                wrong.append(f"{viewport['width']}px {link}: heading at {top:.0f}px")
        context.close()
    assert wrong == [], "\n".join(wrong)


DRAWER = """() => {
  const wrap = document.querySelector(".md-sidebar--primary .md-sidebar__scrollwrap");
  const link = wrap.querySelector(".md-nav__link[href]");
  return [getComputedStyle(wrap).contentVisibility, link.checkVisibility()];
}"""


def test_phone_drawer_is_rendered_only_while_open(browser, server):
    """Below 76.25em the navigation is a drawer (site.css): closed, it is not rendered, so its
    off-screen links are out of the tab order and the accessibility tree; opened, it is; it
    stays rendered while it slides shut. On a desktop the same navigation is a sidebar, always
    rendered."""
    phone = browser.new_context(viewport={"width": 412, "height": 823}, is_mobile=True,
                                has_touch=True)
    pg = phone.new_page()
    pg.goto(server.origin + "/lessons/eigenvalues/")
    nav = pg.locator(".md-sidebar--primary")
    bptt = nav.get_by_role("link", name="Backpropagation through time", exact=True)
    assert pg.evaluate(DRAWER) == ["hidden", False]
    assert bptt.count() == 0                       # not in the accessibility tree
    pg.locator("label.md-header__button[for='__drawer']").click()
    assert pg.evaluate(DRAWER) == ["visible", True]
    bptt.wait_for(state="visible")
    pg.locator("label.md-overlay").click(position={"x": 380, "y": 400})
    pg.wait_for_timeout(80)                        # the slide takes 250 ms
    assert pg.evaluate(DRAWER) == ["visible", True]
    pg.wait_for_function("() => getComputedStyle(document.querySelector("
                         "'.md-sidebar--primary .md-sidebar__scrollwrap')).contentVisibility"
                         " === 'hidden'", timeout=3000)
    pg.locator("label.md-header__button[for='__drawer']").click()
    bptt.click()
    pg.wait_for_url("**/lessons/bptt/")
    phone.close()
    desktop = browser.new_context(viewport={"width": 1280, "height": 900})
    pg = desktop.new_page()
    pg.goto(server.origin + "/lessons/eigenvalues/")
    assert pg.evaluate(DRAWER) == ["visible", True]
    desktop.close()
