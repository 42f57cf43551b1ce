"""vgp._lazyjupyter: mkdocs-jupyter loaded with stand-ins for nbconvert and jupytext.

Each check runs in a fresh interpreter, since importing is what is tested.
"""

from __future__ import annotations

import subprocess
import sys
from importlib.metadata import entry_points
from pathlib import Path

import pytest
import yaml

from vgp import _lazyjupyter

ROOT = Path(__file__).resolve().parents[1]


def run(code: str) -> str:
    done = subprocess.run([sys.executable, "-c", code], check=False, capture_output=True, text=True,
                          cwd=ROOT)
    assert done.returncode == 0, done.stderr
    return done.stdout.strip()


def test_plugin_loads_without_nbconvert_or_jupytext():
    out = run("import sys, vgp._lazyjupyter as lj\n"
              "print(sorted(m for m in ('nbconvert', 'jupytext.formats', 'mistune') "
              "if m in sys.modules))\n"
              "print(all(type(sys.modules[n]) is lj.DeferredModule for n in lj.LAZY))")
    assert out.splitlines() == ["[]", "True"]


def test_first_use_imports_the_real_module_everywhere():
    out = run("import sys, vgp._lazyjupyter as lj, mkdocs_jupyter.plugin as p\n"
              "nb2html = p.convert.nb2html\n"
              "import mkdocs_jupyter.convert as real\n"
              "print(nb2html is real.nb2html, type(real) is not lj.DeferredModule, "
              "sys.modules['mkdocs_jupyter.convert'] is real, 'nbconvert' in sys.modules)\n"
              "print(p.jupytext.read is sys.modules['jupytext'].read)")
    assert out.splitlines() == ["True True True True", "True"]


def test_import_statement_does_not_load_a_stand_in():
    # `import x` reads x.__spec__ (a LazyLoader module would run there); the stand-in's is None
    out = run("import sys, vgp._lazyjupyter\nimport jupytext\n"
              "print(type(jupytext).__name__, 'jupytext.formats' in sys.modules)")
    assert out == "DeferredModule False"


def test_mkdocs_yml_uses_the_entry_point():
    (ep,) = [e for e in entry_points(group="mkdocs.plugins") if e.name == "vgp-jupyter"]
    assert ep.load() is _lazyjupyter.Plugin
    text = (ROOT / "mkdocs.yml").read_text()
    loader = type("L", (yaml.SafeLoader,), {})
    loader.add_multi_constructor("", lambda *_: None)
    names = [next(iter(p)) if isinstance(p, dict) else p
             for p in yaml.load(text, Loader=loader)["plugins"]]
    assert "vgp-jupyter" in names and "mkdocs-jupyter" not in names


def test_defer_checks_its_argument():
    with pytest.raises(TypeError, match="name"):
        _lazyjupyter.defer("")
    with pytest.raises(ModuleNotFoundError, match="no_such_module_here"):
        _lazyjupyter.defer("no_such_module_here")
    assert _lazyjupyter.defer("json") is sys.modules["json"]
