"""MkDocs hook: the stylesheets of every page bundled into one file after the build, without
the rules that can match nothing on the site (`vgp._csspurge`).

Thin by design: the logic is `vgp._cssbundle.bundle_site` (tested in tests/test_cssbundle.py).
Runs last (after mkdocstrings has written its stylesheet into the site).
"""

from __future__ import annotations

import logging

from mkdocs.plugins import event_priority

from vgp import _cssbundle

log = logging.getLogger("mkdocs.hooks.cssbundle")


@event_priority(-100)
def on_post_build(config):
    path = _cssbundle.bundle_site(config.site_dir, config.site_url or "https://example.invalid/",
                                  purge_unused=True)
    log.info("cssbundle: every page links %s", path)
