"""MkDocs hook: long pages are laid out lazily (content-visibility), section by section (a long
section in parts); API pages member by member.

Thin by design: the logic is `vgp._sections.wrap_sections` and `lazy_members` (tested in
tests/test_sections.py); the CSS rule is in docs/stylesheets/site.css (`.vgp-section`).
"""

from __future__ import annotations

from vgp import _sections


def on_page_content(html, page, config, files):
    return _sections.lazy_members(_sections.wrap_sections(html))
