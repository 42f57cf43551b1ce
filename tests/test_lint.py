"""ruff over the repository with the rules of pyproject.toml ([tool.ruff.lint]: Pyflakes and
syntax errors), so an unused import or an undefined name fails `make test`."""

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_ruff_finds_nothing():
    run = subprocess.run([sys.executable, "-m", "ruff", "check", "--no-cache",
                          "--output-format", "concise", "."],
                         cwd=ROOT, capture_output=True, text=True)
    assert run.returncode == 0, run.stdout + run.stderr


def test_ruff_would_report_an_unused_import(tmp_path):
    """The rules are live: the same check fails on a file with an unused import."""
    (tmp_path / "bad.py").write_text("import os\n")
    run = subprocess.run([sys.executable, "-m", "ruff", "check", "--no-cache",
                          "--config", str(ROOT / "pyproject.toml"), str(tmp_path / "bad.py")],
                         capture_output=True, text=True)
    assert run.returncode == 1 and "F401" in run.stdout
