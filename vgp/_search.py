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
"""

from __future__ import annotations

import re

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
