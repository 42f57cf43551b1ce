"""Griffe extension for the API reference: docstrings rendered the way they read in the code.

* Doctests: our docstrings put `>>>` examples in free text (pytest and Sybil run them). As
  Markdown, `>>>` would become nested block quotes, so each run of doctest lines (a `>>>`
  line up to the next blank line) is wrapped in a ```pycon fence. Docstrings with a
  NumPy-style `Examples` section are left to griffe's own parser.
* Indexing in prose: `accuracy[lag][k]` would be read as a Markdown reference link (and
  fail the strict build as an unknown cross-reference), so such expressions outside code
  and math are shown as code.
"""

from __future__ import annotations

import re

import griffe

_EXAMPLES = re.compile(r"^\s*Examples\s*\n\s*-{3,}\s*$", re.MULTILINE)
_INDEXING = re.compile(r"(?<![\w`\\])([A-Za-z_][\w.]*(?:\[[^\[\]\s`$]+\]){2,})")
_PROTECTED = re.compile(r"(`+).*?\1|\$\$.*?\$\$|\$[^$\n]+\$", re.DOTALL)


def fence_doctests(text: str) -> str:
    """Wrap every block of doctest lines in a ```pycon fence (dedented to column 0)."""
    if _EXAMPLES.search(text):
        return text
    out, block, indent = [], [], ""
    for line in text.splitlines() + [""]:
        if block and line.strip():
            block.append(line)
            continue
        if block:
            n = len(indent)  # dedent: a fence indented by 4 would be an indented code block
            out += ["", "```pycon", *(b[n:] if b[:n].isspace() else b.lstrip() for b in block), "```", ""]
            block = []
        if line.lstrip().startswith(">>>"):
            indent = line[: len(line) - len(line.lstrip())]
            block = [line]
        else:
            out.append(line)
    return "\n".join(out[:-1] if out and out[-1] == "" else out)


def code_indexing(text: str) -> str:
    """Show `a[i][j]` written in prose as code, leaving code spans, math and fences alone."""
    parts, fenced = [], False
    for chunk in re.split(r"(^```.*$)", text, flags=re.MULTILINE):
        if chunk.startswith("```"):
            fenced = not fenced
            parts.append(chunk)
        elif fenced:
            parts.append(chunk)
        else:
            pieces, last = [], 0
            for m in _PROTECTED.finditer(chunk):
                pieces += [_INDEXING.sub(r"`\1`", chunk[last:m.start()]), m.group(0)]
                last = m.end()
            parts.append("".join(pieces) + _INDEXING.sub(r"`\1`", chunk[last:]))
    return "".join(parts)


class FenceDoctests(griffe.Extension):
    def on_instance(self, *, node, obj, agent, **kwargs) -> None:
        if obj.docstring is not None:
            value = obj.docstring.value
            if ">>>" in value:
                value = fence_doctests(value)
            obj.docstring.value = code_indexing(value)
