"""Every page of the built site, in headless Chromium: no console error, no failed request,
no request to another host, math rendered, every image loaded and described; plus search
and the dark-mode toggle. Pages are discovered from the built site, never listed by hand."""

from __future__ import annotations

import pytest

from browser_checks import audit, site_dir, site_pages, wake_theme

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
