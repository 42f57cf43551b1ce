"""Hash of the `vgp` source a piece of code depends on: the cache key of figures and experiments.

`source_hash("vgp.figures.recurrence")` hashes that module's code together with every `vgp`
module it imports, directly or transitively (found by reading the source with `ast`, so no
module is imported and nothing heavy like torch is loaded). Change the code of any of those
modules and the hash changes; change an unrelated module, or only a docstring, a comment or
the layout, and it does not: what is hashed is the syntax tree without docstrings, so that
editing documentation never triggers minutes of recomputation.
"""

from __future__ import annotations

import ast
import hashlib
import json
import os
import platform
from functools import lru_cache
from importlib import metadata
from pathlib import Path

PACKAGE_ROOT = Path(__file__).resolve().parent
LIBRARIES = ("numpy", "matplotlib", "torch")
# Analyses of module texts (digest, imported names) persist here across builds, so a warm build
# parses no module. Only in a source checkout; an installed package keeps them in memory.
MEMO_DIR: Path | None = (PACKAGE_ROOT.parent / ".cache" / "sources"
                         if (PACKAGE_ROOT.parent / "pyproject.toml").is_file() else None)
_MEMO_VERSION = "1"   # bump when what `_analysis` computes changes


def module_path(module: str) -> Path:
    """File of a `vgp` module (`vgp.figures` -> vgp/figures/__init__.py).

    The top-level `vgp` package holds only its version and is not tracked as a dependency.
    Called thousands of times a build, so it checks files with `os.path`, not `pathlib`.
    """
    if not isinstance(module, str) or not module.startswith("vgp.") or module == "vgp.":
        raise ValueError(f"module must be a vgp module, got {module!r}")
    base = os.path.join(PACKAGE_ROOT, *module.split(".")[1:])
    for cand in (base + ".py", os.path.join(base, "__init__.py")):
        if os.path.isfile(cand):
            return Path(cand)
    raise ValueError(f"module {module!r} not found under {PACKAGE_ROOT}")


def vgp_imports(tree: ast.AST, module: str | None = None, is_pkg: bool = False) -> set[str]:
    """The `vgp` modules that the import statements in `tree` name (not functions imported
    from them). Relative imports are resolved against `module`; without it they are skipped."""
    return {name for name in _imported_names(tree, module, is_pkg) if _is_module(name)}


