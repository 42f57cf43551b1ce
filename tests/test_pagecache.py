"""vgp._pagecache and hooks/pagecache.py: a replayed page is the page MkDocs would render.

A small real project (mkdocstrings on a one-function module, a cross-reference to it, a
snippet, links to anchors) is built without the cache, with an empty cache and from the
cache; the three sites must be byte-identical. The real site gets the same comparison in
tests/browser/test_site_pagecache.py.
"""

from __future__ import annotations

import json
import logging
from pathlib import Path

import pytest
from mkdocs.commands.build import build
from mkdocs.config import load_config
from mkdocs.exceptions import Abort

from vgp import _pagecache

ROOT = Path(__file__).resolve().parent.parent
HOOK = ROOT / "hooks" / "pagecache.py"


def _project(tmp_path: Path, strict: bool = True) -> Path:
    (tmp_path / "docs").mkdir()
    (tmp_path / "pkg").mkdir()
    (tmp_path / "pkg" / "tinymod.py").write_text(
        '"""A tiny module."""\n\n\ndef double(x):\n    """Twice `x`."""\n    return 2 * x\n')
    (tmp_path / "snippet.txt").write_text("Included text, version one.\n")
    (tmp_path / "docs" / "index.md").write_text(
        "# Home\n\nSee [`double`][tinymod.double] and [the second part](other.md#second).\n\n"
        "```python\nprint(double(2))\n```\n")
    (tmp_path / "docs" / "other.md").write_text(
        "# Other\n\n## First\n\nText.\n\n## Second\n\n--8<-- \"snippet.txt\"\n")
    (tmp_path / "docs" / "api.md").write_text("# API\n\n::: tinymod\n")
    (tmp_path / "mkdocs.yml").write_text(
        f"site_name: t\nstrict: {str(strict).lower()}\nhooks: ['{HOOK}']\n"
        "plugins:\n  - search\n  - mkdocstrings:\n      handlers:\n        python:\n"
        "          paths: [pkg]\n"
        "markdown_extensions:\n  - toc:\n      permalink: true\n  - pymdownx.highlight\n"
        "  - pymdownx.superfences\n  - pymdownx.snippets:\n"
        f"      base_path: ['{tmp_path}']\n      check_paths: true\n")
    return tmp_path


def _build(project: Path, site: str, caplog, monkeypatch, cache: bool = True) -> dict:
    """Build `project` into `site`; the hook's counts of replayed and converted pages."""
    monkeypatch.setenv("VGP_PAGE_CACHE", "1" if cache else "0")
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "0")   # the theme prints the build date
    monkeypatch.chdir(project)
    with open("mkdocs.yml", "rb") as fh:   # a relative name, as `mkdocs build -f mkdocs.yml` gives
        config = load_config(fh, site_dir=site)
    hook = next(p for k, p in config.plugins.items() if k.endswith("pagecache.py"))
    hook.INPUT_DIRS = ("pkg",)   # the project's documented package, as vgp/ is for the site
    caplog.clear()
    with caplog.at_level(logging.INFO, logger="mkdocs.hooks.pagecache"):
        build(config)
    return {"replayed": hook._state["replayed"], "converted": hook._state["converted"]}


def _tree(site: Path) -> dict[str, bytes]:
    return {p.relative_to(site).as_posix(): p.read_bytes()
            for p in sorted(site.rglob("*")) if p.is_file()}


def test_replayed_site_is_byte_identical(tmp_path, caplog, monkeypatch):
    project = _project(tmp_path)
    assert _build(project, "site0", caplog, monkeypatch, cache=False) == {"replayed": 0, "converted": 0}
    assert _build(project, "site1", caplog, monkeypatch) == {"replayed": 0, "converted": 3}
    assert _build(project, "site2", caplog, monkeypatch) == {"replayed": 3, "converted": 0}
    assert "page cache: 3 pages replayed, 0 converted" in caplog.text
    site0, site1, site2 = (_tree(project / s) for s in ("site0", "site1", "site2"))
    assert site0 == site1 == site2
    home = site2["index.html"].decode()
    assert 'href="api/#tinymod.double"' in home          # cross-reference resolved from replayed anchors
    assert "objects.inv" in site2 and b"tinymod.double" in site2["search/search_index.json"]
    assert "assets/_mkdocstrings.css" in site2   # same bytes as site0: the handler is used on replay too
    assert len(list((project / ".cache" / "pages").glob("*.json"))) == 3


def test_changed_inputs_are_converted_again(tmp_path, caplog, monkeypatch):
    project = _project(tmp_path)
    _build(project, "site", caplog, monkeypatch)
    (project / "snippet.txt").write_text("Included text, version two.\n")
    assert _build(project, "site", caplog, monkeypatch) == {"replayed": 2, "converted": 1}
    assert "version two" in (project / "site" / "other" / "index.html").read_text()
    (project / "pkg" / "tinymod.py").write_text(
        '"""A tiny module."""\n\n\ndef double(x):\n    """Two times `x`."""\n    return 2 * x\n')
    assert _build(project, "site", caplog, monkeypatch) == {"replayed": 0, "converted": 3}
    assert "Two times" in (project / "site" / "api" / "index.html").read_text()
    for name in ("index.md", "other.md", "api.md"):   # at most KEEP entries a page
        assert len(list((project / ".cache" / "pages").glob(f"{name}-*.json"))) <= _pagecache.KEEP


