"""Sybil: every ```python fence of every page under docs/ runs under pytest.

Doctests (`>>>`) and plain code blocks share one namespace per page, so a page reads top to
bottom like a notebook. `<!-- skip: next -->` skips the following fence. A fence that embeds
source with `--8<--` is shown, not run (the embedded code is tested where it lives, in vgp/).
"""

from doctest import ELLIPSIS, NORMALIZE_WHITESPACE

from vgp import numerics

# Before anything imports torch: every result computed in the tests takes the code paths it
# takes on any x86-64 machine (vgp/numerics.py), so the published numbers hold on every CPU.
if not numerics.enter():
    raise RuntimeError("torch was loaded before conftest.py: the tests can not run portable")

from sybil import Sybil
from sybil.parsers.markdown import PythonCodeBlockParser, SkipParser


class PythonFenceParser(PythonCodeBlockParser):
    """PythonCodeBlockParser that leaves snippet-embedding fences alone."""

    def __call__(self, document):
        for region in super().__call__(document):
            if "--8<--" in document.text[region.start:region.end]:
                continue
            yield region


def _setup(namespace):
    import matplotlib

    matplotlib.use("Agg")


pytest_collect_file = Sybil(
    parsers=[PythonFenceParser(doctest_optionflags=ELLIPSIS | NORMALIZE_WHITESPACE), SkipParser()],
    path="docs",
    patterns=["*.md", "**/*.md"],
    setup=_setup,
).pytest()
