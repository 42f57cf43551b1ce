r"""The site's bibliography: parse `docs/references.bib` and render it as Markdown.

A deliberately small BibTeX reader for the entries we write ourselves: `@type{key, field =
{value}, ...}` with balanced braces, the accents we use (`{\"u}`, `{\'a}`, `{\v{s}}`,
`{\L}`) and `--` for an en dash. Each entry renders as one reference, anchored at its key so
pages can link to `reference/bibliography.md#<key>`, followed by its BibTeX source.

>>> bib = parse('@article{doe2020, author = {Doe, Jane-Ann and Roe, Max}, title = {A {RNN} study},'
...             ' journal = {J. Tests}, volume = {1}, pages = {1--9}, year = {2020}}')
>>> bib["doe2020"].fields["title"], bib["doe2020"].authors
('A {RNN} study', ['J.-A. Doe', 'M. Roe'])
>>> format_entry(bib["doe2020"])
'J.-A. Doe and M. Roe (2020). A RNN study. *J. Tests* 1, 1–9.'
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path

from vgp._sources import PACKAGE_ROOT

BIB_PATH = PACKAGE_ROOT.parent / "docs" / "references.bib"
_ENTRY_RE = re.compile(r"@(\w+)\s*\{\s*([^,\s]+)\s*,", re.MULTILINE)
_ACCENTS = {'"': "\u0308", "'": "\u0301", "`": "\u0300", "^": "\u0302", "~": "\u0303",
            "v": "\u030c", "c": "\u0327"}
_SYMBOLS = {"L": "Ł", "l": "ł", "o": "ø", "O": "Ø", "ss": "ß", "aa": "å"}


@dataclass(frozen=True)
class Entry:
    """One BibTeX entry, as `parse` returns it; `authors` formats the names for the page.

    >>> e = parse("@article{benettin1980, author = {Benettin, Giancarlo and Strelcyn, Jean-Marie},"
    ...           " title = {Lyapunov Characteristic Exponents}, year = 1980}")["benettin1980"]
    >>> e.type, e.key, e.fields["year"], e.authors
    ('article', 'benettin1980', '1980', ['G. Benettin', 'J.-M. Strelcyn'])
    """

    type: str               # article, inproceedings, ...
    key: str                # citation key, also the anchor on the bibliography page
    fields: dict            # raw field values (braces kept)
    source: str             # the entry's BibTeX text

    @property
    def authors(self) -> list[str]:
        """Authors as 'F. Last' (von parts kept), in order."""
        names = [a.strip() for a in self.fields.get("author", "").split(" and ") if a.strip()]
        out = []
        for name in names:
            last, _, first = (p.strip() for p in latex_to_text(name).partition(","))
            initials = " ".join("-".join(f"{p[0]}." for p in w.split("-") if p)
                                for w in first.split() if w)  # Jean-Marie -> J.-M.
            out.append(f"{initials} {last}".strip())
        return out


def _value(text: str, i: int) -> tuple[str, int]:
    """The braced or bare value starting at text[i]; returns (value, index after it)."""
    if text[i] == "{":
        depth, j = 0, i
        while j < len(text):
            depth += {"{": 1, "}": -1}.get(text[j], 0)
            if depth == 0:
                return text[i + 1:j], j + 1
            j += 1
        raise ValueError(f"bib has an unbalanced brace at character {i}")
    m = re.match(r"[^,}\s]+", text[i:])
    return m.group(0), i + m.end()


def parse(text: str) -> dict[str, Entry]:
    """Entries of a BibTeX string, keyed by citation key, in file order.

    >>> list(parse("@misc{a2000, title = {A}}\\n@book{b2001, title = {B}, year = 2001}"))
    ['a2000', 'b2001']
    """
    if not isinstance(text, str):
        raise TypeError(f"text must be a string, got {type(text).__name__}")
    entries: dict[str, Entry] = {}
    for m in _ENTRY_RE.finditer(text):
        fields, i = {}, m.end()
        while True:
            f = re.compile(r"\s*(\w+)\s*=\s*").match(text, i)
            if not f:
                break
            value, i = _value(text, f.end())
            fields[f.group(1).lower()] = re.sub(r"\s+", " ", value).strip()
            i = re.compile(r"\s*,?").match(text, i).end()
        end = re.compile(r"\s*\}").match(text, i)
        if not end:
            raise ValueError(f"bib entry {m.group(2)!r} is malformed near character {i}")
        key = m.group(2)
        if key in entries:
            raise ValueError(f"bib key {key!r} is defined twice")
        entries[key] = Entry(m.group(1).lower(), key, fields, text[m.start():end.end()])
    return entries


def load(path: Path | str = BIB_PATH) -> dict[str, Entry]:
    """Entries of the site's .bib file.

    >>> load()["bengio1994"].fields["pages"]
    '157--166'
    """
    return parse(Path(path).read_text(encoding="utf-8"))


def latex_to_text(s: str) -> str:
    r"""Plain text of a BibTeX value: accents to Unicode, `--` to an en dash, braces dropped.

    >>> latex_to_text(r'Schmidhuber, J{\"u}rgen -- {\L}ukasz, Tom{\'a}{\v{s}}')
    'Schmidhuber, Jürgen – Łukasz, Tomáš'
    """
    s = re.sub(r"\{?\\([\"'`^~vc])\{?(\w)\}?\}?",
               lambda m: m.group(2) + _ACCENTS[m.group(1)], s)
    s = re.sub(r"\{?\\(ss|aa|[LlOo])\}?(?![a-zA-Z])", lambda m: _SYMBOLS[m.group(1)], s)
    s = s.replace("---", "—").replace("--", "–").replace("{", "").replace("}", "")
    return unicodedata.normalize("NFC", s)


def format_entry(e: Entry) -> str:
    """One reference in Markdown: authors (year). Title. *Venue* details. Links.

    >>> format_entry(load()["hochreiter1997"])[:60]
    'S. Hochreiter and J. Schmidhuber (1997). Long short-term mem'
    """
    if not isinstance(e, Entry):
        raise TypeError(f"e must be an Entry, got {type(e).__name__}")
    f = {k: latex_to_text(v) for k, v in e.fields.items()}
    names = e.authors
    who = ", ".join(names[:-1]) + (" and " if len(names) > 1 else "") + names[-1] if names else ""
    pages = f"pp. {f['pages']}" if "pages" in f else ""
    if e.type == "article":
        issue = f.get("volume", "") + (f"({f['number']})" if "number" in f else "")
        where = ", ".join(p for p in (f"*{f.get('journal', '')}* {issue}".strip(), f.get("pages")) if p)
    elif e.type in ("inproceedings", "incollection"):
        eds = Entry(e.type, e.key, {"author": e.fields.get("editor", "")}, "").authors
        series = "PMLR " + f["volume"] if "Machine Learning Research" in f.get("series", "") else ""
        where = "In " + (", ".join(eds) + " (eds.), " if eds else "") + f"*{f.get('booktitle', '')}*"
        where = ", ".join(p for p in (where, series, pages, f.get("publisher")) if p)
    elif e.type in ("phdthesis", "mastersthesis"):
        kind = f.get("type") or ("PhD thesis" if e.type == "phdthesis" else "Master's thesis")
        where = f"{kind}, {f.get('school', '')}"
    elif e.type == "book":
        edition = f"{f['edition']}nd ed." if f.get("edition") == "2" else f.get("edition", "")
        where = ", ".join(p for p in (edition, f.get("publisher"), f.get("address")) if p)
    else:
        where = f.get("howpublished", "")
    title = f.get("title", "")
    title = f"*{title}*" if e.type in ("book", "phdthesis", "mastersthesis") else title
    out = f"{who} ({f.get('year', 'n.d.')}). {title}."
    out += f" {where}." if where else ""
    if "note" in f:
        out += f" {f['note']}."
    if "doi" in e.fields:
        out += f" [doi:{e.fields['doi']}](https://doi.org/{e.fields['doi']})"
    if "eprint" in e.fields:
        out += f" [arXiv:{e.fields['eprint']}](https://arxiv.org/abs/{e.fields['eprint']})"
    return out.strip()


def render(entries: dict[str, Entry] | None = None) -> str:
    """Markdown for the bibliography page: every entry, anchored at its key, with its BibTeX.

    >>> render(parse("@misc{a2000, author = {Doe, J.}, title = {T}, year = 2000}")).splitlines()[:2]
    ['J. Doe (2000). T.', '{ #a2000 }']
    """
    entries = load() if entries is None else entries
    blocks = []
    for e in entries.values():
        bib = "\n".join("    " + line for line in e.source.splitlines())
        blocks.append(f"{format_entry(e)}\n{{ #{e.key} }}\n\n"
                      f'??? quote "BibTeX `{e.key}`"\n\n    ```bibtex\n{bib}\n    ```\n')
    return "\n".join(blocks)
