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
