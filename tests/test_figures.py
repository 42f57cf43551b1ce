"""The figure registry: names, alt text, deterministic SVG, the cache, and page placeholders."""

import hashlib
import json
from pathlib import Path

import pytest

from vgp import figures

GOLDEN = Path(__file__).parent / "golden" / "figures.sha256.json"
GOLDEN_FIGURES = ("recurrence-trajectories", "recurrence-unrolled")


def test_every_registered_figure_is_described():
    registry = figures.load_all()
    assert set(GOLDEN_FIGURES) <= set(registry)
    for name, fig in registry.items():
        assert figures.NAME_RE.match(name)
        assert len(fig.alt) >= 40, f"{name}: alt text should describe the figure"
        assert fig.caption
        assert fig.module.startswith("vgp.figures.")


@pytest.mark.parametrize("name", GOLDEN_FIGURES)
def test_svg_is_byte_identical_across_renders_and_matches_golden(name):
    a = figures.build(name)          # no cache: drawn from scratch
    b = figures.build(name)
    assert a == b
    assert a.startswith(b"<?xml") and b"<svg" in a
    assert b"<dc:date>" not in a     # no timestamp
    golden = json.loads(GOLDEN.read_text())
    assert hashlib.sha256(a).hexdigest() == golden[name], (
        f"{name} changed; if intended, update {GOLDEN.name} (see tests/golden/README)")


def test_cache_redraws_only_when_needed(tmp_path, monkeypatch):
    calls = []
    fig = figures.get("recurrence-unrolled")

    def counting_draw():
        calls.append(1)
        return fig.draw()

    monkeypatch.setitem(figures.REGISTRY, fig.name, figures.Figure(
        fig.name, counting_draw, fig.alt, fig.caption, fig.module))
    first = figures.build(fig.name, cache_dir=tmp_path)
    second = figures.build(fig.name, cache_dir=tmp_path)
    assert first == second and len(calls) == 1
    assert [p.name for p in tmp_path.iterdir()] == [f"{fig.name}-{fig.cache_key()}.svg"]


def test_placeholder_becomes_figure_with_relative_link():
    md = 'Text\n\n{{ figure("recurrence-unrolled") }}\n\nMore'
    out = figures.expand_placeholders(md, "lessons/recurrence.md")
    assert '<figure markdown="span" id="fig-recurrence-unrolled">' in out
    assert "](../figures/recurrence-unrolled.svg)" in out
    assert "<figcaption" in out and "Text" in out and "More" in out
    top = figures.expand_placeholders('{{ figure("recurrence-unrolled") }}', "index.md")
    assert "](figures/recurrence-unrolled.svg)" in top


def test_image_size_and_lazy_loading_below_the_first_heading():
    md = ('{{ figure("recurrence-unrolled") }}\n\n## Later\n\n'
          '{{ figure("recurrence-trajectories") }}\n')
    out = figures.expand_placeholders(md, "index.md", sizes={"recurrence-unrolled": (614, 346)})
    first, second = out.split("## Later")
    assert "{ width=614 height=346 }" in first and "loading" not in first   # first screen
    assert "{ loading=lazy }" in second                                    # size unknown here
    assert figures.svg_size(figures.build("recurrence-unrolled"))[0] > 100


def test_build_all_draws_missing_figures_in_workers_then_reads_them(tmp_path, monkeypatch):
    registry = figures.load_all()
    keep = {n: registry[n] for n in ("recurrence-unrolled", "recurrence-trajectories")}
    monkeypatch.setattr(figures, "load_all", lambda: keep)
    svgs, drawn = figures.build_all(tmp_path, jobs=2)       # two spawned worker processes
    assert drawn == 2 and set(svgs) == set(keep)
    assert svgs["recurrence-unrolled"] == figures.build("recurrence-unrolled")   # same bytes
    again, redrawn = figures.build_all(tmp_path, jobs=2)
    assert redrawn == 0 and again == svgs


def test_placeholder_inside_a_line_is_left_alone():
    md = 'Use `{{ figure("name") }}` on a line of its own.'
    assert figures.expand_placeholders(md, "index.md") == md


def test_unknown_figure_is_an_error():
    with pytest.raises(KeyError, match="no-such-figure"):
        figures.expand_placeholders('{{ figure("no-such-figure") }}', "index.md")
    with pytest.raises(KeyError, match="unknown figure"):
        figures.get("no-such-figure")


@pytest.mark.parametrize("kwargs, match", [
    (dict(name="Bad Name", alt="a" * 50, caption="c"), "kebab-case"),
    (dict(name="ok-name", alt=" ", caption="c"), "alt"),
    (dict(name="ok-name", alt="a" * 50, caption=""), "caption"),
])
def test_registration_validates(kwargs, match):
    with pytest.raises(ValueError, match=match):
        figures.figure(kwargs.pop("name"), **kwargs)


def test_alt_text_with_brackets_keeps_the_image_link_intact(monkeypatch):
    fig = figures.get("recurrence-unrolled")
    odd = figures.Figure(fig.name, fig.draw, "W = [[0.9, 1], [0, 0.9]] and a \\ backslash " * 2,
                         fig.caption, fig.module)
    monkeypatch.setitem(figures.REGISTRY, fig.name, odd)
    import markdown

    md = figures.expand_placeholders('{{ figure("recurrence-unrolled") }}', "index.md")
    html = markdown.markdown(md, extensions=["attr_list", "md_in_html"])
    assert '<img alt="W = [[0.9, 1], [0, 0.9]] and a \\ backslash' in html


def test_svg_size_rejects_an_svg_without_point_sizes():
    with pytest.raises(ValueError, match="svg"):
        figures.svg_size(b'<svg width="100%" height="10em">')


def test_listing_the_registry_loads_neither_matplotlib_nor_torch():
    # Every build lists the registry; a warm build, all figures cached, must not pay for
    # importing the plotting stack (about a second). Figure modules draw through `subplots`.
    import subprocess
    import sys

    code = ("import sys, vgp.figures as f; f.load_all(); "
            "print(sorted(m for m in ('matplotlib', 'torch') if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_text_is_one_path_per_string_and_the_renderer_is_restored():
    """vgp.figures.textpaths: no glyph <use> elements (a shadow tree each in a browser), and
    matplotlib's SVG renderer is put back after saving, even when saving fails."""
    from matplotlib.backends.backend_svg import RendererSVG

    from vgp.figures import textpaths

    glyph_uses = RendererSVG._draw_text_as_path
    svg = figures.build("recurrence-unrolled")
    assert b'<use xlink:href="#DejaVu' not in svg and b"<path" in svg
    assert RendererSVG._draw_text_as_path is glyph_uses
    with pytest.raises(RuntimeError), textpaths.one_path_per_string():
        assert RendererSVG._draw_text_as_path is not glyph_uses
        raise RuntimeError("saving failed")
    assert RendererSVG._draw_text_as_path is glyph_uses


def test_render_svg_can_keep_matplotlibs_glyph_uses_and_checks_the_flag():
    from vgp.figures.style import apply

    apply()
    plain = figures.render_svg(figures.get("recurrence-unrolled").draw(), text_paths=False)
    assert b'<use xlink:href="#DejaVu' in plain
    with pytest.raises(TypeError, match="text_paths must be bool"):
        figures.render_svg(figures.get("recurrence-unrolled").draw(), text_paths="no")


def test_round_coordinates_rejects_bytes():
    from vgp.figures import textpaths

    with pytest.raises(TypeError, match="svg must be str"):
        textpaths.round_coordinates(b"<svg/>")
