r"""The figure registry: every figure on the site is a function registered here.

A figure module under `vgp/figures/` registers its drawing functions with `@figure`:

    @figure("recurrence-trajectories", alt="...", caption="...")
    def hidden_trajectories() -> matplotlib.figure.Figure: ...

Pages place a figure with a line of its own, `{{ figure("recurrence-trajectories") }}`; the
MkDocs hook (hooks/figures.py) renders every registered figure to SVG at build time and
replaces that line with the image, its alt text and its caption. An unknown name fails the
build. Rendered SVGs are cached under `.cache/figures/`, keyed on the figure's name and the
hash of the `vgp` sources its module depends on (see `vgp._sources`).

Figure modules must not import torch or matplotlib at module level (import torch inside the
function; draw through `subplots`), so that listing the registry stays fast.
"""

from __future__ import annotations

import contextlib
import importlib
import io
import pkgutil
import posixpath
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

from vgp._sources import source_hash

FIGURE_DIR = "figures"  # site path of generated figures
NAME_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
PLACEHOLDER_RE = re.compile(r'^\{\{ *figure\("([^"]*)"\) *\}\}[ \t]*$', re.MULTILINE)


@dataclass(frozen=True)
class Figure:
    name: str                  # kebab-case, unique; the SVG is figures/<name>.svg
    draw: Callable[[], object]  # returns a matplotlib Figure
    alt: str                   # what the figure shows, for screen readers
    caption: str               # shown under the figure (Markdown)
    module: str                # the vgp module that defines it (keys the cache)

    @property
    def path(self) -> str:
        return f"{FIGURE_DIR}/{self.name}.svg"

    def cache_key(self) -> str:
        return source_hash(self.module, "vgp.figures", "vgp.figures.style",
                           "vgp.figures.textpaths", extra=self.name)

    def cache_file(self, cache_dir: Path | str) -> Path:
        """Where the SVG of the current code is cached: <cache_dir>/<name>-<cache_key>.svg."""
        return Path(cache_dir) / f"{self.name}-{self.cache_key()}.svg"


REGISTRY: dict[str, Figure] = {}


def figure(name: str, *, alt: str, caption: str):
    """Decorator registering a drawing function under `name`."""
    if not isinstance(name, str) or not NAME_RE.match(name):
        raise ValueError(f"name must be kebab-case (a-z, 0-9, -), got {name!r}")
    if not alt or not alt.strip():
        raise ValueError(f"alt must describe figure {name!r}")
    if not caption or not caption.strip():
        raise ValueError(f"caption must be given for figure {name!r}")

    def register(fn):
        if name in REGISTRY and REGISTRY[name].module != fn.__module__:
            raise ValueError(f"figure {name!r} is registered twice")
        REGISTRY[name] = Figure(name, fn, alt.strip(), caption.strip(), fn.__module__)
        return fn

    return register


def load_all() -> dict[str, Figure]:
    """Import every module of this package so their figures register; return the registry."""
    for info in pkgutil.iter_modules(__path__, prefix=__name__ + "."):
        importlib.import_module(info.name)
    return REGISTRY


def get(name: str) -> Figure:
    registry = load_all()
    if name not in registry:
        raise KeyError(f"unknown figure {name!r}; known: {', '.join(sorted(registry))}")
    return registry[name]


def subplots(*args, **kwargs):
    """`matplotlib.pyplot.subplots`, importing pyplot on first use.

    Figure modules draw through this, so listing the registry (every build does) imports
    no plotting library: a warm build, whose figures are all cached, never loads pyplot.
    """
    import matplotlib.pyplot as plt

    return plt.subplots(*args, **kwargs)


def render_svg(fig, *, text_paths: bool = True) -> bytes:
    """Serialise a matplotlib figure to deterministic SVG bytes and close it: each string
    of text one path, coordinates to two decimals (`vgp.figures.textpaths`). With
    `text_paths=False`, matplotlib's own output (a glyph `<use>` per character), which
    benchmarks/bench_figures.py compares against."""
    import matplotlib.pyplot as plt

    from vgp.figures.style import SVG_RC
    from vgp.figures.textpaths import one_path_per_string, round_coordinates

    if not isinstance(text_paths, bool):
        raise TypeError(f"text_paths must be bool, got {type(text_paths).__name__}")
    buf = io.BytesIO()
    text = one_path_per_string() if text_paths else contextlib.nullcontext()
    with plt.rc_context(SVG_RC), text:
        fig.savefig(buf, format="svg", metadata={"Date": None, "Creator": None})
    plt.close(fig)
    if not text_paths:
        return buf.getvalue()
    return round_coordinates(buf.getvalue().decode("utf-8")).encode("utf-8")


