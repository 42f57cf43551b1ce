"""hooks/figures.py inside a real (small) MkDocs build: figures are generated, never
written into docs/, and an unknown figure fails the build."""

from pathlib import Path

import pytest
from mkdocs.commands.build import build
from mkdocs.config import load_config
from mkdocs.exceptions import Abort, PluginError

from vgp import figures

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture
def small_registry(monkeypatch):
    keep = {n: f for n, f in figures.load_all().items() if n.startswith("recurrence-")}
    monkeypatch.setattr(figures, "REGISTRY", keep)
    monkeypatch.setattr(figures, "load_all", lambda: keep)
    return keep


def _site(tmp_path, page: str):
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "index.md").write_text("# Home\n")
    (docs / "lesson").mkdir()
    (docs / "lesson" / "page.md").write_text(page)
    cfg = tmp_path / "mkdocs.yml"
    cfg.write_text(
        "site_name: t\nstrict: true\n"
        f"hooks: [{ROOT / 'hooks' / 'figures.py'}]\n"
        "markdown_extensions: [attr_list, md_in_html]\n"
    )
    return load_config(str(cfg), site_dir=str(tmp_path / "site"))


def test_figures_are_generated_not_written_into_docs(tmp_path, small_registry):
    config = _site(tmp_path, '# P\n\n{{ figure("recurrence-unrolled") }}\n')
    build(config)
    site = tmp_path / "site"
    for name in small_registry:
        assert (site / "figures" / f"{name}.svg").read_bytes().startswith(b"<?xml")
    html = (site / "lesson" / "page" / "index.html").read_text()
    assert 'src="../../figures/recurrence-unrolled.svg"' in html
    assert "<figcaption>" in html and 'alt="Diagram of an RNN unrolled' in html
    assert sorted(p.name for p in (tmp_path / "docs").rglob("*")) == ["index.md", "lesson", "page.md"]


def test_unknown_figure_fails_the_build(tmp_path, small_registry, caplog):
    config = _site(tmp_path, '# P\n\n{{ figure("recurrence-missing") }}\n')
    with pytest.raises((PluginError, Abort)):
        build(config)
    assert "lesson/page.md: unknown figure 'recurrence-missing'" in caplog.text
