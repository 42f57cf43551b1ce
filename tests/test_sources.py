"""vgp._sources: the dependency closure and hash that key every cache."""

import pytest

from vgp import _sources


def test_dependencies_follow_imports_transitively():
    deps = _sources.dependencies("vgp.figures.recurrence")
    # recurrence imports vgp.rnn, which imports vgp.activations and vgp._validate
    for mod in ("vgp.figures.recurrence", "vgp.figures", "vgp.rnn", "vgp.activations", "vgp._validate"):
        assert mod in deps
    assert "vgp.cache" not in deps


def test_hash_changes_with_a_dependency_and_not_with_an_unrelated_module(tmp_path, monkeypatch):
    pkg = tmp_path / "vgp"
    (pkg / "sub").mkdir(parents=True)
    (pkg / "__init__.py").write_text("")
    (pkg / "a.py").write_text("from vgp import b\n")
    (pkg / "b.py").write_text("X = 1\n")
    (pkg / "c.py").write_text("Y = 1\n")
    (pkg / "sub" / "__init__.py").write_text("")
    (pkg / "sub" / "d.py").write_text("from . import e\nfrom ..b import X\n")
    (pkg / "sub" / "e.py").write_text("")
    monkeypatch.setattr(_sources, "PACKAGE_ROOT", pkg)
    _sources.clear_caches()
    assert _sources.dependencies("vgp.sub.d") == ["vgp.b", "vgp.sub", "vgp.sub.d", "vgp.sub.e"]
    before = _sources.source_hash("vgp.a")
    (pkg / "c.py").write_text("Y = 2\n")
    _sources.clear_caches()
    assert _sources.source_hash("vgp.a") == before
    (pkg / "b.py").write_text("X = 2\n")
    _sources.clear_caches()
    assert _sources.source_hash("vgp.a") != before
    assert _sources.source_hash("vgp.a", extra="x") != _sources.source_hash("vgp.a")
    _sources.clear_caches()


@pytest.mark.parametrize("bad", ["numpy", "vgp.no_such_module", "os.path"])
def test_unknown_modules_are_rejected(bad):
    with pytest.raises(ValueError, match="module"):
        _sources.module_path(bad)


def test_docstrings_comments_and_layout_do_not_change_the_hash(tmp_path, monkeypatch):
    pkg = tmp_path / "vgp"
    pkg.mkdir()
    (pkg / "__init__.py").write_text("")
    mod = pkg / "m.py"
    mod.write_text('"""Doc."""\ndef f(x):\n    """Old words."""\n    return x + 1\n')
    monkeypatch.setattr(_sources, "PACKAGE_ROOT", pkg)
    _sources.clear_caches()
    before = _sources.source_hash("vgp.m")
    mod.write_text('"""New doc."""\n\n\ndef f(x):  # a comment\n    """New words, $x+1$."""\n'
                   '    return (x\n            + 1)\n')
    assert _sources.source_hash("vgp.m") == before
    mod.write_text('def f(x):\n    return x + 2\n')
    assert _sources.source_hash("vgp.m") != before
    mod.write_text('def f(x):\n    """Only a docstring."""\n')   # body becomes `pass`
    assert _sources.source_hash("vgp.m") != before
    _sources.clear_caches()


def test_the_analysis_of_a_module_is_memoised_on_disk(tmp_path, monkeypatch):
    pkg = tmp_path / "vgp"
    pkg.mkdir()
    (pkg / "__init__.py").write_text("")
    (pkg / "a.py").write_text("from vgp import b, c\nX = 1\n")
    (pkg / "b.py").write_text("Y = 1\n")
    monkeypatch.setattr(_sources, "PACKAGE_ROOT", pkg)
    monkeypatch.setattr(_sources, "MEMO_DIR", tmp_path / "memo")
    _sources.clear_caches()
    before = _sources.source_hash("vgp.a")
    assert len(list((tmp_path / "memo").rglob("*.json"))) == 2   # vgp.a, vgp.b

    # A new process (memory cleared) takes digests and imports from disk and parses nothing.
    _sources.clear_caches()

    def no_parse(text):
        raise AssertionError("parsed although memoised")

    with monkeypatch.context() as m:
        m.setattr(_sources, "_fingerprint", no_parse)
        m.setattr(_sources, "_parse", no_parse)
        assert _sources.source_hash("vgp.a") == before
    # Which imported names are modules is decided on every run: a new vgp/c.py counts.
    (pkg / "c.py").write_text("Z = 1\n")
    assert _sources.dependencies("vgp.a") == ["vgp.a", "vgp.b", "vgp.c"]

    # A corrupt memo file is recomputed, and without a memo directory nothing is written.
    _sources.clear_caches()
    for f in (tmp_path / "memo").rglob("*.json"):
        f.write_text("{not json")
    (pkg / "c.py").unlink()
    assert _sources.source_hash("vgp.a") == before
    monkeypatch.setattr(_sources, "MEMO_DIR", None)
    _sources.clear_caches()
    (pkg / "b.py").write_text("Y = 2\n")
    assert _sources.source_hash("vgp.a") != before
    assert len(list((tmp_path / "memo").rglob("*.json"))) == 3   # vgp.a, vgp.b, vgp.c: no new b
    _sources.clear_caches()
