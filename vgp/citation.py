r"""Cite this page: a BibTeX entry for any page of the site, built from its title and URL.

The MkDocs hook `hooks/cite.py` appends `cite_box(...)` to every lesson page, so the entry is
generated from the page itself and never copied by hand. The key is `vgp-` plus the page's
path; the year and access note come from the build date (or `$SOURCE_DATE_EPOCH` for
reproducible builds).

>>> print(page_bibtex("Backpropagation through time", "lessons/bptt/",
...                   "https://vgp.example.org/", date=datetime.date(2025, 3, 1)))
@misc{vgp-lessons-bptt,
  title        = {Backpropagation through time},
  author       = {{vgp contributors}},
  howpublished = {vgp: the vanishing gradient problem, computed},
  url          = {https://vgp.example.org/lessons/bptt/},
  year         = {2025},
  note         = {Accessed 2025-03-01}
}
"""

from __future__ import annotations

import datetime
import os
import posixpath
import re

SITE_NAME = "vgp: the vanishing gradient problem, computed"
CITED_SECTIONS = ("lessons/",)  # src paths of the pages that get a "Cite this page" box
BIBLIOGRAPHY = "reference/bibliography.md"


def build_date() -> datetime.date:
    """Today, or the date of `$SOURCE_DATE_EPOCH` when it is set (reproducible builds).

    >>> isinstance(build_date(), datetime.date)
    True
    """
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch:
        return datetime.datetime.fromtimestamp(int(epoch), datetime.timezone.utc).date()
    return datetime.date.today()


def citation_key(page_url: str) -> str:
    """`vgp-` plus the page path with every run of non-alphanumerics turned into '-'.

    >>> citation_key("lessons/vanishing-exploding/"), citation_key("")
    ('vgp-lessons-vanishing-exploding', 'vgp-home')
    """
    if not isinstance(page_url, str):
        raise TypeError(f"page_url must be a string, got {type(page_url).__name__}")
    slug = re.sub(r"[^A-Za-z0-9]+", "-", page_url).strip("-").lower()
    return f"vgp-{slug or 'home'}"


def _braced(text: str) -> str:
    # Braces in a title would unbalance the entry; BibTeX-special characters are escaped.
    return re.sub(r"([&%#_$])", r"\\\1", text.replace("{", "").replace("}", ""))


def page_bibtex(title: str, page_url: str, site_url: str, *, site_name: str = SITE_NAME,
                date: datetime.date | None = None) -> str:
    """A `@misc` BibTeX entry for the page at `site_url + page_url` (see the module example).

    >>> page_bibtex("Quiz", "quiz/", "https://a.b/", date=datetime.date(2024, 1, 2)).splitlines()[4]
    '  url          = {https://a.b/quiz/},'
    """
    for name, value in (("title", title), ("site_url", site_url), ("site_name", site_name)):
        if not isinstance(value, str) or not value.strip():
            raise ValueError(f"{name} must be a non-empty string, got {value!r}")
    if date is None:
        date = build_date()
    if not isinstance(date, datetime.date):
        raise TypeError(f"date must be a datetime.date, got {type(date).__name__}")
    url = site_url.rstrip("/") + "/" + page_url.lstrip("/")
    fields = [("title", _braced(title)), ("author", "{vgp contributors}"),
              ("howpublished", _braced(site_name)), ("url", url),
              ("year", str(date.year)), ("note", f"Accessed {date.isoformat()}")]
    body = ",\n".join(f"  {k:<12} = {{{v}}}" for k, v in fields)
    return f"@misc{{{citation_key(page_url)},\n{body}\n}}"


def cite_box(title: str, src_uri: str, page_url: str, site_url: str, **kwargs) -> str:
    """Markdown for the collapsible "Cite this page" admonition at the end of page `src_uri`.

    >>> box = cite_box("BPTT", "lessons/bptt.md", "lessons/bptt/", "https://vgp.example.org/")
    >>> "(../reference/bibliography.md)" in box, "@misc{vgp-lessons-bptt," in box
    (True, True)
    """
    if not isinstance(src_uri, str) or not src_uri.endswith(".md"):
        raise ValueError(f"src_uri must be the path of a .md page, got {src_uri!r}")
    entry = page_bibtex(title, page_url, site_url, **kwargs)
    bib = "\n".join("    " + line for line in entry.splitlines())
    link = posixpath.relpath(BIBLIOGRAPHY, posixpath.dirname(src_uri) or ".")
    return ('\n\n??? quote "Cite this page"\n\n'
            "    To cite this page, use the entry below (and set the access date to the day "
            f"you read it). The works it builds on are in the [bibliography]({link}).\n\n"
            f"    ```bibtex\n{bib}\n    ```\n")


def wants_citation(src_uri: str) -> bool:
    """True for pages that get a "Cite this page" box (the lessons).

    >>> wants_citation("lessons/bptt.md"), wants_citation("quiz.md")
    (True, False)
    """
    return isinstance(src_uri, str) and src_uri.startswith(CITED_SECTIONS)
