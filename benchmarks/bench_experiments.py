"""Wall time of every named experiment, computed cold, then a warm pass that must compute nothing.

    .venv/bin/python benchmarks/bench_experiments.py            # cold, in a temporary cache
    .venv/bin/python benchmarks/bench_experiments.py --together # one pool, as a cold build does
    .venv/bin/python benchmarks/bench_experiments.py --jobs 1   # one process (serial)
    .venv/bin/python benchmarks/bench_experiments.py --into-cache   # fill .cache/results

By default experiments run one after another in the order of `vgp.experiments.EXPERIMENTS`
(each with its own pool of `--jobs` processes); a run shared by two experiments is computed
by the first and read by the second, so the per-experiment times add up to the cold time of
the whole set. `--together` computes every run in one pool, longest first, which is what a
cold build does at its first cache miss; per-experiment times are then the summed wall times
of their runs (two runs share the CPU at any moment). The budget is 240 s on the 2-core CPU.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time

BUDGET_SECONDS = 240.0


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--jobs", type=int, default=2, help="worker processes (default 2)")
    ap.add_argument("--together", action="store_true",
                    help="compute all runs in one pool, as a cold build does")
    ap.add_argument("--into-cache", action="store_true",
                    help="use the real cache (.cache/results) instead of a temporary one")
    args = ap.parse_args(argv)
    tmp = None
    if not args.into_cache:
        tmp = tempfile.TemporaryDirectory(prefix="vgp-bench-")
        os.environ["VGP_CACHE_DIR"] = tmp.name

    from vgp import experiments
    from vgp.summaries import summarise
    from vgp.train import THREADS

    print(f"cache: {experiments.cache.cache_dir()}  jobs: {args.jobs}  "
          f"torch threads per run: {THREADS}")
    print(f"{'experiment':<28} {'runs':>4} {'computed':>8} {'wall s':>8} {'run cpu s':>9}")
    total_start = time.perf_counter()
    if args.together:
        computed = experiments.compute(experiments.all_runs(), jobs=args.jobs)
        total = time.perf_counter() - total_start
        t = experiments.timings()
        for name in experiments.EXPERIMENTS:
            print(f"{name:<28} {len(experiments.runs_of(name)):>4} {'':>8} "
                  f"{t['per_experiment'][name]:>8.1f} {t['per_experiment_cpu'][name]:>9.1f}")
        verdict = "within" if total <= BUDGET_SECONDS else "OVER"
        print(f"{'total (cold, elapsed)':<28} {'':>4} {len(computed):>8} {total:>8.1f}   "
              f"{verdict} the {BUDGET_SECONDS:.0f} s budget")
        return _warm(experiments, args, tmp, total)
    for name in experiments.EXPERIMENTS:
        runs = experiments.runs_of(name)
        start = time.perf_counter()
        computed = experiments.compute(runs, jobs=args.jobs)
        wall = time.perf_counter() - start
        res = summarise(name, "", [experiments.run(c) for c in computed])
        print(f"{name:<28} {len(runs):>4} {len(computed):>8} {wall:>8.1f} {res['cpu_seconds']:>9.1f}",
              flush=True)
    total = time.perf_counter() - total_start
    verdict = "within" if total <= BUDGET_SECONDS else "OVER"
    print(f"{'total (cold)':<28} {'':>4} {'':>8} {total:>8.1f}   {verdict} the {BUDGET_SECONDS:.0f} s budget")
    return _warm(experiments, args, tmp, total)


def _warm(experiments, args, tmp, total) -> int:
    """Second pass: every experiment again; nothing may be recomputed."""
    start = time.perf_counter()
    again = sum(len(experiments.compute(experiments.runs_of(n), jobs=args.jobs))
                for n in experiments.EXPERIMENTS)
    print(f"{'second pass (warm)':<28} {'':>4} {again:>8} {time.perf_counter() - start:>8.1f}")
    if tmp is not None:
        tmp.cleanup()
    return 0 if (again == 0 and total <= BUDGET_SECONDS) else 1


if __name__ == "__main__":
    sys.exit(main())
