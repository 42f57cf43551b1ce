"""MkDocs hook: the theme's Jinja templates are compiled once, not on every build.

MkDocs makes a new Jinja environment for every build, so each `mkdocs build` and every
rebuild under `mkdocs serve` compiled Material's templates again (about a tenth of a warm
build). Jinja's own bytecode cache keeps the compiled templates in `.cache/jinja/`; Jinja
checks each template's source against the cached copy, so an edited template (ours in
`overrides/`, or a new theme version) is compiled again. `VGP_PAGE_CACHE=0` turns this
cache off along with the page cache; tests/browser/test_site_pagecache.py builds the site
that way and from both caches, and both equal the built site byte for byte.
"""

from __future__ import annotations

from pathlib import Path

from jinja2 import FileSystemBytecodeCache

from vgp import _pagecache


def on_env(env, config, files):
    if not _pagecache.enabled():
        return env
    cache = Path(config.config_file_path).resolve().parent / ".cache" / "jinja"
    cache.mkdir(parents=True, exist_ok=True)
    env.bytecode_cache = FileSystemBytecodeCache(str(cache))
    return env
