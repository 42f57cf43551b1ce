"""Companion notebooks: executed against the current `vgp`, cached on what they depend on.

Each lesson has a notebook `docs/notebooks/<lesson>.ipynb`, stored without outputs. The
site shows it executed: `execute(path)` runs it in a fresh kernel (nbclient) and stores the
executed copy under `.cache/notebooks/<lesson>-<key>/<lesson>.ipynb`, where the key hashes
the notebook's text, the source of every `vgp` module its code imports (transitively, see
`vgp._sources`) and the library versions. Change the notebook or any of that code and the
next build or test run re-executes it; change nothing and the executed copy is reused, so
a warm build costs a few hashes, never a kernel start. A notebook that raises fails the
build and the test suite; nothing partial is cached.

>>> sorted(vgp_modules({"cells": [{"cell_type": "code",
...     "source": "import numpy as np\\nfrom vgp.rnn import forward\\n%matplotlib inline"}]}))
['vgp.notebooks', 'vgp.rnn']
"""

from __future__ import annotations

import ast
import json
import os
import re
import shutil
import subprocess
import tempfile
from pathlib import Path

from vgp._sources import PACKAGE_ROOT, source_hash, vgp_imports

ROOT = PACKAGE_ROOT.parent
NOTEBOOK_DIR = ROOT / "docs" / "notebooks"
KERNEL = "python3"
# Where the source lives on GitHub: Colab opens docs/notebooks/<name>.ipynb from there, and the
# notebooks' first cell installs vgp from there when it is missing (as on Colab).
GITHUB = "vgp-project/vgp"
COLAB = "https://colab.research.google.com/github"
_MAGIC = re.compile(r"^([ \t]*)[%!]", re.MULTILINE)


def cache_dir() -> Path:
    """Where executed notebooks are kept: `.cache/notebooks`, next to `vgp.cache`'s results.

    >>> from unittest import mock
    >>> with mock.patch.dict(os.environ, {"VGP_CACHE_DIR": "/tmp/vgp/results"}):
    ...     print(cache_dir().as_posix())
    /tmp/vgp/notebooks
    """
    env = os.environ.get("VGP_CACHE_DIR")
    return (Path(env).parent / "notebooks") if env else ROOT / ".cache" / "notebooks"


def notebooks() -> list[Path]:
    """Every companion notebook, sorted by name.

    >>> "recurrence.ipynb" in [p.name for p in notebooks()]
    True
    """
    return sorted(NOTEBOOK_DIR.glob("*.ipynb"))


def _read(path: Path) -> dict:
    if not isinstance(path, (str, Path)):
        raise TypeError(f"path must be a path, got {type(path).__name__}")
    path = Path(path)
    if path.suffix != ".ipynb" or not path.is_file():
        raise ValueError(f"path must be an existing .ipynb file, got {str(path)!r}")
    return json.loads(path.read_text(encoding="utf-8"))


def _source(cell: dict) -> str:
    src = cell.get("source", "")
    return "".join(src) if isinstance(src, list) else src


def vgp_modules(nb: dict) -> set[str]:
    """The `vgp` modules imported by the code cells of notebook `nb`, plus this module (the
    way notebooks are executed is part of what made the outputs). Markdown cells are skipped.

    >>> sorted(vgp_modules({"cells": [{"cell_type": "markdown", "source": "import vgp.cache"},
    ...                               {"cell_type": "code", "source": "from vgp.spectral import rescale"}]}))
    ['vgp.notebooks', 'vgp.spectral']
    """
    found = {"vgp.notebooks"}
    for cell in nb.get("cells", []):
        if cell.get("cell_type") != "code":
            continue
        code = _MAGIC.sub(r"\1pass  # ", _source(cell))   # IPython magics are not Python
        found |= vgp_imports(ast.parse(code)) - {"vgp"}
    return found


