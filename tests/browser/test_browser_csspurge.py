"""The purged stylesheet (vgp._csspurge) styles the site exactly as the whole one would.

Each sample page is loaded twice, once as built and once with the stylesheet request answered
by the whole bundle (every rule of the files it was made from, `vgp._cssbundle.concatenate`).
The computed style of every element, every property, and of every ::before and ::after that
has content, must be the same: on a phone in the light scheme or on a desktop in the dark
one, and, in both, with the search open and showing results (markup that Material's bundle
builds, some of it with class names put together in JavaScript) and every code block given
its copy button.
"""

from __future__ import annotations

import pytest

from browser_checks import wait_for_parts, wake_theme
from vgp import _cssbundle, _csspurge

pytestmark = pytest.mark.browser

VIEWS = {"phone, light": dict(viewport={"width": 412, "height": 823}, is_mobile=True,
                              has_touch=True, color_scheme="light"),
         "desktop, dark": dict(viewport={"width": 1280, "height": 900}, color_scheme="dark")}

# One string per element (and pseudo-element with content): its tag and classes, then a
# 32-bit FNV-1a hash of its computed properties (every property the root element has,
# custom properties included, in name order); for the row numbered `detail`, the properties
# themselves, separated by NUL.
STYLES = """(detail) => {
  const rows = [];
  const names = Array.from(getComputedStyle(document.documentElement)).sort();
  const text = (cs) => names.map((p) => p + ":" + cs.getPropertyValue(p)).join("\\u0000");
  const hash = (s) => { let h = 0x811c9dc5; for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i); h = Math.imul(h, 0x01000193); } return (h >>> 0).toString(16); };
  for (const el of document.querySelectorAll("*")) {
    const name = el.tagName.toLowerCase() + "." + (el.getAttribute("class") || "").trim();
    for (const pseudo of [null, "::before", "::after"]) {
      const cs = getComputedStyle(el, pseudo);
      if (pseudo && cs.content === "none") continue;
      const key = name + (pseudo || "");
      rows.push(detail === rows.length ? key + " " + text(cs) : key + " " + hash(text(cs)));
    }
  }
  return rows;
}"""


# Fewer results than Material shows at once: more would be added as the list scrolls, at
# moments that vary from load to load.
QUERY = "Lyapunov"

# Each kind of page in one of the two views (both would double the suite's time for this).
CASES = [("/", "phone, light"), ("/", "desktop, dark"), ("/lessons/recurrence/", "phone, light"),
         ("/explorer/", "desktop, dark"), ("/quiz/", "phone, light"),
         ("/reference/api/init/", "desktop, dark"), ("/notebooks/recurrence/", "phone, light"),
         ("/reference/glossary/", "desktop, dark")]


@pytest.fixture(scope="module")
def whole_bundle(built_site):
    bundle = next((built_site / "assets" / "stylesheets").glob("bundle.*.css"))
    purged = bundle.read_text(encoding="utf-8")
    whole = _cssbundle.concatenate(built_site, _cssbundle.sources(purged))
    assert len(whole) > 1.2 * len(purged)          # the purge removed something to compare
    return bundle.name, whole


def _settle(page, quiet_ms: int = 300) -> None:
    """Wait until the page has stopped adding elements for `quiet_ms` (search results arrive
    in batches)."""
    count = -1
    for _ in range(12_000 // quiet_ms):
        page.wait_for_timeout(quiet_ms)
        now = page.evaluate("document.querySelectorAll('*').length")
        if now == count:
            return
        count = now
    raise AssertionError("the page kept changing for 12 s")


# content.lazy: Material gives a code block its copy button once the block has been on screen
# (an IntersectionObserver). Opening the search on a phone lays the page out again, which made
# blocks far below the screen count as seen in most loads but not all (CI: 616 rows against
# 625). So every block is scrolled into view, and the page back to its top, before searching.
COPY_BUTTONS = """async () => {
  const frame = () => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)));
  for (const code of document.querySelectorAll("pre > code")) {
    code.scrollIntoView({block: "center"});
    await frame();
  }
  scrollTo(0, 0);
  await frame();
}"""
ALL_BUTTONS = ("() => Array.from(document.querySelectorAll('pre > code'))"
               ".every((code) => code.parentElement.querySelector('nav.md-code__nav'))")


def _styles(browser, server, path, view, bundle=None, search=False, detail=-1):
    """The STYLES rows of a page; `bundle` = (file name, CSS) answers the stylesheet request
    instead of the built bundle."""
    context = browser.new_context(**VIEWS[view])
    page = context.new_page()
    if bundle:
        name, css = bundle
        page.route(f"**/{name}", lambda route: route.fulfill(body=css, content_type="text/css"))
    page.goto(server.origin + path)
    wait_for_parts(page)   # lazy blocks are shown after the load (show-sections.html)
    if search:
        wake_theme(page)
        page.evaluate(COPY_BUTTONS)
        page.wait_for_function(ALL_BUTTONS, timeout=15000)
        if view.startswith("phone"):                 # the search opens from its icon
            page.locator("label.md-header__button[for='__search']").first.click()
        box = page.locator("input.md-search__input")
        box.click()
        box.press_sequentially(QUERY, delay=30)
        page.locator(".md-search-result__item").first.wait_for(state="visible", timeout=15000)
        assert page.locator(".md-search-result__item").count() < 10
    # the results of a prefix of the query can hold still for a while under load before the
    # query's own replace them
    _settle(page, 1000 if search else 300)
    rows = page.evaluate(STYLES, detail)
    context.close()
    return rows


def _compare(browser, server, whole_bundle, path, view, search=False, purged_bundle=None):
    """Fail if an element is styled differently with the purged bundle (as built, or
    `purged_bundle`) than with the whole one."""
    purged = _styles(browser, server, path, view, purged_bundle, search=search)
    whole = _styles(browser, server, path, view, whole_bundle, search=search)
    assert len(purged) == len(whole), f"{path} ({view}): element count differs"
    for i, (a, b) in enumerate(zip(purged, whole)):
        if a != b:
            a, b = (_styles(browser, server, path, view, bundle, search=search,
                            detail=i)[i].split(" ", 1) for bundle in (purged_bundle, whole_bundle))
            props_a, props_b = (dict(p.split(":", 1) for p in x[1].split("\0")) for x in (a, b))
            diff = {k: (props_a.get(k), props_b.get(k)) for k in props_a.keys() | props_b.keys()
                    if props_a.get(k) != props_b.get(k)}
            pytest.fail(f"{path} ({view}): {a[0]} styled differently without the purged "
                        f"rules (purged, whole): {dict(sorted(diff.items())[:8])}")


@pytest.mark.parametrize(("path", "view"), CASES)
def test_purged_stylesheet_changes_no_computed_style(browser, server, whole_bundle, path, view):
    _compare(browser, server, whole_bundle, path, view)


@pytest.mark.parametrize("view", VIEWS)
def test_purged_stylesheet_styles_search_results_the_same(browser, server, whole_bundle, view):
    _compare(browser, server, whole_bundle, "/", view, search=True)


def test_comparison_notices_a_rule_purged_by_mistake(browser, server, built_site, whole_bundle):
    """The check itself: a bundle purged as if no element had the class `md-header__title`
    (which the header has) must fail it."""
    name, whole = whole_bundle
    tokens = _csspurge.site_tokens(built_site) - {"md-header__title"}
    broken = (name, _csspurge.purge(whole, tokens))
    with pytest.raises(pytest.fail.Exception, match="md-header__title.*styled differently"):
        _compare(browser, server, whole_bundle, "/", "desktop, dark", purged_bundle=broken)