def test_a_render_that_warns_is_never_stored(tmp_path, caplog, monkeypatch):
    project = _project(tmp_path, strict=False)
    (project / "docs" / "other.md").write_text("# Other\n\nA [broken link](missing.md).\n")
    for expected in ({"replayed": 0, "converted": 3}, {"replayed": 2, "converted": 1}):
        assert _build(project, "site", caplog, monkeypatch) == expected
        assert "contains a link 'missing.md'" in caplog.text   # warned again, not replayed
    stored = {p.name.split("-")[0] for p in (project / ".cache" / "pages").glob("*.json")}
    assert stored == {"index.md", "api.md"}


def test_strict_build_still_fails_on_a_page_that_failed_before(tmp_path, caplog, monkeypatch):
    project = _project(tmp_path)
    (project / "docs" / "other.md").write_text("# Other\n\nA [broken link](missing.md).\n")
    for _ in range(2):
        with pytest.raises(Abort):
            _build(project, "site", caplog, monkeypatch)


class _Target:
    def __init__(self):
        self.seen = []

    def register(self, page, name, *, title=None):
        self.seen.append((page, name, title))

    def note(self, value):
        self.seen.append(value)
        return value * 2


def test_recorder_records_replays_and_restores_methods():
    target, page = _Target(), object()
    rec = _pagecache.Recorder({"anchor": (target, "register"), "note": (target, "note")})
    with rec.recording(page) as state:
        target.register(page, "a", title="A")
        assert target.note(3) == 6
    assert state == {"calls": [["anchor", ["a"], {"title": "A"}], ["note", [3], {}]], "storable": True}
    assert "register" not in vars(target) and "note" not in vars(target)   # class methods again
    target.seen.clear()
    other_page = object()
    rec.replay(other_page, json.loads(json.dumps(state["calls"])))
    assert target.seen == [(other_page, "a", "A"), 3]


def test_recorder_refuses_what_it_can_not_replay(caplog):
    target, page = _Target(), object()
    rec = _pagecache.Recorder({"anchor": (target, "register"), "note": (target, "note")})
    other_page = object()
    with rec.recording(page) as state:
        target.register(other_page, "a")        # another page than the one being rendered
    assert state["storable"] is False
    assert target.seen == [(other_page, "a", None)]   # passed on unchanged all the same
    with rec.recording(page) as state:
        target.register(page, object())         # not JSON
    assert state["storable"] is False
    with rec.recording(page) as state:
        logging.getLogger("mkdocs.plugins.x").warning("something is off")
    assert state["storable"] is False
    with pytest.raises(ValueError, match="calls: unknown target 'nope'"):
        rec.replay(page, [["nope", [], {}]])


def test_load_ignores_missing_or_foreign_entries(tmp_path):
    assert _pagecache.load(tmp_path / "none.json") is None
    (tmp_path / "bad.json").write_text("{not json")
    assert _pagecache.load(tmp_path / "bad.json") is None
    (tmp_path / "old.json").write_text(json.dumps({"format": 0}))
    assert _pagecache.load(tmp_path / "old.json") is None


def test_inputs_fingerprint_validates_dirs(tmp_path):
    (tmp_path / "mkdocs.yml").write_text("site_name: x")
    with pytest.raises(ValueError, match="dirs: 'nowhere' is not a directory"):
        _pagecache.inputs_fingerprint(tmp_path, tmp_path / "mkdocs.yml", ["nowhere"])


def test_page_key_follows_snippet_files(tmp_path):
    (tmp_path / "s.txt").write_text("one")
    md = '--8<-- "s.txt"\n'
    first = _pagecache.page_key("f", "a.md", md, [], snippet_roots=[tmp_path])
    (tmp_path / "s.txt").write_text("two")
    assert first != _pagecache.page_key("f", "a.md", md, [], snippet_roots=[tmp_path])
    with pytest.raises(TypeError, match="markdown must be a str"):
        _pagecache.page_key("f", "a.md", b"# A", [])


def test_page_key_follows_block_form_snippets(tmp_path):
    """The block form names a file per line between two markers; an edit to any of them
    changes the key, an escaped (`;`) name or a file after an unclosed marker does not."""
    for name in ("a.md", "b.md", "c.md", "d.md"):
        (tmp_path / name).write_text("one")
    md = "Text.\n\n--8<--\na.md\n;c.md\nb.md:1:2\n--8<--\n\n--8<--\nd.md\n"
    assert _pagecache.snippet_names(md) == ["a.md", "b.md"]

    def key():
        return _pagecache.page_key("f", "p.md", md, [], snippet_roots=[tmp_path])

    first = key()
    for name in ("c.md", "d.md"):
        (tmp_path / name).write_text("two")
        assert key() == first, name
    for name in ("a.md", "b.md"):
        (tmp_path / name).write_text("two")
        assert key() != first, name
        first = key()
    with pytest.raises(TypeError, match="markdown must be a str"):
        _pagecache.snippet_names(None)
