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
from functools import lru_cache
from importlib import metadata
from pathlib import Path

PACKAGE_ROOT = Path(__file__).resolve().parent
LIBRARIES = ("numpy", "matplotlib", "torch")


def module_path(module: str) -> Path:
    """File of a `vgp` module (`vgp.figures` -> vgp/figures/__init__.py)."""
    if module != "vgp" and not module.startswith("vgp."):
        raise ValueError(f"module must be a vgp module, got {module!r}")
    rel = Path(*module.split(".")[1:])
    for cand in (PACKAGE_ROOT / rel.with_suffix(".py"), PACKAGE_ROOT / rel / "__init__.py"):
        if cand.is_file():
            return cand
    raise ValueError(f"module {module!r} not found under {PACKAGE_ROOT}")


def vgp_imports(tree: ast.AST, module: str | None = None, is_pkg: bool = False) -> set[str]:
    """The `vgp` modules that the import statements in `tree` name (not functions imported
    from them). Relative imports are resolved against `module`; without it they are skipped."""
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
        for name in names:
            if name == "vgp" or name.startswith("vgp."):
                try:
                    module_path(name)
                    found.add(name)
                except ValueError:
                    pass  # `from vgp.x import function`: the module is already in the set
    return found


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


@lru_cache(maxsize=512)
def _direct_imports_of(module: str, is_pkg: bool, text: str) -> frozenset[str]:
    return frozenset(vgp_imports(_parse(text), module, is_pkg=is_pkg))


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
def _digest(text: str) -> bytes:
    return hashlib.sha256(_fingerprint(text)).digest()


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
        h.update(m.encode())
        h.update(_digest(_read(module_path(m))))   # 32 bytes per module, memoised
    for lib, ver in library_versions().items():
        h.update(f"{lib}={ver}".encode())
    h.update(extra.encode())
    return h.hexdigest()[:16]


def clear_caches() -> None:
    """Forget memoised parses (tests that swap `PACKAGE_ROOT` or `module_path` call this)."""
    for fn in (_read_at, _parse, _direct_imports_of, _fingerprint, _digest, _library_versions):
        fn.cache_clear()
