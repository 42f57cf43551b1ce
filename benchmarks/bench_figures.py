"""Benchmark: what a figure's SVG costs a browser, with text as one path per string
(`vgp.figures.textpaths`, what the site ships) against matplotlib's glyph `<use>` elements.

    .venv/bin/python benchmarks/bench_figures.py [--figures eigen-powers home-gradient-vs-distance]
                                                 [--loads 12]

For each figure, both SVGs are drawn from the current code, then each is loaded as an `<img>`
in headless Chromium (/usr/bin/chromium) `--loads` times, alternating, with a fresh page each
time. Printed per figure: bytes, `<use>` elements, and the main-thread time Chromium spends
building the image's SVG document (the `IsolatedSVGDocumentHost` trace event: parsing,
`<use>` shadow trees, style), median and minimum over the loads. Needs Playwright and
Chromium, like the browser tests. This is a script, not a test.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _serve import Server  # noqa: E402

from vgp import figures  # noqa: E402

CHROMIUM = "/usr/bin/chromium"


def svg(name: str, text_paths: bool) -> bytes:
    """The figure as the site ships it, or (`text_paths=False`) as matplotlib writes it: a
    `<use>` per character, six decimals."""
    from vgp.figures.style import apply

    apply()
    return figures.render_svg(figures.get(name).draw(), text_paths=text_paths)


def svg_host_ms(page, url: str) -> float:
    """Main-thread time building the SVG image document of the `<img>` at `url`."""
    browser = page.context.browser
    browser.start_tracing(page=page, categories=["blink", "loading"])
    page.goto(url, wait_until="load")
    page.wait_for_timeout(200)
    events = json.loads(browser.stop_tracing())["traceEvents"]
    return sum(e["dur"] for e in events if e.get("ph") == "X"
               and e.get("name") == "IsolatedSVGDocumentHost::IsolatedSVGDocumentHost") / 1000


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--figures", nargs="+", default=["eigen-powers", "home-gradient-vs-distance"])
    parser.add_argument("--loads", type=int, default=12)
    args = parser.parse_args()
    if args.loads < 1:
        parser.error("--loads must be at least 1")
    known = figures.load_all()
    unknown = [n for n in args.figures if n not in known]
    if unknown:
        parser.error(f"unknown figures: {', '.join(unknown)}")
    if not Path(CHROMIUM).exists():
        sys.exit(f"Chromium not found at {CHROMIUM}; install it with "
                 "`apt-get install -y chromium chromium-driver`")
    from playwright.sync_api import sync_playwright

    print("| figure | SVG | bytes | `<use>` | SVG document, median | min |")
    print("|---|---|---:|---:|---:|---:|")
    with tempfile.TemporaryDirectory() as tmp, sync_playwright() as pw:
        root = Path(tmp)
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        with Server(root) as origin:
            for name in args.figures:
                variants = {"glyph `<use>`": svg(name, text_paths=False),
                            "one path per string": svg(name, text_paths=True)}
                times = {label: [] for label in variants}
                for i, data in enumerate(variants.values()):
                    (root / f"{i}.svg").write_bytes(data)
                    (root / f"{i}.html").write_text(
                        f'<!doctype html><title>{i}</title><img src="{i}.svg" alt="">')
                for _ in range(args.loads):
                    for i, label in enumerate(variants):
                        page = browser.new_page()
                        times[label].append(svg_host_ms(page, f"{origin}/{i}.html"))
                        page.close()
                for label, data in variants.items():
                    t = times[label]
                    print(f"| {name} | {label} | {len(data):,} | {data.count(b'<use')} | "
                          f"{statistics.median(t):.1f} ms | {min(t):.1f} ms |")
        browser.close()


if __name__ == "__main__":
    main()
