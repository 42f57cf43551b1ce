"""MkDocs hook: a long page ships its first screens, and its later lazy blocks come from a
second file fetched once it has loaded (docs/javascripts/parts.js).

Thin by design: the logic is `vgp._deferred.split` (tested in tests/test_deferred.py). It runs
on the finished HTML (`on_post_page`, after hooks/katex.py has typeset the math), and writes
the parts file beside the page in the site directory, never into docs/.
"""

from __future__ import annotations

import logging
from pathlib import Path

from mkdocs.utils import get_relative_url

from vgp import _deferred

log = logging.getLogger("mkdocs.hooks.deferred")
_state: dict = {}


def on_pre_build(config):
    _state.update(pages=0, moved=0)


def on_post_page(output, page, config):
    result = _deferred.split(output, get_relative_url("javascripts/parts.js", page.url))
    if result is None:
        return output
    short, name, parts = result
    folder = (Path(config.site_dir) / page.file.dest_uri).parent
    folder.mkdir(parents=True, exist_ok=True)
    for stale in folder.glob("parts.*.html"):   # `mkdocs serve` rebuilds into the same folder
        if stale.name != name:
            stale.unlink()
    (folder / name).write_text(parts, encoding="utf-8")
    _state["pages"] += 1
    _state["moved"] += len(output.encode()) - len(short.encode())   # bytes, as the log says
    return short


def on_post_build(config):
    log.info("deferred parts: %d pages, %d KB moved out of them", _state.get("pages", 0),
             _state.get("moved", 0) // 1024)
