"""Rendered pages, cached: a page whose Markdown and inputs are unchanged is not converted again.

Converting Markdown to HTML is half of a warm build (mkdocstrings rendering 35 API pages,
Pygments, Python-Markdown). `mkdocs serve` converts every page again after each edit, so an
author who changes one lesson waits for all of them. With this cache, a page is converted
only when its entry is missing; otherwise the build replays the entry:

* what `Page.render` sets on the page: `content`, `toc`, the title found in the page,
  `present_anchor_ids` and `links_to_anchors` (MkDocs checks anchors across pages after
  every page is rendered);
* what the Markdown extensions told other plugins while converting it: the anchors
  registered with autorefs, the objects registered in mkdocstrings' inventory, and the
  mkdocstrings handlers used (so mkdocstrings still writes its CSS and `objects.inv`).

The key (`page_key`) hashes the page's Markdown after every hook has changed it (so the
numbers, citations and figure names that hooks put in are part of it), its path, the
site's file list, the inputs every page can read (`inputs_fingerprint`: `mkdocs.yml`,
the `vgp` sources that mkdocstrings documents and snippets include, the hooks, the
abbreviations appended to every page, the versions of the Markdown toolchain) and any
other file a snippet line of the page names. A render that logs a warning or an error is
never stored, so a strict build can not pass on a replayed page that failed before.

The logic is here and tested in tests/test_pagecache.py (including a built site compared
byte for byte with and without the cache); hooks/pagecache.py only dispatches to it.
Set `VGP_PAGE_CACHE=0` to convert every page.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import re
import sys
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from importlib import metadata
from pathlib import Path
from typing import Any

from vgp.cache import write_json

FORMAT = 1   # bump when the layout of an entry changes

TOOLCHAIN = ("mkdocs", "markdown", "pymdown-extensions", "pygments", "mkdocs-material",
             "mkdocstrings", "mkdocstrings-python", "griffelib", "mkdocs-autorefs")

_SNIPPET_PATH = re.compile(r"""-{1,}8<-{1,}\s+["']([^"'\n:]+)""")
_SNIPPET_BLOCK = re.compile(r"^[ \t]*-{1,}8<-{1,}[ \t]*$")


def snippet_names(markdown: str) -> list[str]:
    """The files the page's snippet lines name, sorted: the one-line form `--8<-- "a.md"` and
    the block form, a file per line between two `--8<--` lines. A `:start:end` or `:name`
    suffix is dropped; a name escaped with `;` is not an inclusion.

    >>> snippet_names('--8<-- "vgp/a.py:code"\\n\\n--8<--\\nb.md\\n;c.md\\nd.md:3:9\\n--8<--\\n')
    ['b.md', 'd.md', 'vgp/a.py']
    """
    if not isinstance(markdown, str):
        raise TypeError(f"markdown must be a str, got {type(markdown).__name__}")
    names = {m.strip() for m in _SNIPPET_PATH.findall(markdown)}
    block = None
    for line in markdown.splitlines():
        if _SNIPPET_BLOCK.match(line):
            if block is None:      # opening marker
                block = []
            else:                  # closing marker (an unclosed block includes nothing)
                names.update(block)
                block = None
        elif block is not None:
            entry = line.strip()
            if entry and not entry.startswith(";"):
                block.append(entry.split(":", 1)[0].strip())
    return sorted(names)


def enabled() -> bool:
    """False when `VGP_PAGE_CACHE` is set to 0: every page is converted and every theme
    template compiled (hooks/templatecache.py follows this switch too)."""
    return os.environ.get("VGP_PAGE_CACHE", "1") != "0"


def _hash_files(h: Any, root: Path, paths: Iterable[Path]) -> None:
    for path in sorted(paths):
        if path.is_file() and "__pycache__" not in path.parts:
            h.update(path.relative_to(root).as_posix().encode() + b"\0")
            h.update(hashlib.sha256(path.read_bytes()).digest())


def inputs_fingerprint(root: Path, config_file: Path, dirs: Iterable[str]) -> str:
    """Hash of what any page's conversion can read: the config file, every file under
    `dirs` (relative to `root`), the Python version and the Markdown toolchain's versions.

    >>> import tempfile
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     root = Path(tmp); (root / "pkg").mkdir()
    ...     _ = (root / "mkdocs.yml").write_text("site_name: x")
    ...     _ = (root / "pkg" / "a.py").write_text("A = 1")
    ...     before = inputs_fingerprint(root, root / "mkdocs.yml", ["pkg"])
    ...     _ = (root / "pkg" / "a.py").write_text("A = 2")
    ...     after = inputs_fingerprint(root, root / "mkdocs.yml", ["pkg"])
    >>> len(before), before == after
    (64, False)
    """
    root = Path(root).resolve()
    h = hashlib.sha256(f"format {FORMAT}\npython {sys.version}\n".encode())
    for dist in TOOLCHAIN:
        try:
            h.update(f"{dist}={metadata.version(dist)}\n".encode())
        except metadata.PackageNotFoundError:
            h.update(f"{dist} absent\n".encode())
    _hash_files(h, root, [Path(config_file).resolve()])
    for d in dirs:
        if not (root / d).is_dir():
            raise ValueError(f"dirs: {d!r} is not a directory under {root}")
        _hash_files(h, root, (root / d).rglob("*"))
    return h.hexdigest()


def page_key(fingerprint: str, src_uri: str, markdown: str, files: Iterable[str],
             snippet_roots: Iterable[Path] = ()) -> str:
    """Key of one page's entry: the inputs' fingerprint, the page's path and final Markdown,
    the site's file list (links are checked and rewritten against it) and the files its
    snippet lines name, looked up under `snippet_roots`.

    >>> k = page_key("f" * 64, "a.md", "# A", ["a.md", "b.md"])
    >>> len(k), k == page_key("f" * 64, "a.md", "# A!", ["a.md", "b.md"])
    (64, False)
    >>> k == page_key("f" * 64, "a.md", "# A", ["a.md"])
    False
    """
    if not isinstance(markdown, str):
        raise TypeError(f"markdown must be a str, got {type(markdown).__name__}")
    h = hashlib.sha256(f"{fingerprint}\n{src_uri}\n".encode())
    h.update(hashlib.sha256(markdown.encode()).digest())
    h.update(hashlib.sha256("\n".join(sorted(files)).encode()).digest())
    for name in snippet_names(markdown):
        for base in snippet_roots:
            path = Path(base) / name
            if path.is_file():
                h.update(name.encode() + b"\0" + hashlib.sha256(path.read_bytes()).digest())
                break
    return h.hexdigest()


def entry_path(cache_dir: Path, src_uri: str, key: str) -> Path:
    """`<cache_dir>/<src_uri with / as ~>-<key[:16]>.json`; one page, one file name stem.

    >>> entry_path(Path("c"), "lessons/bptt.md", "0123456789abcdef" * 4).as_posix()
    'c/lessons~bptt.md-0123456789abcdef.json'
    """
    return Path(cache_dir) / f"{src_uri.replace('/', '~')}-{key[:16]}.json"


def load(path: Path) -> dict | None:
    """The entry at `path`, or None if there is none (or it is unreadable). A hit marks the
    entry as just used, so `store` keeps it."""
    try:
        entry = json.loads(Path(path).read_text())
        os.utime(path)
    except (OSError, ValueError):
        return None
    return entry if isinstance(entry, dict) and entry.get("format") == FORMAT else None


KEEP = 3   # entries kept per page: `mkdocs serve` (another site_url) and `build` both hit


def store(path: Path, entry: dict, keep: int = KEEP) -> None:
    """Write `entry` atomically; of the page's other entries (same stem, other keys) keep
    the `keep - 1` used most recently.

    >>> import tempfile, time
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     for i in range(5):
    ...         store(entry_path(Path(tmp), "a.md", f"{i:016x}"), {"format": FORMAT}, keep=3)
    ...         time.sleep(0.01)
    ...     sorted(p.name for p in Path(tmp).iterdir())
    ['a.md-0000000000000002.json', 'a.md-0000000000000003.json', 'a.md-0000000000000004.json']
    """
    if not isinstance(keep, int) or keep < 1:
        raise ValueError(f"keep must be a positive int, got {keep!r}")
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    stem = path.name[: -len("-0123456789abcdef.json")]
    others = [p for p in path.parent.glob(f"{glob_escape(stem)}-*.json")
              if p != path and len(p.name) == len(path.name)]
    others.sort(key=_mtime, reverse=True)
    for old in others[keep - 1:]:
        old.unlink(missing_ok=True)
    write_json(path, entry)


def _mtime(path: Path) -> int:
    try:
        return path.stat().st_mtime_ns
    except FileNotFoundError:   # removed meanwhile by a parallel build
        return 0


def glob_escape(text: str) -> str:
    """`text` with glob metacharacters bracketed.

    >>> glob_escape("a[1]*.md")
    'a[[]1[]][*].md'
    """
    return re.sub(r"([*?\[\]])", r"[\1]", text)


def _toc_tokens(items: Iterable[Any]) -> list[dict]:
    return [{"level": a.level, "id": a.id, "name": a.title, "children": _toc_tokens(a.children)}
            for a in items]


def snapshot(page: Any, calls: list) -> dict:
    """The entry for a page `Page.render` has just converted; `calls` from `Recorder`."""
    links = None
    if page.links_to_anchors is not None:
        links = {f.src_uri: dict(v) for f, v in page.links_to_anchors.items()}
    return {
        "format": FORMAT,
        "content": page.content,
        "toc": _toc_tokens(page.toc),
        "title": page._title_from_render,
        "anchors": sorted(page.present_anchor_ids or ()),
        "links": links,
        "calls": calls,
    }


def restore(page: Any, entry: dict, files: Any, recorder: Recorder) -> None:
    """Set on `page` what `Page.render` would, and replay the entry's plugin calls."""
    from mkdocs.structure.toc import get_toc

    page.content = entry["content"]
    page.toc = get_toc(entry["toc"])
    page._title_from_render = entry["title"]
    page.present_anchor_ids = set(entry["anchors"])
    if entry["links"] is not None:
        page.links_to_anchors = {files.get_file_from_path(src): links
                                 for src, links in entry["links"].items()}
    recorder.replay(page, entry["calls"])


class Recorder:
    """Records, and replays, what a page's conversion tells other plugins.

    `targets` maps a name to an object and the name of a method on it, e.g.
    ``{"anchor": (autorefs, "register_anchor")}``. While `recording(page)` is active each
    call of those methods is noted as ``[name, args, kwargs]`` and passed on unchanged. The
    target named "anchor" takes the page as its first argument: it is not noted, and the
    page being replayed is put back on replay. The state's `storable` turns False when a
    call can not be replayed (another page, or arguments JSON can not hold) or a warning is
    logged under `logger_name`.
    """

    def __init__(self, targets: dict[str, tuple[Any, str]], logger_name: str = "mkdocs"):
        self.targets = dict(targets)
        self.logger_name = logger_name

    def _original(self, name: str) -> Any:
        obj, method = self.targets[name]
        return getattr(obj, method)

    @contextmanager
    def recording(self, page: Any) -> Iterator[dict]:
        state = {"calls": [], "storable": True}
        originals = {}

        def wrap(name, fn):
            def wrapper(*args, **kwargs):
                noted = list(args)
                if name == "anchor":
                    if not args or args[0] is not page:
                        state["storable"] = False
                    noted = noted[1:]
                try:
                    json.dumps([noted, kwargs])
                except TypeError:
                    state["storable"] = False
                state["calls"].append([name, noted, kwargs])
                return fn(*args, **kwargs)
            return wrapper

        for name, (obj, method) in self.targets.items():
            originals[name] = (method in vars(obj), getattr(obj, method))
            setattr(obj, method, wrap(name, originals[name][1]))

        class _Flag(logging.Handler):
            def emit(self, record):
                state["storable"] = False

        flag = _Flag(logging.WARNING)
        logger = logging.getLogger(self.logger_name)
        logger.addHandler(flag)
        try:
            yield state
        finally:
            logger.removeHandler(flag)
            for name, (obj, method) in self.targets.items():
                own, original = originals[name]
                if own:
                    setattr(obj, method, original)
                else:
                    delattr(obj, method)   # the class's method shows through again

    def replay(self, page: Any, calls: list) -> None:
        for name, args, kwargs in calls:
            if name not in self.targets:
                raise ValueError(f"calls: unknown target {name!r}")
            fn = self._original(name)
            fn(*([page] if name == "anchor" else []) + list(args), **kwargs)
