"""`vgp experiment list` and `vgp experiment run NAME [--seed N]`.

`run` computes the runs of the experiment that are not cached yet, one after another, with a
progress bar on stderr (steps done, current loss, ETA), then prints a summary table on stdout.
`NAME` may be `all`. Cached runs are read from disk and cost nothing.
"""

from __future__ import annotations

import sys
import time
from dataclasses import replace

from vgp import experiments
from vgp.summaries import summarise, table


def _list(args) -> int:
    print(f"{'name':<28} {'runs':>4} {'cached':>6}  description")
    for name, exp in experiments.EXPERIMENTS.items():
        cached = sum(experiments.is_cached(c) for c in exp.runs)
        print(f"{name:<28} {len(exp.runs):>4} {cached:>6}  {exp.description}")
    return 0


def _runs(name: str, seed: int | None):
    names = list(experiments.EXPERIMENTS) if name == "all" else [name]
    exps = [experiments.get(n) for n in names]
    out = []
    for exp in exps:
        runs = exp.runs if seed is None else tuple(replace(c, seed=seed) for c in exp.runs)
        out.append((exp, runs))
    return out


def _run(args) -> int:
    from tqdm import tqdm

    if args.seed is not None and args.seed < 0:
        raise ValueError(f"--seed must be >= 0, got {args.seed}")
    plan = _runs(args.name, args.seed)
    todo = {experiments.run_name(c): c for _, runs in plan for c in runs
            if not experiments.is_cached(c)}
    total = sum(c.steps for c in todo.values())
    start = time.perf_counter()
    with tqdm(total=total, unit="step", file=sys.stderr, dynamic_ncols=True,
              disable=args.quiet, desc=f"{len(todo)} runs to compute") as bar:
        for i, cfg in enumerate(todo.values(), 1):
            bar.set_description(f"[{i}/{len(todo)}] {cfg.task} {cfg.cell} delay={cfg.delay}")

            def progress(loss, bar=bar):
                bar.update(1)
                bar.set_postfix(loss=f"{loss:.4f}", refresh=False)

            experiments.run(cfg, progress)
    for exp, runs in plan:
        res = summarise(exp.name, exp.description, [experiments.run(c) for c in runs])
        print(f"\n## {exp.name}: {exp.description}\n")
        print(table(res))
    print(f"\n{len(todo)} runs computed, "
          f"{sum(len(r) for _, r in plan) - len(todo)} read from the cache, "
          f"{time.perf_counter() - start:.1f} s")
    return 0


def add_parser(subparsers) -> None:
    p = subparsers.add_parser("experiment", help="list or run the cached training experiments")
    sub = p.add_subparsers(dest="action", required=True, parser_class=type(p))
    ls = sub.add_parser("list", help="named experiments, their runs and how many are cached")
    ls.set_defaults(func=_list)
    run = sub.add_parser("run", help="run an experiment (or 'all'), reusing cached runs")
    run.add_argument("name", help="experiment name from `vgp experiment list`, or 'all'")
    run.add_argument("--seed", type=int, default=None, help="repeat every run with this seed")
    run.add_argument("--quiet", action="store_true", help="no progress bar")
    run.set_defaults(func=_run)
