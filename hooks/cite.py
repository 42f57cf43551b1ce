"""MkDocs hook: "Cite this page" on every lesson, and the bibliography page's entries.

Thin by design: `vgp.citation.cite_box` builds the BibTeX from the page's title and URL
(tests/test_citation.py); `vgp.bibtex.render` turns docs/references.bib into the entries
that replace the line `{{ bibliography() }}`.
"""

from __future__ import annotations

import re

from vgp import bibtex, citation

_BIB_RE = re.compile(r"^\{\{ *bibliography\(\) *\}\}[ \t]*$", re.MULTILINE)


def on_page_markdown(markdown, page, config, files):
    markdown = _BIB_RE.sub(lambda m: bibtex.render(), markdown)
    if citation.wants_citation(page.file.src_uri):
        title = page.title or page.file.name
        markdown += citation.cite_box(title, page.file.src_uri, page.url, config["site_url"])
    return markdown
