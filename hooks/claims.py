"""MkDocs hook: the "Claims checked" table and notes, rendered from `vgp.verdict` at build time.

Thin by design: a line `{{ claims_table() }}` or `{{ claims_notes() }}` on a page is replaced
by `vgp.verdict.expand_placeholders` (tested in tests/test_claims.py). Only pages holding a
placeholder pay for the computation.
"""

from __future__ import annotations

from vgp import verdict


def on_page_markdown(markdown, page, config, files):
    if "{{ claims_" not in markdown:
        return markdown
    return verdict.expand_placeholders(markdown)