def _imported_names(tree: ast.AST, module: str | None, is_pkg: bool) -> set[str]:
    """Every dotted `vgp` name an import statement in `tree` could mean as a module."""
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names = [a.name for a in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:  # relative import
                if module is None:
                    continue
                parts = module.split(".")
                parts = parts if is_pkg else parts[:-1]
                parts = parts[: len(parts) - (node.level - 1)]
                base = ".".join(parts + ([base] if base else []))
            names = [base] + [f"{base}.{a.name}" for a in node.names]
        else:
            continue
        found.update(n for n in names if n == "vgp" or n.startswith("vgp."))
    return found


def _is_module(name: str) -> bool:
    try:
        module_path(name)
        return True
    except ValueError:
        return False   # `from vgp.x import function`: the module is already in the set


# Parsing is memoised on a file's text, not its path: a rebuild under `mkdocs serve` sees an
# edit at once, and a build parses each module once however many cache keys need it.
@lru_cache(maxsize=512)
def _parse(text: str) -> ast.Module:
    return ast.parse(text)


def _read(path: Path) -> str:
    """A module's text, read once per build: memoised on path, modification time and size
    (the text, not the stat, keys every parse below, so a stale stat can never mislead)."""
    st = path.stat()
    return _read_at(str(path), st.st_mtime_ns, st.st_size)


@lru_cache(maxsize=512)
def _read_at(path: str, mtime_ns: int, size: int) -> str:
    return Path(path).read_text(encoding="utf-8")


def _direct_imports(module: str) -> frozenset[str]:
    path = module_path(module)
    return _direct_imports_of(module, path.name == "__init__.py", _read(path))


def _direct_imports_of(module: str, is_pkg: bool, text: str) -> frozenset[str]:
    # Which names are modules is decided now, not memoised: adding a module file takes effect.
    return frozenset(n for n in _analysis(module, is_pkg, text)[1] if _is_module(n))


@lru_cache(maxsize=512)
def _analysis(module: str, is_pkg: bool, text: str) -> tuple[bytes, frozenset[str]]:
    """(digest of the code without docstrings, imported vgp names) of a module's text.

    A pure function of its arguments, so it is memoised on them: in memory, and on disk under
    `MEMO_DIR` keyed on their SHA-256. A build whose modules are unchanged parses none of them.
    """
    ident = (_MEMO_VERSION, platform.python_version(), module, str(is_pkg), text)  # ast.dump
    key = hashlib.sha256("\0".join(ident).encode()).hexdigest()   # varies with Python's version
    path = MEMO_DIR / key[:2] / f"{key[2:]}.json" if MEMO_DIR is not None else None
    if path is not None:
        try:
            memo = json.loads(path.read_text(encoding="utf-8"))
            return bytes.fromhex(memo["digest"]), frozenset(memo["names"])
        except (OSError, ValueError, KeyError, TypeError):
            pass   # absent or unreadable: compute it
    digest = hashlib.sha256(_fingerprint(text)).digest()
    names = frozenset(_imported_names(_parse(text), module, is_pkg))
    if path is not None:
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            tmp = path.with_name(f"{path.name}.{os.getpid()}.tmp")
            tmp.write_text(json.dumps({"digest": digest.hex(), "names": sorted(names)}),
                           encoding="utf-8")
            tmp.replace(path)   # atomic: parallel test workers never see half a file
        except OSError:
            pass   # read-only checkout: the memo is an optimisation only
    return digest, names


def dependencies(module: str) -> list[str]:
    """`module` and every vgp module it imports, transitively, sorted."""
    seen: set[str] = set()
    todo = [module]
    while todo:
        m = todo.pop()
        if m in seen:
            continue
        module_path(m)
        seen.add(m)
        todo.extend(_direct_imports(m) - seen)
    return sorted(seen)


def code_fingerprint(path: Path) -> bytes:
    """The module's syntax tree with docstrings removed (comments and layout never reach it).

    Memoised on the file's text: a build fingerprints each module once.
    """
    return _fingerprint(_read(Path(path)))


@lru_cache(maxsize=512)
def _fingerprint(text: str) -> bytes:
    tree = ast.parse(text)  # a fresh tree: docstrings are cut out of it below
    for node in ast.walk(tree):
        if isinstance(node, (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef)):
            body = node.body
            if body and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant) \
                    and isinstance(body[0].value.value, str):
                node.body = body[1:] or [ast.Pass()]
    return ast.dump(tree, include_attributes=False).encode()


def library_versions() -> dict[str, str]:
    """Installed versions of the numerical libraries results depend on."""
    return dict(_library_versions())


@lru_cache(maxsize=1)
def _library_versions() -> tuple[tuple[str, str], ...]:
    out = {}
    for lib in LIBRARIES:
        try:
            out[lib] = metadata.version(lib)
        except metadata.PackageNotFoundError:
            out[lib] = "absent"
    return tuple(out.items())


def source_hash(*modules: str, extra: str = "") -> str:
    """SHA-256 (hex, 16 chars) of the sources of `modules` and their vgp imports,
    the library versions and an `extra` string (e.g. a config)."""
    h = hashlib.sha256()
    deps = sorted({d for m in modules for d in dependencies(m)})
    for m in deps:
        path = module_path(m)
        h.update(m.encode())
        h.update(_analysis(m, path.name == "__init__.py", _read(path))[0])   # 32 bytes, memoised
    for lib, ver in library_versions().items():
        h.update(f"{lib}={ver}".encode())
    h.update(extra.encode())
    return h.hexdigest()[:16]


def clear_caches() -> None:
    """Forget the in-memory memos (tests that swap `PACKAGE_ROOT` or `module_path` call this).

    The on-disk memo needs no clearing: it is keyed on the module's name and full text."""
    for fn in (_read_at, _parse, _analysis, _fingerprint, _library_versions):
        fn.cache_clear()
