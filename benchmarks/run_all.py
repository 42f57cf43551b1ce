"""Every benchmark, one after another (`make bench`): kernels, experiments, site builds and
page weight (with the `make test` recipe), what a figure's SVG costs Chromium, then
Lighthouse over the freshly built site.

    python benchmarks/run_all.py            # all of them (about 20 minutes on 2 idle cores)
    python benchmarks/run_all.py --quick    # kernels and site builds only

Timings depend on the machine's load: run it on an otherwise idle machine. Each script is
run as its own process with this interpreter and prints its own table.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--quick", action="store_true", help="skip experiments, make test, Lighthouse")
    args = ap.parse_args(argv)
    steps = [("kernels: vgp profile vs bare matvecs vs torch", ["bench_profile.py"])]
    if not args.quick:
        steps.append(("experiments, cold", ["bench_experiments.py"]))
    steps.append(("site: cold / warm / plain builds, bytes per page",
                  ["bench_site.py"] + ([] if args.quick else ["--make-test"])))
    if not args.quick:
        steps += [("figures: SVG text as paths vs glyph <use>, in Chromium", ["bench_figures.py"]),
                  ("site: build for Lighthouse", None),
                  ("Lighthouse, mobile, every page", ["lighthouse.py"])]
    failed = []
    print(f"load average {os.getloadavg()[0]:.1f}", flush=True)
    for title, script in steps:
        print(f"\n## {title}\n", flush=True)
        start = time.perf_counter()
        if script is None:
            cmd = [str(Path(sys.executable).parent / "mkdocs"), "build", "--strict", "--quiet"]
        else:
            cmd = [sys.executable, str(HERE / script[0]), *script[1:]]
        rc = subprocess.run(cmd, cwd=ROOT).returncode
        print(f"\n({title}: {time.perf_counter() - start:.0f} s, exit {rc})", flush=True)
        if rc:
            failed.append(title)
    if failed:
        print("\nfailed: " + "; ".join(failed))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
