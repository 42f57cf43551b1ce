"""Griffe extension for the API reference: show docstring doctests as Python code blocks.

Our docstrings put `>>>` examples in free text (Sybil and pytest run them). Rendered as
Markdown, `>>>` would become nested block quotes, so each run of doctest lines (a `>>>`
line up to the next blank line) is wrapped in a ```pycon fence before mkdocstrings renders
it. Docstrings with a NumPy-style `Examples` section are left to griffe's own parser.
"""

from __future__ import annotations

import re

import griffe

_EXAMPLES = re.compile(r"^\s*Examples\s*\n\s*-{3,}\s*$", re.MULTILINE)


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


class FenceDoctests(griffe.Extension):
    def on_instance(self, *, node, obj, agent, **kwargs) -> None:
        if obj.docstring is not None and ">>>" in obj.docstring.value:
            obj.docstring.value = fence_doctests(obj.docstring.value)
