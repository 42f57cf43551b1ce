"""MkDocs hook: highlighted code without a `<span>` per plain token (fewer elements to lay out).

Thin by design: the logic and why it is safe are in `vgp._highlight` (tests/test_highlight.py).
"""

from __future__ import annotations

from vgp import _highlight


def on_page_content(html, page, config, files):
    return _highlight.plain_tokens(html)
