"""MkDocs hook: math typeset at build time with the vendored KaTeX (no math script on pages).

Thin by design: the logic is `vgp._katex` (tested in tests/test_katex.py). It runs on the
finished HTML of each page (`on_post_page`), after the search plugin has indexed the page,
so search still matches the TeX source rather than KaTeX's markup. Pages with math preload
the KaTeX fonts they use (a late font shifts the formulas: a layout shift). After the build,
the site's KaTeX fonts are cut down to the characters its formulas set (`vgp._fontsubset`).
"""

from __future__ import annotations

import logging
import time
from pathlib import Path

from mkdocs.exceptions import PluginError
from mkdocs.utils import get_relative_url

from vgp import _fontsubset, _katex

log = logging.getLogger("mkdocs.hooks.katex")
_state: dict = {}


def on_pre_build(config):
    _state.update(renderer=_katex.Renderer(), seconds=0.0)


def on_post_page(output, page, config):
    start = time.perf_counter()
    try:
        output = _katex.typeset(output, _state["renderer"])
        return _katex.font_preloads(output, get_relative_url("assets/katex/fonts", page.url))
    except _katex.KatexError as exc:
        raise PluginError(f"{page.file.src_uri}: {exc}") from None
    finally:
        _state["seconds"] += time.perf_counter() - start


def on_post_build(config):
    renderer = _state.pop("renderer")
    renderer.close()
    log.info("katex: %d formulas cached, %d node process(es) started, %.2fs",
             len(renderer), renderer.started, _state["seconds"])
    site = Path(config.site_dir)
    fonts = site / "assets" / "katex" / "fonts"
    if fonts.is_dir():
        start = time.perf_counter()
        chars = _fontsubset.site_chars(site)
        vendored = Path(config.docs_dir) / "assets" / "katex" / "fonts"
        before, after = _fontsubset.subset_fonts(fonts, vendored, chars)
        log.info("katex fonts: %d characters kept, WOFF2 files %d KB -> %d KB, %.2fs",
                 len(chars), before // 1024, after // 1024, time.perf_counter() - start)


def on_build_error(error):
    if "renderer" in _state:
        _state.pop("renderer").close()
