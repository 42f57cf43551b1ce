"""MkDocs hook: a page whose Markdown and inputs are unchanged is not converted again.

Thin by design: the key, the entries and their replay are `vgp._pagecache` (tested in
tests/test_pagecache.py, including a site built with and without the cache compared byte
for byte). Entries live in `.cache/pages/`, at most three a page (`mkdocs serve` and
`mkdocs build` differ in `site_url`, which the citation box prints, so both are kept);
`VGP_PAGE_CACHE=0` turns it off.
Pages whose `render` another plugin replaced (mkdocs-jupyter's notebooks) are left alone.
"""

from __future__ import annotations

import logging
import types
from pathlib import Path

from mkdocs.plugins import event_priority
from mkdocs.structure.pages import Page

from vgp import _pagecache

log = logging.getLogger("mkdocs.hooks.pagecache")
INPUT_DIRS = ("vgp", "hooks", "docs/includes")   # what any page's conversion may read
_state: dict = {}


def on_pre_build(config):
    root = Path(config.config_file_path).resolve().parent
    targets = {}
    if "autorefs" in config.plugins:
        targets["anchor"] = (config.plugins["autorefs"], "register_anchor")
    if "mkdocstrings" in config.plugins:
        handlers = config.plugins["mkdocstrings"].handlers
        targets.update(inventory=(handlers.inventory, "register"), handler=(handlers, "get_handler"))
    checked = logging.getLogger("mkdocs").getEffectiveLevel() > logging.DEBUG
    _state.clear()
    _state.update(
        root=root,
        cache_dir=root / ".cache" / "pages",
        fingerprint=_pagecache.inputs_fingerprint(
            root, Path(config.config_file_path).resolve(),
            [d for d in INPUT_DIRS if (root / d).is_dir()])
        + f"\nlinks to anchors checked: {checked}",   # MkDocs records them only then
        recorder=_pagecache.Recorder(targets),
        replayed=0, converted=0,
    )


def on_files(files, config):
    _state["files"] = [f"{f.src_uri}\t{f.dest_uri}" for f in files]


@event_priority(-100)   # last: the key takes the Markdown every other hook has produced
def on_page_markdown(markdown, page, config, files):
    if not _pagecache.enabled() or "render" in vars(page):
        return markdown
    key = _pagecache.page_key(_state["fingerprint"], page.file.src_uri, markdown,
                              _state["files"], snippet_roots=[_state["root"]])
    path = _pagecache.entry_path(_state["cache_dir"], page.file.src_uri, key)
    entry = _pagecache.load(path)
    recorder = _state["recorder"]

    def render(self, config, files):
        if entry is not None:
            _pagecache.restore(self, entry, files, recorder)
            _state["replayed"] += 1
            return
        with recorder.recording(self) as rec:
            Page.render(self, config, files)
        _state["converted"] += 1
        if rec["storable"]:
            _pagecache.store(path, _pagecache.snapshot(self, rec["calls"]))

    page.render = types.MethodType(render, page)
    return markdown


def on_post_build(config):
    log.info(f"page cache: {_state['replayed']} pages replayed, {_state['converted']} converted")