def key(path: Path | str) -> str:
    """Cache key of the executed notebook: its text + the vgp code it imports + versions.

    >>> import tempfile
    >>> nb = {"cells": [{"cell_type": "code", "source": "from vgp.rnn import forward",
    ...                  "metadata": {"alt": "Hidden states over time"}, "execution_count": 1,
    ...                  "outputs": [{"output_type": "display_data", "data": {"image/png": ""}}]}]}
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     path = Path(tmp) / "demo.ipynb"
    ...     _ = path.write_text(json.dumps(nb), encoding="utf-8")
    ...     k = key(path)
    >>> len(k), all(c in "0123456789abcdef" for c in k)
    (16, True)
    """
    text = Path(path).read_text(encoding="utf-8")
    nb = json.loads(text)
    return source_hash(*sorted(vgp_modules(nb)), extra=f"notebook\n{KERNEL}\n{text}")


def has_outputs(path: Path | str) -> bool:
    """True if a stored notebook carries outputs or execution counts (it must not).

    >>> import tempfile
    >>> nb = {"cells": [{"cell_type": "code", "source": "from vgp.rnn import forward",
    ...                  "metadata": {"alt": "Hidden states over time"}, "execution_count": 1,
    ...                  "outputs": [{"output_type": "display_data", "data": {"image/png": ""}}]}]}
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     path = Path(tmp) / "demo.ipynb"
    ...     _ = path.write_text(json.dumps(nb), encoding="utf-8")
    ...     has_outputs(path)
    True
    """
    return any(c.get("outputs") or c.get("execution_count")
               for c in _read(path).get("cells", []) if c.get("cell_type") == "code")


def execute(path: Path | str, *, timeout: int = 600) -> Path:
    """Path of the executed copy of notebook `path`, running it only if the cache misses.

    The copy is ``cache_dir() / f"{name}-{key(path)}" / path.name``; running a notebook
    starts a kernel, so the example only shows the check of its argument:

    >>> execute("missing.ipynb")
    Traceback (most recent call last):
    ...
    ValueError: path must be an existing .ipynb file, got 'missing.ipynb'
    """
    _read(path)
    path = Path(path)
    name, k = path.stem, key(path)
    out_dir = cache_dir() / f"{name}-{k}"
    out = out_dir / path.name
    if out.is_file():
        return out
    import nbformat
    from jupyter_client.manager import KernelManager
    from nbclient import NotebookClient

    nb = nbformat.read(path, as_version=4)
    with tempfile.TemporaryDirectory() as work:   # the notebook's cwd: nothing lands in docs/
        km = KernelManager(kernel_name=KERNEL, transport="ipc", ip=str(Path(work) / "kernel"))
        client = NotebookClient(nb, km=km, timeout=timeout, kernel_name=KERNEL,
                                record_timing=False, resources={"metadata": {"path": work}})
        client.execute(env={**os.environ, "MPLBACKEND": "module://matplotlib_inline.backend_inline"},
                       stderr=subprocess.DEVNULL)   # the kernel's shutdown chatter
    cache_dir().mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(dir=cache_dir(), prefix=f".{name}-"))
    nbformat.write(nb, tmp / path.name)
    try:
        os.replace(tmp, out_dir)            # atomic; a parallel run may have won the race
    except OSError:
        shutil.rmtree(tmp, ignore_errors=True)
    for stale in cache_dir().glob(f"{name}-*"):
        if stale != out_dir and len(stale.name) == len(name) + 17:
            shutil.rmtree(stale, ignore_errors=True)
    return out


def image_alts(path: Path | str) -> list[str | None]:
    """Alt text of every image output, in page order: the `alt` of the cell's metadata.

    >>> import tempfile
    >>> nb = {"cells": [{"cell_type": "code", "source": "from vgp.rnn import forward",
    ...                  "metadata": {"alt": "Hidden states over time"}, "execution_count": 1,
    ...                  "outputs": [{"output_type": "display_data", "data": {"image/png": ""}}]}]}
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     path = Path(tmp) / "demo.ipynb"
    ...     _ = path.write_text(json.dumps(nb), encoding="utf-8")
    ...     image_alts(path)
    ['Hidden states over time']
    """
    alts = []
    for cell in _read(path).get("cells", []):
        for output in cell.get("outputs", []):
            data = output.get("data", {})
            if any(m in data for m in ("image/png", "image/jpeg", "image/svg+xml")):
                alts.append(cell.get("metadata", {}).get("alt"))
    return alts
