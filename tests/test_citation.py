"""Cite-this-page entries, the bibliography file, and links into it."""

from __future__ import annotations

import datetime
import re
from pathlib import Path
from types import SimpleNamespace

import pytest

from vgp import bibtex, citation

ROOT = Path(__file__).resolve().parent.parent
DATE = datetime.date(2024, 5, 17)


def test_page_bibtex_fields_and_balanced_braces():
    bib = citation.page_bibtex("Eigenvalues & singular {values}", "lessons/eigenvalues/",
                               "https://vgp.example.org", date=DATE)
    assert bib.startswith("@misc{vgp-lessons-eigenvalues,\n")
    assert "title        = {Eigenvalues \\& singular values}" in bib
    assert "url          = {https://vgp.example.org/lessons/eigenvalues/}" in bib
    assert "year         = {2024}" in bib and "Accessed 2024-05-17" in bib
    assert bib.count("{") == bib.count("}")
    entry = bibtex.parse(bib)["vgp-lessons-eigenvalues"]  # our own reader can read it back
    assert entry.type == "misc" and entry.fields["year"] == "2024"


def test_build_date_honours_source_date_epoch(monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "0")
    assert citation.build_date() == datetime.date(1970, 1, 1)
    monkeypatch.delenv("SOURCE_DATE_EPOCH")
    assert citation.build_date() == datetime.date.today()


@pytest.mark.parametrize("bad", ["", "  ", None])
def test_page_bibtex_rejects_empty_title(bad):
    with pytest.raises(ValueError, match="title"):
        citation.page_bibtex(bad, "x/", "https://a.b/", date=DATE)


def test_cite_box_links_to_bibliography_relative_to_the_page():
    box = citation.cite_box("BPTT", "lessons/bptt.md", "lessons/bptt/", "https://a.b/", date=DATE)
    assert box.lstrip().startswith('??? quote "Cite this page"')
    assert "(../reference/bibliography.md)" in box
    with pytest.raises(ValueError, match="src_uri"):
        citation.cite_box("BPTT", "lessons/bptt", "lessons/bptt/", "https://a.b/")


def test_wants_citation_only_lessons():
    assert citation.wants_citation("lessons/gating.md")
    assert not citation.wants_citation("reference/claims.md")
    assert not citation.wants_citation("index.md")


def test_hook_appends_box_to_lessons_and_renders_bibliography():
    import importlib.util

    spec = importlib.util.spec_from_file_location("cite_hook", ROOT / "hooks" / "cite.py")
    hook = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(hook)
    config = {"site_url": "https://vgp.example.org/"}
    page = SimpleNamespace(title="Gating", url="lessons/gating/",
                           file=SimpleNamespace(src_uri="lessons/gating.md", name="gating"))
    out = hook.on_page_markdown("# Gating\n", page, config, None)
    assert "@misc{vgp-lessons-gating," in out and "https://vgp.example.org/lessons/gating/" in out
    page = SimpleNamespace(title="Bibliography", url="reference/bibliography/",
                           file=SimpleNamespace(src_uri="reference/bibliography.md", name="b"))
    out = hook.on_page_markdown("# B\n\n{{ bibliography() }}\n", page, config, None)
    assert "{ #bengio1994 }" in out and "Cite this page" not in out


def test_bib_file_parses_with_required_fields():
    entries = bibtex.load()
    assert len(entries) >= 25
    for key, e in entries.items():
        assert re.fullmatch(r"[a-z]+\d{4}[a-z]?", key), key
        assert {"title", "year"} <= set(e.fields), key
        assert "author" in e.fields, key
        assert e.source.count("{") == e.source.count("}"), key
    for key in ("werbos1974", "werbos1990", "rumelhart1986", "hochreiter1991", "bengio1994",
                "hochreiter1997", "gers2000", "cho2014", "pascanu2013", "le2015",
                "arjovsky2016", "bahdanau2015", "vaswani2017", "he2016", "saxe2014",
                "glorot2010", "jozefowicz2015", "williams1990", "elman1990"):
        assert key in entries


def test_bibtex_reader_errors():
    with pytest.raises(ValueError, match="defined twice"):
        bibtex.parse("@misc{a2000, title={x}}\n@misc{a2000, title={y}}")
    with pytest.raises(ValueError, match="malformed"):
        bibtex.parse("@misc{a2000, title={x}")
    with pytest.raises(ValueError, match="unbalanced"):
        bibtex.parse("@misc{a2000, title={x{y}")
    with pytest.raises(TypeError, match="text"):
        bibtex.parse(None)


def test_every_bibliography_link_on_the_site_has_an_entry():
    keys = set(bibtex.load())
    link = re.compile(r"bibliography\.md#([A-Za-z0-9_-]+)")
    for page in (ROOT / "docs").rglob("*.md"):
        for key in link.findall(page.read_text(encoding="utf-8")):
            assert key in keys, f"{page.relative_to(ROOT)} links to unknown reference {key!r}"
