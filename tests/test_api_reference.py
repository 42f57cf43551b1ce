"""The API reference pages cover every public module of vgp, and every public name in it."""

from __future__ import annotations

import pkgutil
import re
from pathlib import Path

import yaml

import vgp

ROOT = Path(__file__).resolve().parent.parent
PAGES = ROOT / "docs" / "reference" / "api"   # index.md + one page per module
EXCLUDED = {"cli", "figures"}  # command line and figure registry: documented on their own pages


def public_modules() -> set[str]:
    return {f"vgp.{m.name}" for m in pkgutil.iter_modules(vgp.__path__)
            if not m.name.startswith("_") and m.name not in EXCLUDED}


def listed_modules() -> list[str]:
    return [m for page in sorted(PAGES.glob("*.md")) for m in re.findall(
        r"^::: (vgp(?:\.\w+)*)\s*$", page.read_text(encoding="utf-8"), re.MULTILINE)]


def test_every_public_module_is_on_the_api_page():
    missing = public_modules() - set(listed_modules())
    assert not missing, f"add to a page in docs/reference/api/: {', '.join(sorted(missing))}"


def test_no_module_listed_twice_or_unknown():
    listed = listed_modules()
    assert len(listed) == len(set(listed))
    assert set(listed) <= public_modules()


def _mkdocstrings_options() -> dict:
    class Loader(yaml.SafeLoader):
        pass

    # mkdocs.yml may carry !!python/name tags (e.g. for pymdownx); they do not concern us here
    Loader.add_multi_constructor("tag:yaml.org,2002:python/", lambda loader, suffix, node: None)
    config = yaml.load((ROOT / "mkdocs.yml").read_text(encoding="utf-8"), Loader=Loader)
    for plugin in config["plugins"]:
        if isinstance(plugin, dict) and "mkdocstrings" in plugin:
            return plugin["mkdocstrings"]["handlers"]["python"]["options"]
    raise AssertionError("mkdocstrings is not configured in mkdocs.yml")


def test_public_names_without_docstrings_are_still_rendered():
    options = _mkdocstrings_options()
    assert options.get("show_if_no_docstring") is True
    assert options.get("show_source") is False
    # the default filter (hide names starting with "_") must not be widened to hide public ones
    assert options.get("filters", ["!^_[^_]"]) == ["!^_[^_]"]


def test_doctest_fencing_extension():
    import importlib.util

    spec = importlib.util.spec_from_file_location("gd", ROOT / "hooks" / "griffe_doctests.py")
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    text = "Title.\n\n    >>> a = 1\n    >>> a\n    1\n\nMore.\n>>> b\n2"
    out = mod.fence_doctests(text)
    assert out.count("```pycon") == 2
    assert "\n```pycon\n>>> a = 1\n>>> a\n1\n```\n" in out
    numpy_style = "Sum.\n\nExamples\n--------\n>>> 1 + 1\n2"
    assert mod.fence_doctests(numpy_style) == numpy_style


def test_indexing_in_prose_is_shown_as_code():
    import importlib.util

    spec = importlib.util.spec_from_file_location("gd", ROOT / "hooks" / "griffe_doctests.py")
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    text = "acc[lag][k] and `x[a][b]` and $h[t][i]$ and [a link](u) and v[i]\n```\nr[1][2]\n```"
    out = mod.code_indexing(text)
    assert out.startswith("`acc[lag][k]` and `x[a][b]` and $h[t][i]$ and [a link](u) and v[i]")
    assert "\nr[1][2]\n" in out