def build(name: str, cache_dir: Path | str | None = None) -> bytes:
    """SVG bytes of figure `name`, drawn or read from the on-disk cache."""
    fig = get(name)
    path = None
    if cache_dir is not None:
        path = fig.cache_file(cache_dir)
        if path.is_file():
            return path.read_bytes()
    from vgp.figures.style import apply

    apply()
    svg = render_svg(fig.draw())
    if path is not None:
        path.parent.mkdir(parents=True, exist_ok=True)
        for stale in path.parent.glob(f"{name}-*.svg"):
            if len(stale.stem) == len(name) + 17:  # exactly <name>-<16 hex>: an older version
                stale.unlink(missing_ok=True)
        tmp = path.with_suffix(".tmp")
        tmp.write_bytes(svg)
        tmp.replace(path)
    return svg


def _build_in_worker(name: str, cache_dir: str) -> bytes:
    return build(name, cache_dir=cache_dir)


def build_all(cache_dir: Path | str, jobs: int = 2) -> tuple[dict[str, bytes], int]:
    """SVG bytes of every registered figure, and how many had to be drawn.

    Cached figures are read; missing ones are drawn in `jobs` worker processes (a cold build
    draws about forty, several of which train small models), in registry order.

    tests/test_figures.py draws a small registry with two workers, then reads it back.

    >>> build_all("/tmp", jobs=0)
    Traceback (most recent call last):
    ...
    ValueError: jobs must be a positive int, got 0
    """
    if not isinstance(jobs, int) or jobs < 1:
        raise ValueError(f"jobs must be a positive int, got {jobs!r}")
    cache = Path(cache_dir)
    registry = load_all()
    paths = {n: registry[n].cache_file(cache) for n in sorted(registry)}   # each key once
    missing = [n for n, path in paths.items() if not path.is_file()]
    if len(missing) > 1 and jobs > 1:
        from concurrent.futures import ProcessPoolExecutor
        from multiprocessing import get_context

        with ProcessPoolExecutor(min(jobs, len(missing)), mp_context=get_context("spawn")) as ex:
            list(ex.map(_build_in_worker, missing, [str(cache)] * len(missing)))
    else:
        for n in missing:
            build(n, cache_dir=cache)
    return {n: path.read_bytes() for n, path in paths.items()}, len(missing)


_SVG_SIZE = re.compile(rb'<svg\b[^>]*?\bwidth="([0-9.]+)pt"[^>]*?\bheight="([0-9.]+)pt"')


def svg_size(svg: bytes) -> tuple[int, int]:
    """Width and height in CSS pixels of a matplotlib SVG (its size is given in points).

    >>> svg_size(b'<svg xmlns:xlink="x" width="460.8pt" height="259.2pt" viewBox="0 0 460.8 259.2">')
    (614, 346)
    """
    m = _SVG_SIZE.search(svg[:2000])
    if not m:
        raise ValueError("svg: no width/height in points on the <svg> element")
    return round(float(m.group(1)) * 4 / 3), round(float(m.group(2)) * 4 / 3)


def expand_placeholders(markdown: str, page_src_uri: str,
                        sizes: dict[str, tuple[int, int]] | None = None) -> str:
    """Replace each `{{ figure("name") }}` line with the figure, alt text and caption.

    Links are relative to the page's source file so MkDocs resolves (and checks) them.
    `sizes` (name -> width, height in px, from `svg_size`) sets the image's width and height,
    so the browser reserves its space before it loads (no layout shift). Figures below the
    page's first `## ` heading load lazily; those above it are in the first screen and load
    at once (a lazy image there would delay the largest paint).
    """
    registry = load_all()
    page_dir = posixpath.dirname(page_src_uri)
    first_h2 = re.search(r"^## ", markdown, re.MULTILINE)
    fold = first_h2.start() if first_h2 else len(markdown)

    def one(m: re.Match) -> str:
        name = m.group(1)
        if name not in registry:
            raise KeyError(f"{page_src_uri}: unknown figure {name!r}")
        fig = registry[name]
        src = posixpath.relpath(fig.path, page_dir or ".")
        alt = re.sub(r"([\[\]\\])", r"\\\1", fig.alt).replace("\n", " ")  # brackets would end the link
        attrs = [] if m.start() < fold else ["loading=lazy"]
        if sizes and name in sizes:
            attrs += [f"width={sizes[name][0]}", f"height={sizes[name][1]}"]
        attr_list = f"{{ {' '.join(attrs)} }}" if attrs else ""
        return (f'<figure markdown="span" id="fig-{name}">\n'
                f'  ![{alt}]({src}){attr_list}\n'
                f'  <figcaption markdown="span">{fig.caption}</figcaption>\n'
                f'</figure>')

    return PLACEHOLDER_RE.sub(one, markdown)
