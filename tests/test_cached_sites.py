"""Every `cached(...)` call in vgp hands it a module-level function: `vgp.numerics.call` may
have to send the computation to a fresh interpreter (a process that is not portable: a
plain `mkdocs build`, a notebook kernel), and only a module-level function can be sent."""

import ast
from pathlib import Path

import vgp

PACKAGE = Path(vgp.__file__).resolve().parent


def _sites():
    for path in sorted(PACKAGE.rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        top = {n.name for n in tree.body if isinstance(n, ast.FunctionDef)}
        for node in ast.walk(tree):
            if (isinstance(node, ast.Call) and len(node.args) >= 3
                    and getattr(node.func, "id", getattr(node.func, "attr", None)) == "cached"):
                yield path.relative_to(PACKAGE.parent).as_posix(), node.lineno, node.args[2], top


def test_cached_gets_module_level_functions():
    sites = list(_sites())
    assert len(sites) >= 7                     # experiments (2), charmodel, clipping_demo, ...
    bad = []
    for where, line, fn, top in sites:
        if isinstance(fn, ast.Call) and getattr(fn.func, "attr", "") == "partial":
            fn = fn.args[0]
        if not (isinstance(fn, ast.Name) and fn.id in top):
            bad.append(f"{where}:{line}: {ast.unparse(fn)}")
    assert not bad, "cached() needs a module-level function:\n" + "\n".join(bad)
