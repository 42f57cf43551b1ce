"""What the search index reads: each page without its code blocks.

Doctest blocks are a third of the site's text and match almost any query on a name (every
example repeats `vgp.`, `np.`, `W_hh`). Prose, headings and the API pages' signatures (which
are headings) stay indexed; highlighted code blocks and every `<pre>` (the notebooks' printed
outputs: numbers, not prose) do not.

Material's search plugin parses each page with Python's `html.parser` and would skip any
element marked `data-search-exclude`, but it still has to walk through it: Pygments gives
every token of a code block its own `<span>`, so the code is most of a page's tags. Handing
the plugin the page with those blocks removed yields the same index (tests/test_search.py
checks it against Material's own parser) at a quarter of the parsing time. The hook
(hooks/search.py) shows the plugin this view and gives the page its full content back
afterwards.

Parsing is still a quarter of a warm build, for entries that only change when the page
does. `cache_entries` makes the plugin's index keep each page's entries in `.cache/search/`,
keyed (`entries_key`) on everything Material makes them from: the view, the page's URL,
title, table of contents and search-related front matter, and Material's version. A hit
appends the stored entries; a miss parses the page as before and stores what it added.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Iterable
from importlib import metadata
from pathlib import Path
from typing import Any

from vgp import _pagecache

# A highlighted block: <div class="language-x highlight"> [<span class="filename">t</span>]
# <pre>...</pre> </div>. The tempered dot keeps the match inside one block (no nested <div>).
# Any other <pre> goes on its own. A <pre> holds escaped text, so "</pre>" ends it.
_CODE = re.compile(
    r'<div class="(?:[^"]* )?highlight"[^>]*>(?:(?!<div\b).)*?</pre>\s*</div>'
    r"|<pre\b.*?</pre>",
    re.DOTALL)


def index_view(html: str) -> str:
    """`html` without its highlighted code blocks and `<pre>` elements (what search indexes)."""
    if not isinstance(html, str):
        raise TypeError(f"html must be a str, got {type(html).__name__}")
    return _CODE.sub("", html)


def _toc(items: Iterable[Any]) -> list:
    return [[a.id, a.title, a.url, a.level, _toc(a.children)] for a in items]


def entries_key(page: Any) -> str:
    """Hash of what Material's search plugin builds a page's entries from (its `content`,
    `url`, `title`, `toc` and front matter `title`, `tags` and `search`), with Material's
    version and whether it found jieba (which it uses to segment Chinese text).

    >>> from types import SimpleNamespace as NS
    >>> page = NS(content="<p>x</p>", url="a/", title="A", meta={}, toc=[])
    >>> k = entries_key(page)
    >>> len(k), k == entries_key(NS(**{**vars(page), "url": "b/"}))
    (64, False)
    """
    meta = page.meta or {}
    from material.plugins.search import plugin   # jieba, if importable, segments Chinese text
    fields = [metadata.version("mkdocs-material"), plugin.jieba is not None, page.url, page.title,
              {name: meta.get(name) for name in ("title", "tags", "search")}, _toc(page.toc)]
    h = hashlib.sha256(json.dumps(fields, sort_keys=True, default=repr).encode())
    h.update(hashlib.sha256(page.content.encode()).digest())
    return h.hexdigest()


def cache_entries(index: Any, cache_dir: Path) -> dict[str, int]:
    """Make Material's search `index` keep each page's entries under `cache_dir`.

    Replaces `index.add_entry_from_context` (on this index only) with a version that appends
    the stored entries of a page seen before and otherwise runs Material's own method and
    stores what it added. Returns the live counts of pages `{"hits": ..., "parsed": ...}`.
    """
    if not callable(getattr(index, "add_entry_from_context", None)) or not isinstance(
            getattr(index, "entries", None), list):
        raise TypeError(f"index must be Material's SearchIndex, got {type(index).__name__}")
    add = type(index).add_entry_from_context   # the class's method: wrapping stays one deep
    counts = {"hits": 0, "parsed": 0}

    def add_entry_from_context(page: Any) -> None:
        path = _pagecache.entry_path(cache_dir, page.file.src_uri, entries_key(page))
        entry = _pagecache.load(path)
        if entry is not None:
            index.entries.extend(entry["entries"])
            counts["hits"] += 1
            return
        before = len(index.entries)
        add(index, page)
        counts["parsed"] += 1
        _pagecache.store(path, {"format": _pagecache.FORMAT, "entries": index.entries[before:]})

    index.add_entry_from_context = add_entry_from_context
    return counts
