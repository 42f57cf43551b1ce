"""MkDocs hook: every figure of the `vgp.figures` registry, drawn at build time.

Thin by design: the logic lives in `vgp.figures` (tested). This file only plugs it into
MkDocs. Figures are added as generated files (never written into docs/, so `mkdocs serve`
does not loop) and cached under .cache/figures keyed on the sources they depend on.
"""

from __future__ import annotations

import logging
import time
from pathlib import Path

from mkdocs.exceptions import PluginError
from mkdocs.structure.files import File

from vgp import figures

log = logging.getLogger("mkdocs.hooks.figures")
CACHE = Path(__file__).resolve().parent.parent / ".cache" / "figures"
_sizes: dict[str, tuple[int, int]] = {}   # name -> (width, height) in px, for the <img> tags


def on_files(files, config):
    start = time.perf_counter()
    svgs, drawn = figures.build_all(CACHE, jobs=2)   # missing figures: two worker processes
    for name, svg in svgs.items():
        _sizes[name] = figures.svg_size(svg)
        files.append(File.generated(config, figures.REGISTRY[name].path, content=svg))
    log.info("figures: %d registered, %d drawn, %.2fs", len(svgs), drawn,
             time.perf_counter() - start)
    return files


def on_page_markdown(markdown, page, config, files):
    try:
        return figures.expand_placeholders(markdown, page.file.src_uri, sizes=_sizes)
    except KeyError as exc:
        raise PluginError(str(exc.args[0])) from None


def on_serve(server, config, builder):
    # Redraw when the package changes, not just the docs.
    server.watch(str(Path(figures.__file__).resolve().parent.parent))
    return server
