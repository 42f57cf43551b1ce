"""mkdocs-jupyter's plugin, with nbconvert and jupytext imported only when they are used.

mkdocs.yml loads it as `vgp-jupyter` (an entry point in pyproject.toml). Loading
mkdocs-jupyter the usual way imports nbconvert and jupytext (about 1.1 s here, the largest
fixed cost of a warm build) before it knows whether there is anything to convert. A warm
build has nothing to convert: mkdocs-jupyter keeps each rendered notebook in its own cache,
keyed on the notebook's text (hooks/notebooks.py points the page at the executed copy, so
the key changes with every output), and with `ignore: ["*.md"]` it never asks jupytext
whether a Markdown page is a notebook.

So this module puts a stand-in for `mkdocs_jupyter.convert` (nbconvert's exporters and
filters) and for `jupytext` into `sys.modules`, then imports mkdocs-jupyter's own `Plugin`
class, unchanged. The first attribute looked up on a stand-in imports the real module and
hands over its attribute: on a cache miss, `convert.nb2html` imports nbconvert exactly as
before. (The standard library's `importlib.util.LazyLoader` does not do here: in Python
3.11 a plain `import jupytext` reads the module's `__spec__`, which runs a lazy module.)

>>> import subprocess, sys
>>> code = ("import sys, vgp._lazyjupyter as lj, mkdocs_jupyter.plugin as p; "
...         "print(lj.Plugin is p.Plugin, 'nbconvert' in sys.modules, "
...         "'jupytext.formats' in sys.modules); "
...         "p.convert.nb2html; print('nbconvert' in sys.modules)")
>>> print(subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
...                      check=True).stdout.strip())
True False False
True
"""

from __future__ import annotations

import importlib
import importlib.util
import sys
from types import ModuleType

LAZY = ("jupytext", "mkdocs_jupyter.convert")


class DeferredModule(ModuleType):
    """Stands in `sys.modules` for a module not imported yet. `__getattr__` runs only for an
    attribute the stand-in lacks (it has `__name__`, `__doc__` and `__spec__ = None`, which
    is all that `import name` reads), and imports the real module on that first use."""

    def __getattr__(self, attr: str):
        return getattr(load(self.__name__), attr)


def load(name: str) -> ModuleType:
    """The real module `name`, imported now if a stand-in was waiting in its place."""
    if isinstance(sys.modules.get(name), DeferredModule):
        del sys.modules[name]
    return importlib.import_module(name)


def defer(name: str) -> ModuleType:
    """Put a stand-in for module `name` in `sys.modules`, unless `name` is already imported.

    The module must exist (checked without running it); the stand-in is returned.

    >>> defer("json") is sys.modules["json"]     # already imported: left as it is
    True
    >>> defer("no_such_module_here")
    Traceback (most recent call last):
    ...
    ModuleNotFoundError: name: no module named 'no_such_module_here'
    """
    if not isinstance(name, str) or not name:
        raise TypeError(f"name must be a non-empty module name, got {name!r}")
    if name in sys.modules:
        return sys.modules[name]
    if importlib.util.find_spec(name) is None:   # imports the parent package, if any
        raise ModuleNotFoundError(f"name: no module named {name!r}", name=name)
    module = sys.modules[name] = DeferredModule(name)
    parent, _, child = name.rpartition(".")
    if parent:   # what the import system does for a submodule: `from . import convert`
        setattr(sys.modules[parent], child, module)
    return module


for _name in LAZY:
    defer(_name)

from mkdocs_jupyter.plugin import Plugin  # after the stand-ins are in place

__all__ = ["LAZY", "DeferredModule", "Plugin", "defer", "load"]
