"""`vgp profile`: formats, the long-sequence acceptance case, and one-line errors."""

import csv
import io
import json
import math
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from vgp.cli import main
from vgp.profile import random_rnn_profile

VGP = Path(sys.executable).with_name("vgp")


def _run(capsys, *argv):
    code = main(["profile", *argv])
    out, err = capsys.readouterr()
    return code, out, err


def test_acceptance_json_5000_steps_radius_half(capsys):
    code, out, err = _run(capsys, "--steps", "5000", "--radius", "0.5", "--format", "json")
    assert code == 0 and err == ""
    data = json.loads(out)
    logs = data["log10_norm"]
    assert data["t"] == list(range(1, 5001)) and len(logs) == 5000
    assert all(v is not None and math.isfinite(v) for v in logs)
    assert logs[-1] == 0.0 and logs[0] < -300 * 4
    assert data["norm"][0].endswith(f"e{math.floor(logs[0])}")


def test_json_matches_library(capsys):
    code, out, _ = _run(capsys, "--hidden", "8", "--steps", "30", "--radius", "1.2",
                        "--activation", "sigmoid", "--input-scale", "0.5", "--trials", "3",
                        "--seed", "4", "--format", "json")
    prof = random_rnn_profile(8, 30, 1.2, "sigmoid", 0.5, 3, 4)
    data = json.loads(out)
    np.testing.assert_array_equal(data["log10_norm"], prof.log10_norm)
    assert data["config"] == prof.config and data["log10_rate"] == prof.log10_rate


def test_csv_and_table(capsys):
    _, out, _ = _run(capsys, "--hidden", "6", "--steps", "400", "--radius", "0.1", "--format", "csv")
    rows = list(csv.DictReader(io.StringIO(out)))
    assert len(rows) == 400 and rows[-1]["log10_norm"] == "0.000000"
    first = float(rows[0]["log10_norm"])
    assert first < -350 and rows[0]["norm"] != "0.000e+00"   # 1e-350 is not printed as 0
    assert float(rows[0]["norm"].split("e")[1]) == math.floor(first)
    _, table, _ = _run(capsys, "--hidden", "6", "--steps", "400", "--radius", "0.1")
    lines = table.splitlines()
    assert lines[0].startswith("# vgp profile: hidden=6 steps=400 radius=0.1")
    assert lines[2].split() == ["t", "log10_norm", "norm"]
    assert lines[3].split() == ["1", rows[0]["log10_norm"], rows[0]["norm"]]
    assert len(lines) == 403


@pytest.mark.parametrize("argv, needle", [
    (["--hidden", "0"], "--hidden"), (["--steps", "0"], "--steps"),
    (["--radius", "-1"], "--radius"), (["--radius", "nan"], "--radius"),
    (["--input-scale", "-0.5"], "--input-scale"), (["--trials", "0"], "--trials"),
    (["--seed", "-3"], "--seed"), (["--steps", "ten"], "--steps"),
    (["--activation", "gelu"], "--activation"), (["--format", "xml"], "--format"),
    (["--hidden", "5000", "--steps", "100000"], "memory"), (["--bogus"], "--bogus"),
])
def test_bad_arguments_one_line_on_stderr(capsys, argv, needle):
    try:
        code = main(["profile", *argv])
    except SystemExit as exc:                      # argparse-level errors
        code = exc.code
    out, err = capsys.readouterr()
    assert code == 2 and out == ""
    assert err.count("\n") == 1 and needle in err and "Traceback" not in err


def test_console_script_subprocess():
    ok = subprocess.run([str(VGP), "profile", "--hidden", "4", "--steps", "5", "--format", "json"],
                        capture_output=True, text=True, timeout=60)
    assert ok.returncode == 0 and len(json.loads(ok.stdout)["log10_norm"]) == 5
    bad = subprocess.run([str(VGP), "profile", "--radius", "-2"], capture_output=True, text=True,
                         timeout=60)
    assert bad.returncode == 2 and bad.stdout == ""
    assert bad.stderr.strip().splitlines() == ["vgp profile: error: --radius must be >= 0.0, got -2.0"]
