"""MkDocs hook: code blocks stay out of the search index.

Doctest blocks are a third of the site's text and match almost any query on a name (every
example repeats `vgp.`, `np.`, `W_hh`); prose, headings and the API page's signatures
(headings) stay indexed. Material's search plugin skips any element carrying
`data-search-exclude`; this marks each highlighted code block with it before the plugin
indexes the page (`on_page_content` runs before the plugin's `on_page_context`), and every
`<pre>` as well (the notebooks' printed outputs: numbers, not prose).
"""

from __future__ import annotations

import re

_CODE_BLOCK = re.compile(r'<div class="((?:[^"]* )?highlight)"')
_PRE = re.compile(r"<pre\b")   # also the notebooks' printed outputs


def on_page_content(html, page, config, files):
    html = _CODE_BLOCK.sub(r'<div class="\1" data-search-exclude', html)
    return _PRE.sub("<pre data-search-exclude", html)
