"""Companion notebooks: one per lesson, stored without outputs, executed against the current
vgp without error (through the same cache the site build uses), every figure described."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from vgp import notebooks

LESSONS = sorted(p.stem for p in (notebooks.ROOT / "docs" / "lessons").glob("*.md"))
NOTEBOOKS = notebooks.notebooks()


def test_every_lesson_has_a_notebook():
    assert [p.stem for p in NOTEBOOKS] == LESSONS


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_stored_without_outputs_and_installable_anywhere(path):
    nb = json.loads(path.read_text(encoding="utf-8"))
    assert not notebooks.has_outputs(path), "strip outputs: the site shows them executed"
    assert nb["metadata"]["kernelspec"]["name"] == notebooks.KERNEL
    first_code = next(c for c in nb["cells"] if c["cell_type"] == "code")
    assert f"git+https://github.com/{notebooks.GITHUB}" in "".join(first_code["source"])
    assert nb["cells"][0]["cell_type"] == "markdown"
    assert "".join(nb["cells"][0]["source"]).startswith("# ")      # the page title
    assert notebooks.vgp_modules(nb) - {"vgp.notebooks"}, "a companion notebook uses vgp"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_executes_against_current_vgp(path):
    executed = notebooks.execute(path)
    nb = json.loads(executed.read_text(encoding="utf-8"))
    code = [c for c in nb["cells"] if c["cell_type"] == "code"]
    assert all(c["execution_count"] for c in code)
    assert not [o for c in code for o in c["outputs"] if o["output_type"] == "error"]
    alts = notebooks.image_alts(executed)
    assert all(alts), "set `alt` in the metadata of every cell that draws a figure"


def test_key_follows_notebook_text_and_vgp_sources(tmp_path, monkeypatch):
    src = notebooks.NOTEBOOK_DIR / "recurrence.ipynb"
    nb = json.loads(src.read_text(encoding="utf-8"))
    copy = tmp_path / src.name
    copy.write_text(json.dumps(nb), encoding="utf-8")
    k1 = notebooks.key(copy)
    assert notebooks.key(copy) == k1                               # stable
    nb["cells"][0]["source"] = ["# changed\n"]
    copy.write_text(json.dumps(nb), encoding="utf-8")
    assert notebooks.key(copy) != k1                               # notebook text
    import vgp._sources as sources

    real = sources.module_path

    def edited(module):                       # vgp.rnn, which the notebook imports, edited
        path = real(module)
        if module != "vgp.rnn":
            return path
        fake = tmp_path / "rnn.py"
        fake.write_text(path.read_text(encoding="utf-8") + "\n_EDITED = 1\n", encoding="utf-8")
        return fake

    before = notebooks.key(src)
    monkeypatch.setattr(sources, "module_path", edited)
    sources.clear_caches()
    try:
        assert notebooks.key(src) != before
    finally:
        sources.clear_caches()


def test_vgp_modules_reads_imports_and_skips_magics():
    nb = {"cells": [{"cell_type": "code", "source": [
        "if True:\n", "    %pip install x\n", "from vgp.spectral import power_norms\n",
        "import vgp.jacobians as J\n", "from vgp import explorer\n"]},
        {"cell_type": "markdown", "source": "import vgp.cliff"}]}
    assert notebooks.vgp_modules(nb) == {"vgp.notebooks", "vgp.spectral", "vgp.jacobians",
                                         "vgp.explorer"}


@pytest.mark.parametrize("bad, exc", [(Path("nope.ipynb"), ValueError), (3, TypeError)])
def test_execute_rejects_bad_paths(bad, exc):
    with pytest.raises(exc, match="path"):
        notebooks.execute(bad)
