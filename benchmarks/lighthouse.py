"""Lighthouse over every page of the built site: the four category scores per page.

    python benchmarks/lighthouse.py                # all pages, mobile (Lighthouse's default)
    python benchmarks/lighthouse.py --preset desktop --pages / /explorer/
    python benchmarks/lighthouse.py --check        # exit 1 if a page misses a target
    python benchmarks/lighthouse.py --runs 3       # each page three times: the median run

Targets: performance >= 0.95 (mobile), accessibility, best practices and SEO = 1.0.

Lighthouse comes from npm, pinned in package.json/package-lock.json (`npm ci` runs here when
node_modules is missing or older than the lock). Lighthouse's trace engine asks for
`third-party-web` and `legacy-javascript` at the npm tag "latest", so `npm ci` refuses the lock
as out of sync each time either publishes a release; package.json's `overrides` pin the two to
the locked versions. It drives Debian's Chromium (CHROME_PATH=/usr/bin/chromium, flags that
keep it from calling Google hosts); no browser is downloaded. The site is served on 127.0.0.1
with gzip, as any static host serves it (benchmarks/_serve.py). Lighthouse's mobile run
simulates a slow 4G link and a slower CPU from a trace taken on this machine, so scores drop
when the machine is busy: run it on an otherwise idle machine. Pages are audited one at a time.

The CPU slowdown is calibrated, as Lighthouse's documentation on throttling asks
(docs/throttling.md, "Calibrating the CPU slowdown"). Its default of 4x turns a fast desktop
(Lighthouse's BenchmarkIndex about 1500) into the mid-tier phone the mobile score is defined
for; on a slower machine 4x emulates a slower phone than that. And this machine's speed
drifts: one page's runs measured BenchmarkIndex 994 to 1598 within ten minutes (two shared
cores). So each run is made in Lighthouse's two documented steps: `-G` loads the page and
records it, at full speed (simulated throttling slows nothing while loading), and `-A`
computes the metrics from that recording with the slowdown that Lighthouse's CPU-throttling
calculator (linked from that page; `cpu_slowdown` here) gives for the BenchmarkIndex
measured during that same load. `--cpu-slowdown 4` gives the uncalibrated default instead.
The table's "CPU" column is the slowdown of the reported run; the `--json` output keeps
every run's BenchmarkIndex. The "HTML" column is the size of the page's HTML file, what
the parser has to get through (CONTRIBUTING.md, "Page speed", on what makes a page slow).

One run of a page is noisy (the same page has scored 0.77 and then 0.97 a minute later), so
`--runs N` audits each page N times and reports its median run, the run whose performance
score is the median (Lighthouse's own advice on variability: take the median of several
runs); the table also shows the lowest and highest performance score of the N runs. The
other three categories do not depend on timing; for them the lowest score of the N runs
is reported.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _serve import Server, site_pages  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
CHROMIUM = os.environ.get("CHROME_PATH", "/usr/bin/chromium")
FLAGS = ("--headless --no-sandbox --disable-gpu --disable-quic --no-first-run "
         "--disable-background-networking --disable-component-update --disable-sync")
CATEGORIES = ("performance", "accessibility", "best-practices", "seo")
# Audits that carry no weight in any score but cost seconds a run: the back/forward-cache
# probe navigates away and back, and the screenshots are for the HTML report. (The metrics,
# Speed Index included, come from the trace, not from these audits.)
UNSCORED = ("bf-cache", "screenshot-thumbnails", "final-screenshot")
TARGETS = {"performance": 0.95, "accessibility": 1.0, "best-practices": 1.0, "seo": 1.0}


def ensure_lighthouse() -> Path:
    exe = ROOT / "node_modules" / ".bin" / "lighthouse"
    stamp = ROOT / "node_modules" / ".package-lock.json"
    lock = ROOT / "package-lock.json"
    if not exe.exists() or not stamp.exists() or stamp.stat().st_mtime < lock.stat().st_mtime:
        subprocess.run(["npm", "ci", "--no-audit", "--no-fund"], cwd=ROOT, check=True)
    return exe


def cpu_slowdown(benchmark_index: float) -> float:
    """The CPU slowdown that makes a machine with this Lighthouse BenchmarkIndex emulate the
    mid-tier phone of Lighthouse's mobile score: linear between the calculator's anchor points
    (150 -> 1x, 800 -> 2x, 1300 -> 3x, then 1x more per 233 points; 1533 -> 4x, the default).

    >>> [round(cpu_slowdown(i), 2) for i in (100, 150, 800, 1161, 1300, 1533)]
    [1.0, 1.0, 2.0, 2.72, 3.0, 4.0]
    """
    if isinstance(benchmark_index, bool) or not isinstance(benchmark_index, (int, float)):
        raise TypeError(f"benchmark_index must be a number, got {type(benchmark_index).__name__}")
    if not benchmark_index > 0:
        raise ValueError(f"benchmark_index must be positive, got {benchmark_index}")
    if benchmark_index >= 1300:
        return 3 + (benchmark_index - 1300) / 233
    if benchmark_index >= 800:
        return 2 + (benchmark_index - 800) / 500
    return max(1.0, 1 + (benchmark_index - 150) / 650)


def _run(cmd: list[str]) -> subprocess.CompletedProcess:
    return subprocess.run(cmd, env={**os.environ, "CHROME_PATH": CHROMIUM}, text=True,
                          stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, check=False)


def _failed(run: subprocess.CompletedProcess) -> dict:
    return {"scores": dict.fromkeys(CATEGORIES), "failing_audits": [], "metrics": {},
            "error": (run.stderr.strip().splitlines() or ["no output"])[-3:]}


def audit(exe: Path, url: str, preset: str, slowdown: float | None = None) -> dict:
    """One Lighthouse run of `url`, in two steps: load the page and record it (`-G`), then
    compute the audits from the recording (`-A`). For mobile, the CPU slowdown of the second
    step is `slowdown`, or, when None, `cpu_slowdown` of the BenchmarkIndex that Lighthouse
    measured during this very load."""
    with tempfile.TemporaryDirectory() as tmp:
        rec, out = Path(tmp) / "recording", Path(tmp) / "report.json"
        flags = [f"--only-categories={','.join(CATEGORIES)}",
                 f"--skip-audits={','.join(UNSCORED)}", "--disable-full-page-screenshot"]
        if preset == "desktop":
            flags.append("--preset=desktop")
        run = _run([str(exe), url, "--quiet", f"-G={rec}", f"--chrome-flags={FLAGS}", *flags])
        artifacts_file = rec / "artifacts.json"
        if run.returncode != 0 or not artifacts_file.is_file():
            return _failed(run)
        if preset == "mobile":
            artifacts = json.loads(artifacts_file.read_text())
            index = artifacts.get("BenchmarkIndex")
            factor = slowdown if slowdown is not None else cpu_slowdown(index)
            # Lighthouse refuses an audit step whose settings differ from the recording's.
            # Under simulated throttling the recording ran at full speed (the slowdown only
            # scales the traced CPU work when metrics are computed), so the recorded
            # setting is rewritten to the slowdown this run is audited with.
            artifacts["settings"]["throttling"]["cpuSlowdownMultiplier"] = factor
            artifacts_file.write_text(json.dumps(artifacts))
            flags.append(f"--throttling.cpuSlowdownMultiplier={factor}")
        run = _run([str(exe), url, "--quiet", f"-A={rec}", "--output=json",
                    f"--output-path={out}", *flags])
        if run.returncode != 0 or not out.is_file():
            return _failed(run)
        report = json.loads(out.read_text())
    scores = {c: report["categories"][c]["score"] for c in CATEGORIES}
    failing = []
    for c in CATEGORIES:
        for ref in report["categories"][c]["auditRefs"]:
            a = report["audits"][ref["id"]]
            if ref.get("weight", 0) > 0 and a["score"] is not None and a["score"] < 1:
                failing.append(f"{c}:{ref['id']}")
    metrics = {k: report["audits"][k].get("displayValue", "") for k in (
        "first-contentful-paint", "largest-contentful-paint", "total-blocking-time",
        "cumulative-layout-shift", "speed-index")}
    return {"scores": scores, "failing_audits": failing, "metrics": metrics,
            "benchmark_index": report["environment"].get("benchmarkIndex"),
            "cpu_slowdown": report["configSettings"]["throttling"]["cpuSlowdownMultiplier"]}


def html_bytes(site: Path, path: str) -> int:
    """Size in bytes of the HTML file behind the URL path `path` of a built site (the table's
    "HTML" column)."""
    rel = path.lstrip("/")
    if rel == "" or rel.endswith("/"):
        rel += "index.html"
    file = Path(site) / rel
    if not file.is_file():
        raise ValueError(f"path {path!r} has no HTML file in {site}")
    return file.stat().st_size


def median_run(runs: list[dict]) -> dict:
    """The run with the median performance score (the lower middle one for an even count);
    runs that failed sort first, so a page that fails in most runs is reported failed.
    Accessibility, best practices and SEO do not depend on timing: the result carries the
    lowest of each over all runs, so a miss in any run is reported."""
    if not runs:
        raise ValueError("runs must not be empty")
    ranked = sorted(runs, key=lambda r: -1.0 if r["scores"]["performance"] is None
                    else r["scores"]["performance"])
    median = dict(ranked[(len(ranked) - 1) // 2])
    median["scores"] = dict(median["scores"])
    for cat in CATEGORIES[1:]:
        values = [r["scores"][cat] for r in runs]
        median["scores"][cat] = None if None in values else min(values)
    return median


def misses(scores: dict, preset: str) -> list[str]:
    out = []
    for cat, target in TARGETS.items():
        if cat == "performance" and preset != "mobile":
            continue
        if scores[cat] is None or scores[cat] < target:
            out.append(f"{cat} {scores[cat]} < {target}")
    return out


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--site", default=str(ROOT / "site"), help="built site (default: site/)")
    ap.add_argument("--pages", nargs="*", help="URL paths (default: every page of the site)")
    ap.add_argument("--preset", choices=("mobile", "desktop"), default="mobile")
    ap.add_argument("--json", help="also write the results to this file")
    ap.add_argument("--check", action="store_true", help="exit 1 if a page misses a target")
    ap.add_argument("--runs", type=int, default=1,
                    help="audit each page this many times and report the median run")
    ap.add_argument("--cpu-slowdown", type=float,
                    help="mobile CPU slowdown (default: each run's, calibrated to the "
                         "machine's measured speed; 4 is Lighthouse's uncalibrated default)")
    args = ap.parse_args(argv)
    if args.runs < 1:
        ap.error("--runs must be at least 1")
    if args.cpu_slowdown is not None and not args.cpu_slowdown >= 1:
        ap.error("--cpu-slowdown must be at least 1")
    site = Path(args.site)
    if not (site / "index.html").is_file():
        print(f"no built site in {site}: run `make build` first", file=sys.stderr)
        return 2
    exe = ensure_lighthouse()
    pages = args.pages or [p for p in site_pages(site) if p != "/404.html"]
    results, bad = {}, []
    runs_note = f", median of {args.runs} runs per page" if args.runs > 1 else ""
    with Server(site) as origin:
        if args.preset == "mobile":
            print("CPU slowdown: " + (f"{args.cpu_slowdown:.2f}x, as given" if args.cpu_slowdown
                  else "each run's own, from the BenchmarkIndex measured during it"))
        print(f"Lighthouse ({args.preset}) on {len(pages)} pages{runs_note}\n")
        print("| page | performance | range | accessibility | best practices | SEO "
              "| FCP | LCP | TBT | CLS | CPU | HTML |")
        print("|------|------------:|------:|--------------:|---------------:|----:"
              "|----:|----:|----:|----:|----:|-----:|")
        for path in pages:
            runs = [audit(exe, origin + path, args.preset, args.cpu_slowdown)
                    for _ in range(args.runs)]
            r = median_run(runs)
            perf = [x["scores"]["performance"] for x in runs
                    if x["scores"]["performance"] is not None]
            r["performance_runs"] = perf
            r["benchmark_index_runs"] = [x.get("benchmark_index") for x in runs]
            results[path] = r
            s, m = r["scores"], r["metrics"]
            span = f"{min(perf):.2f}-{max(perf):.2f}" if perf else "-"
            cells = ["error" if s[c] is None else f"{s[c]:.2f}" for c in CATEGORIES]
            cells.insert(1, span)
            cells += [m.get(k, "-") for k in ("first-contentful-paint",
                      "largest-contentful-paint", "total-blocking-time",
                      "cumulative-layout-shift")]
            cells.append(f"{r['cpu_slowdown']:.1f}x" if r.get("cpu_slowdown") else "-")
            r["html_bytes"] = html_bytes(site, path)
            cells.append(f"{r['html_bytes'] / 1000:.0f} KB")
            print(f"| {path} | " + " | ".join(cells) + " |", flush=True)
            if m := misses(s, args.preset):
                bad.append((path, m, r["failing_audits"], r["metrics"]))
    index = [i for r in results.values() for i in r["benchmark_index_runs"] if i]
    if index:
        print(f"\nBenchmarkIndex over the runs: {min(index):.0f}-{max(index):.0f} "
              f"(the machine's speed during the audit)")
    if args.json:
        Path(args.json).write_text(json.dumps(results, indent=1))
    for path, m, failing, metrics in bad:
        print(f"\n{path}: {'; '.join(m)}\n  failing audits: {', '.join(failing) or '-'}"
              f"\n  metrics: {metrics}")
        if results[path].get("error"):
            print("  lighthouse failed: " + " / ".join(results[path]["error"]))
    return 1 if (args.check and bad) else 0


if __name__ == "__main__":
    sys.exit(main())
