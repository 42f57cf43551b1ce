"""Every public function and class of vgp carries a docstring with a doctest example.

The API reference (docs/reference/api/) is generated from these docstrings, and the examples
run on every test run (`--doctest-modules`), so the reference cannot drift from the code.

Scope: every public module (no component starting with "_"). `vgp.figures` is left out: its
drawing functions are documented by their registry alt text and caption, and the package is
not on the API page. In `vgp.cli` the subcommand plumbing (`add_parser`, `run`) is left out.
A class needs the example in its class docstring; its public methods need a docstring.
"""

from __future__ import annotations

import importlib
import inspect
import pkgutil

import pytest

import vgp

EXCLUDED_PACKAGES = ("vgp.figures",)
CLI_PLUMBING = {"add_parser", "run"}


def public_modules() -> list[str]:
    names = ["vgp"]
    for info in pkgutil.walk_packages(vgp.__path__, prefix="vgp."):
        parts = info.name.split(".")
        if any(p.startswith("_") for p in parts):
            continue
        if any(info.name == pkg or info.name.startswith(pkg + ".") for pkg in EXCLUDED_PACKAGES):
            continue
        names.append(info.name)
    return sorted(names)


def _defined_here(module, obj) -> bool:
    return getattr(obj, "__module__", None) == module.__name__


def public_objects(modname: str):
    """(qualified name, object) of every public function and class defined in `modname`."""
    module = importlib.import_module(modname)
    for name, obj in sorted(vars(module).items()):
        if name.startswith("_") or not (inspect.isfunction(obj) or inspect.isclass(obj)):
            continue
        if not _defined_here(module, obj):
            continue
        if modname.startswith("vgp.cli") and name in CLI_PLUMBING:
            continue
        yield f"{modname}.{name}", obj


def public_methods(cls):
    """(name, function) of the public methods and properties a class defines itself."""
    for name, attr in vars(cls).items():
        if name.startswith("_"):
            continue
        if isinstance(attr, (staticmethod, classmethod)):
            attr = attr.__func__
        if isinstance(attr, property):
            attr = attr.fget
        if inspect.isfunction(attr):
            yield name, attr


def _own_doc(obj) -> str:
    doc = obj.__doc__ or ""
    if inspect.isclass(obj) and doc.startswith(obj.__name__ + "("):
        return ""  # the signature dataclasses and NamedTuples generate is not documentation
    return doc


MODULES = public_modules()


def test_scope_is_not_empty():
    assert "vgp.rnn" in MODULES and "vgp.cli" in MODULES
    assert not any(m.startswith("vgp.figures") or "._" in m for m in MODULES)


@pytest.mark.parametrize("modname", MODULES)
def test_module_has_docstring(modname):
    assert (importlib.import_module(modname).__doc__ or "").strip(), f"{modname} has no docstring"


@pytest.mark.parametrize("modname", MODULES)
def test_public_names_have_doctest_examples(modname):
    missing = [qual for qual, obj in public_objects(modname) if ">>>" not in _own_doc(obj)]
    assert not missing, "docstring with a `>>>` example needed: " + ", ".join(missing)


@pytest.mark.parametrize("modname", MODULES)
def test_public_methods_have_docstrings(modname):
    missing = [f"{qual}.{name}" for qual, obj in public_objects(modname) if inspect.isclass(obj)
               for name, fn in public_methods(obj) if not (fn.__doc__ or "").strip()]
    assert not missing, "docstring needed: " + ", ".join(missing)
