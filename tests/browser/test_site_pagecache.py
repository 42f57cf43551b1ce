"""The real site, rebuilt from the build caches, is the site `make build` made (marker `site`).

`make build` leaves an entry in .cache/pages for every page it converted and the compiled
theme templates in .cache/jinja. Here the site is built again twice into temporary
directories: from those caches (every page replayed, none converted) and with both turned
off (`VGP_PAGE_CACHE=0`: every page converted, every template compiled).
Both must equal the built site file for file, byte for byte. The small-project tests of
the cache itself are in tests/test_pagecache.py.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.site
ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent


def _build(dest: Path, cache: bool) -> str:
    env = dict(os.environ, VGP_PAGE_CACHE="1" if cache else "0", NO_MKDOCS_2_WARNING="1")
    run = subprocess.run([str(BIN / "mkdocs"), "build", "--strict", "-d", str(dest)], cwd=ROOT,
                         env=env, capture_output=True, text=True, timeout=600, check=False)
    assert run.returncode == 0, run.stderr[-3000:]
    return run.stderr


def _differences(a: Path, b: Path) -> list[str]:
    files_a = {p.relative_to(a).as_posix() for p in a.rglob("*") if p.is_file()}
    files_b = {p.relative_to(b).as_posix() for p in b.rglob("*") if p.is_file()}
    out = [f"only in one: {name}" for name in sorted(files_a ^ files_b)]
    out += [f"differs: {name}" for name in sorted(files_a & files_b)
            if (a / name).read_bytes() != (b / name).read_bytes()]
    return out


def test_replayed_and_unconverted_builds_equal_the_built_site(built_site, tmp_path):
    log = _build(tmp_path / "replayed", cache=True)
    counts = re.search(r"page cache: (\d+) pages replayed, (\d+) converted", log)
    assert counts, log[-2000:]
    replayed, converted = map(int, counts.groups())
    assert converted == 0 and replayed >= 40, counts.group(0)
    assert _differences(built_site, tmp_path / "replayed") == []
    _build(tmp_path / "converted", cache=False)
    assert _differences(built_site, tmp_path / "converted") == []
