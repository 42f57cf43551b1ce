"""benchmarks/lighthouse.py's CPU-slowdown calibration: the anchor points of Lighthouse's
CPU-throttling calculator (linked from Lighthouse's docs/throttling.md), continuity between
its pieces, and clear errors; the page-size column and the pages it audits. The script
itself drives Chromium and is not a test."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest

_spec = importlib.util.spec_from_file_location(
    "lighthouse_script", Path(__file__).resolve().parents[1] / "benchmarks" / "lighthouse.py")
lighthouse = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(lighthouse)


@pytest.mark.parametrize(("index", "slowdown"), [
    (150, 1.0), (800, 2.0), (1300, 3.0), (1533, 4.0), (1766, 5.0), (2000, 6.0)])
def test_calculator_anchor_points(index, slowdown):
    assert lighthouse.cpu_slowdown(index) == pytest.approx(slowdown, abs=0.01)


def test_continuous_and_increasing():
    xs = list(range(100, 2500, 7))
    ys = [lighthouse.cpu_slowdown(x) for x in xs]
    assert all(b >= a for a, b in zip(ys, ys[1:]))
    assert max(b - a for a, b in zip(ys, ys[1:])) < 0.04     # no jump at 800 or 1300
    assert lighthouse.cpu_slowdown(50) == 1.0                  # never a speed-up


@pytest.mark.parametrize(("bad", "error"), [
    (None, TypeError), ("1000", TypeError), (True, TypeError), (0, ValueError),
    (-5.0, ValueError), (float("nan"), ValueError)])
def test_rejects_bad_index(bad, error):
    with pytest.raises(error, match="benchmark_index"):
        lighthouse.cpu_slowdown(bad)


def test_html_bytes_maps_url_paths_to_files(tmp_path):
    (tmp_path / "lessons" / "bptt").mkdir(parents=True)
    (tmp_path / "index.html").write_text("<p>home</p>")
    (tmp_path / "lessons" / "bptt" / "index.html").write_text("<p>bptt</p>!")
    (tmp_path / "404.html").write_text("x")
    assert lighthouse.html_bytes(tmp_path, "/") == 11
    assert lighthouse.html_bytes(tmp_path, "/lessons/bptt/") == 12
    assert lighthouse.html_bytes(tmp_path, "/404.html") == 1
    with pytest.raises(ValueError, match="path '/nope/'"):
        lighthouse.html_bytes(tmp_path, "/nope/")


def test_pages_audited_leave_out_parts_files(tmp_path):
    """A long page's parts file (vgp/_deferred.py) is fetched by its page; it is not audited
    (or weighed by bench_site.py) as a page of its own."""
    for rel in ("index.html", "404.html", "a/index.html", "a/parts.0123456789.html",
                "b/parts.html"):
        (tmp_path / rel).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / rel).write_text("<p>x</p>")
    assert lighthouse.site_pages(tmp_path) == ["/", "/404.html", "/a/", "/b/parts.html"]
