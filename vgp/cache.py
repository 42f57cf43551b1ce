"""On-disk cache for expensive results (training runs, sweeps), keyed on what made them.

    result = cached("copy-rnn", config, compute, module="vgp.experiments")

stores `compute(config)` (a JSON-serialisable dict; NumPy arrays and scalars are converted
to lists and floats) under `.cache/results/<name>-<key>.json`, where the key hashes the
config, the sources of `module` and every `vgp` module it imports, the library versions and
the portable-numerics settings. The same call with the same inputs and code reads the file
instead of recomputing; changing any of them recomputes exactly that result.

`compute` always runs with the portable code paths of `vgp.numerics`, so a result is the
same on every x86-64 machine: in this process if it takes them, else in a fresh interpreter
(then `compute` must be a module-level function).

The cache directory is `.cache/results` at the repository root, or `$VGP_CACHE_DIR` if set.
"""

from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path
from typing import Any, Callable

import numpy as np

from vgp import numerics
from vgp._sources import PACKAGE_ROOT, source_hash


def cache_dir() -> Path:
    """The directory of cached results: `$VGP_CACHE_DIR` if set, else `.cache/results`.

    >>> from unittest import mock
    >>> with mock.patch.dict(os.environ, {"VGP_CACHE_DIR": "/tmp/vgp-results"}):
    ...     print(cache_dir().as_posix())
    /tmp/vgp-results
    >>> with mock.patch.dict(os.environ, clear=True):
    ...     cache_dir().parts[-2:]
    ('.cache', 'results')
    """
    env = os.environ.get("VGP_CACHE_DIR")
    return Path(env) if env else PACKAGE_ROOT.parent / ".cache" / "results"


def _jsonable(obj: Any) -> Any:
    if isinstance(obj, dict):
        return {str(k): _jsonable(v) for k, v in obj.items()}
    if isinstance(obj, (list, tuple)):
        return [_jsonable(v) for v in obj]
    if isinstance(obj, np.ndarray):
        return _jsonable(obj.tolist())
    if isinstance(obj, np.generic):
        return obj.item()
    if isinstance(obj, float) and not np.isfinite(obj):
        return repr(obj)  # 'inf', '-inf', 'nan' survive the round trip as strings
    return obj


def _computed(compute: Callable[[dict], dict], config: dict) -> Any:
    return _jsonable(compute(config))


def key(name: str, config: dict, module: str) -> str:
    """Cache key of a result: config + sources of `module` (transitively) + library versions.

    16 hex digits; any change to the name, the config or the code gives another key.

    >>> k = key("demo", {"hidden": 8}, "vgp.rnn")
    >>> len(k), k == key("demo", {"hidden": 8}, "vgp.rnn"), k == key("demo", {"hidden": 9}, "vgp.rnn")
    (16, True, False)
    """
    if not isinstance(config, dict):
        raise TypeError(f"config must be a dict, got {type(config).__name__}")
    blob = json.dumps(_jsonable(config), sort_keys=True)
    env = json.dumps(numerics.PORTABLE_ENV, sort_keys=True)
    return source_hash(module, "vgp.cache", extra=f"{name}\n{blob}\n{env}")


def path_for(name: str, config: dict, module: str) -> Path:
    """Where `cached` stores the result: ``cache_dir() / f"{name}-{key}.json"``.

    >>> path = path_for("demo", {"hidden": 8}, "vgp.rnn")
    >>> path.parent == cache_dir(), path.name == f"demo-{key('demo', {'hidden': 8}, 'vgp.rnn')}.json"
    (True, True)
    """
    return cache_dir() / f"{name}-{key(name, config, module)}.json"


def cached(name: str, config: dict, compute: Callable[[dict], dict], *, module: str) -> dict:
    """Return `compute(config)`, from the cache when the same inputs and code made it before.

    Arrays come back as lists (the result went through JSON). Here in a scratch directory:

    >>> import tempfile
    >>> from unittest import mock
    >>> calls = []
    >>> def compute(cfg):
    ...     calls.append(cfg)
    ...     return {"squares": np.arange(cfg["n"]) ** 2}
    >>> with tempfile.TemporaryDirectory() as tmp, mock.patch.dict(os.environ, {"VGP_CACHE_DIR": tmp}):
    ...     first = cached("demo", {"n": 4}, compute, module="vgp.rnn")
    ...     again = cached("demo", {"n": 4}, compute, module="vgp.rnn")    # read, not computed
    >>> first, again == first, len(calls)
    ({'squares': [0, 1, 4, 9]}, True, 1)
    """
    if not isinstance(name, str) or not name or "/" in name:
        raise ValueError(f"name must be a non-empty string without '/', got {name!r}")
    path = path_for(name, config, module)
    if path.is_file():
        return json.loads(path.read_text())
    result = numerics.call(_computed, compute, config)
    path.parent.mkdir(parents=True, exist_ok=True)
    for stale in path.parent.glob(f"{name}-*.json"):
        if len(stale.stem) == len(name) + 17:  # exactly <name>-<16 hex>: an older version
            stale.unlink(missing_ok=True)
    write_json(path, result, sort_keys=True)
    return json.loads(path.read_text())


def write_json(path: Path, obj: Any, **dump_kwargs: Any) -> None:
    """Write `obj` as JSON to `path` atomically: parallel readers (test workers, builds)
    see the old file or the new one, never half a file. The directory must exist;
    `dump_kwargs` go to `json.dump`. If `obj` can not be serialised, `path` is untouched
    and no temporary file is left behind.

    >>> import tempfile
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     target = Path(tmp) / "entry.json"
    ...     write_json(target, {"b": 1, "a": [2.5]}, sort_keys=True)
    ...     text = target.read_text()
    ...     try:
    ...         write_json(target, {"bad": object()})
    ...     except TypeError:
    ...         pass
    ...     text, target.read_text() == text, sorted(p.name for p in Path(tmp).iterdir())
    ('{"a": [2.5], "b": 1}', True, ['entry.json'])
    """
    if not isinstance(path, (str, os.PathLike)):
        raise TypeError(f"path must be a str or os.PathLike, got {type(path).__name__}")
    parent = Path(path).parent
    if not parent.is_dir():
        raise ValueError(f"path's directory does not exist: {str(parent)!r}")
    fd, tmp = tempfile.mkstemp(dir=parent, suffix=".tmp")
    try:
        with os.fdopen(fd, "w") as fh:
            json.dump(obj, fh, **dump_kwargs)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
