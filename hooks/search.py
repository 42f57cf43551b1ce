"""MkDocs hook: code blocks stay out of the search index.

Thin by design: what the index reads is `vgp._search.index_view` (tested in
tests/test_search.py). Material's search plugin indexes a page in its `on_page_context`
(priority 0); this hook shows it the page without code blocks just before (priority 50) and
gives the page its full content back just after (priority -50), before the theme renders it.
The plugin's index keeps each page's entries in `.cache/search/` (`_search.cache_entries`),
so an unchanged page is not parsed again; off with the page cache (`VGP_PAGE_CACHE=0`).
"""

from __future__ import annotations

import logging
from pathlib import Path

from mkdocs.exceptions import PluginError
from mkdocs.plugins import CombinedEvent, event_priority

from vgp import _pagecache, _search

log = logging.getLogger("mkdocs.hooks.search")
_full: dict[str, tuple[str, str]] = {}   # page -> (full content, the view the index saw)
_counts: dict[str, dict[str, int]] = {}   # "search": the live counts of the cached index


def on_pre_build(config):
    _full.clear()
    _counts.clear()
    index = next((p.search_index for p in config.plugins.values()
                  if getattr(p, "search_index", None) is not None), None)
    if index is not None and _pagecache.enabled():
        root = Path(config.config_file_path).resolve().parent
        _counts["search"] = _search.cache_entries(index, root / ".cache" / "search")


@event_priority(50)
def _show_index_view(context, page, config, nav):
    view = _search.index_view(page.content)
    _full[page.file.src_uri] = (page.content, view)
    page.content = view
    return context


@event_priority(-50)
def _restore_content(context, page, config, nav):
    full, view = _full.pop(page.file.src_uri)
    if page.content != view:   # another plugin edited the view: its edit would be lost
        raise PluginError(f"{page.file.src_uri}: page content changed while it was indexed")
    page.content = full
    return context


on_page_context = CombinedEvent(_show_index_view, _restore_content)


def on_post_build(config):
    if counts := _counts.get("search"):
        log.info(f"search entries: {counts['hits']} pages from the cache, "
                 f"{counts['parsed']} parsed")
