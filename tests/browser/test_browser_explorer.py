"""The decay explorer in a real browser: its numbers follow the sliders and are exactly the
strings vgp.explorer computes for the same inputs."""

from __future__ import annotations

import numpy as np
import pytest

from browser_checks import wake_theme
from vgp.explorer import decay_numbers, matrix_numbers
from vgp.spectral import nonnormal_example

pytestmark = pytest.mark.browser

DECAY_KEYS = ("factor", "gradient", "steps_to_1e-6", "regime")
MATRIX_KEYS = ("eigenvalues", "spectral_radius", "singular_values", "normal", "peak_norm",
               "peak_step", "last_norm", "transient_growth")


def _shown(widget, keys):
    return {k: widget.locator(f"output[data-out='{k}']").first.inner_text() for k in keys}


def _value(widget, key):
    return widget.locator(f"input[data-in='{key}']").input_value()


def _expected_decay(widget):
    r, s, n = (_value(widget, k) for k in ("radius", "slope", "steps"))
    want = decay_numbers(float(r), float(s), int(n))
    return {k: want[k] for k in DECAY_KEYS}


def _expected_matrix(widget):
    a, b, c, d, n = (_value(widget, k) for k in ("a", "b", "c", "d", "steps"))
    want = matrix_numbers([[float(a), float(b)], [float(c), float(d)]], int(n))
    return {k: want[k] for k in MATRIX_KEYS}


@pytest.fixture
def explorer(page, server):
    page.goto(server.origin + "/explorer/")
    page.wait_for_selector("[data-vgp-explorer][data-ready]")
    return page


def test_decay_numbers_follow_the_sliders_and_match_vgp(explorer):
    widget = explorer.locator("[data-vgp-explorer='decay']")
    start = _shown(widget, DECAY_KEYS)
    assert start == _expected_decay(widget)
    rng = np.random.default_rng(3)
    settings = [("0.93", "1", "120"), ("1.37", "0.8", "200"), ("0.05", "0.05", "500"),
                ("1", "1", "10"), ("0.5", "0.2", "1")]
    settings += [(f"{rng.integers(5, 201) / 100:g}", f"{rng.integers(5, 101) / 100:g}",
                  str(rng.integers(1, 501))) for _ in range(10)]
    for r, s, n in settings:
        for key, val in zip(("radius", "slope", "steps"), (r, s, n)):
            widget.locator(f"input[data-in='{key}']").fill(val)
        shown = _shown(widget, DECAY_KEYS)
        assert shown == _expected_decay(widget), (r, s, n)
    assert shown != start                                  # the numbers did change
    # the plot was redrawn for the last setting: one point per step 0..n
    points = widget.locator("polyline.vgp-line").get_attribute("points").split()
    assert len(points) == int(settings[-1][2]) + 1


def test_matrix_starts_at_vgp_nonnormal_example(explorer):
    widget = explorer.locator("[data-vgp-explorer='matrix']")
    entries = [float(_value(widget, k)) for k in ("a", "b", "c", "d")]
    assert entries == nonnormal_example().ravel().tolist()
    shown = _shown(widget, MATRIX_KEYS)
    assert shown == _expected_matrix(widget)
    assert shown["transient_growth"] == "yes"


def test_matrix_numbers_follow_sliders_and_presets(explorer):
    widget = explorer.locator("[data-vgp-explorer='matrix']")
    start = _shown(widget, MATRIX_KEYS)
    widget.locator("input[data-in='b']").fill("0")
    after = _shown(widget, MATRIX_KEYS)
    assert after != start and after == _expected_matrix(widget)
    assert after["normal"] == "yes" and after["transient_growth"] == "no"
    for preset in widget.locator("button[data-preset]").all():
        preset.click()
        assert _shown(widget, MATRIX_KEYS) == _expected_matrix(widget)
    rng = np.random.default_rng(11)
    for _ in range(12):
        entries = rng.integers(-40, 41, size=4) * 0.05
        for key, val in zip("abcd", entries):
            widget.locator(f"input[data-in='{key}']").fill(f"{val:.2f}")
        widget.locator("input[data-in='steps']").fill(str(rng.integers(5, 61)))
        assert _shown(widget, MATRIX_KEYS) == _expected_matrix(widget), entries


def test_explorer_works_after_instant_navigation(page, server):
    """Material swaps pages without a reload; the widgets must initialise all the same.

    The test server lists its own origin in sitemap.xml (browser_checks.sitemap_for), as the
    deployed site lists site_url, so Material's instant navigation takes over the click."""
    page.goto(server.origin + "/")
    wake_theme(page)   # instant navigation is Material's, run on the first interaction
    page.wait_for_function("() => window.document$ !== undefined")
    page.evaluate("window.vgpSameDocument = true")
    page.locator("a[href$='explorer/']").first.click()
    page.wait_for_selector("[data-vgp-explorer='decay'][data-ready]")
    assert page.evaluate("window.vgpSameDocument === true"), "the click reloaded the page"
    # the swapped-in page's lazy blocks are shown too: Material does not run the page's
    # inline script (overrides/partials/show-sections.html); site.js calls vgpShowSections
    assert page.locator("article .vgp-section").count() > 0
    page.wait_for_function(
        "() => !document.querySelector('article .vgp-section:not([data-vgp-shown])')",
        timeout=15000)
    widget = page.locator("[data-vgp-explorer='decay']")
    assert _shown(widget, DECAY_KEYS) == _expected_decay(widget)
