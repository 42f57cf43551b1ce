r"""What an experiment's runs add up to: per-run rows, verdicts, timings, tables.

Success is judged against the task's baseline, the loss of the best strategy that does not
remember the long-range information (memoryless for copying, predict-the-mean for adding):

$$ \text{ratio} = \frac{\text{evaluation loss}}{\text{baseline loss}},\qquad
   \text{solved} \iff \text{ratio} \le 0.5 . $$

A ratio near 1 means the model learned nothing the baseline does not already know; "solved"
means at least half of the baseline's loss was removed, on a fresh evaluation batch.
"""

from __future__ import annotations

SOLVED_RATIO = 0.5

ROW_KEYS = ("task", "cell", "delay", "seed", "forget_bias", "hidden", "steps", "batch")


def summarise_run(r: dict) -> dict:
    r"""Flatten one cached run: config fields, baseline, eval numbers, verdict, timings.

    ratio $=$ eval loss $/$ baseline loss; solved iff ratio $\le$ `SOLVED_RATIO`.

    >>> row = summarise_run({"config": {"task": "adding", "cell": "rnn", "delay": 10,
    ...     "seed": 0, "forget_bias": None, "hidden": 8, "steps": 5, "batch": 4},
    ...     "baseline": 0.2, "eval_loss": 0.05, "eval_metric": 0.05,
    ...     "seconds": 1.0, "cpu_seconds": 0.9})
    >>> row["ratio"], row["solved"]
    (0.25, True)
    """
    cfg = r["config"]
    row = {k: cfg[k] for k in ROW_KEYS}
    row.update(baseline=r["baseline"], eval_loss=r["eval_loss"], eval_metric=r["eval_metric"],
               seconds=r["seconds"], cpu_seconds=r["cpu_seconds"])
    row["ratio"] = r["eval_loss"] / r["baseline"]
    row["solved"] = bool(row["ratio"] <= SOLVED_RATIO)
    return row


def summarise(name: str, description: str, runs: list[dict]) -> dict:
    """The result dict of an experiment.

    Keys: name, description, rows (one summarise_run per run), runs (the full cached runs:
    per-step loss/metric/grad_norm, gradient profiles), seconds and cpu_seconds (sums of
    the runs' compute times when they were computed), fails_at (per cell, the delays
    whose run was not solved). For a single-run experiment the row's numbers are also at
    the top level (eval_loss, baseline, ratio, solved, and for copying recall_accuracy and
    chance = 1/K).

    >>> run = {"config": {"task": "copy", "cell": "lstm", "delay": 20, "seed": 0,
    ...     "forget_bias": None, "hidden": 64, "steps": 500, "batch": 32, "alphabet": 8},
    ...     "baseline": 0.4, "eval_loss": 0.1, "eval_metric": 0.9, "seconds": 2.0, "cpu_seconds": 1.5}
    >>> res = summarise("demo", "one copy run", [run])
    >>> res["ratio"], res["solved"], res["chance"], res["fails_at"]
    (0.25, True, 0.125, {'lstm': []})
    """
    rows = [summarise_run(r) for r in runs]
    out = {"name": name, "description": description, "rows": rows, "runs": runs,
           "seconds": sum(r["seconds"] for r in rows),
           "cpu_seconds": sum(r["cpu_seconds"] for r in rows)}
    fails: dict[str, list[int]] = {}
    for row in rows:
        fails.setdefault(row["cell"], [])
        if not row["solved"]:
            fails[row["cell"]].append(row["delay"])
    out["fails_at"] = fails
    if len(rows) == 1:
        row = rows[0]
        out.update({k: row[k] for k in ("eval_loss", "baseline", "ratio", "solved")})
        if row["task"] == "copy":
            out["recall_accuracy"] = row["eval_metric"]
            out["chance"] = 1.0 / runs[0]["config"]["alphabet"]
    return out


def table(result: dict) -> str:
    """A Markdown table of an experiment's rows (the CLI's summary).

    >>> run = {"config": {"task": "copy", "cell": "lstm", "delay": 20, "seed": 0,
    ...     "forget_bias": None, "hidden": 64, "steps": 500, "batch": 32, "alphabet": 8},
    ...     "baseline": 0.4, "eval_loss": 0.1, "eval_metric": 0.9, "seconds": 2.0, "cpu_seconds": 1.5}
    >>> print(table(summarise("demo", "one copy run", [run])))
    | task | cell | delay | eval loss | baseline | ratio | metric | solved | seconds |
    |---|---|---|---|---|---|---|---|---|
    | copy | lstm | 20 | 0.1000 | 0.4000 | 0.250 | 0.900 | yes | 2.0 |
    """
    head = "| task | cell | delay | eval loss | baseline | ratio | metric | solved | seconds |"
    lines = [head, "|" + "---|" * 9]
    for r in result["rows"]:
        lines.append(f"| {r['task']} | {r['cell']} | {r['delay']} | {r['eval_loss']:.4f} | "
                     f"{r['baseline']:.4f} | {r['ratio']:.3f} | {r['eval_metric']:.3f} | "
                     f"{'yes' if r['solved'] else 'no'} | {r['seconds']:.1f} |")
    return "\n".join(lines)


def per_step_factor(norms, skip: int = 5) -> float:
    r"""Average per-step decay (or growth) of a gradient profile: $10^{a}$, with $a$ the slope of a
    least-squares fit of $\log_{10}\lVert \partial L/\partial h_t\rVert \approx a\,(T - t) + b$
    against the distance $T - t$, ignoring the `skip` steps nearest the loss. `norms` is
    indexed by t = 1..T, as recorded by vgp.gradprofile.

    >>> f"{per_step_factor([0.5 ** (30 - t) for t in range(1, 31)]):.4f}"
    '0.5000'
    """
    import numpy as np

    logs = np.log10(np.asarray(norms, dtype=float))[::-1]   # index = distance T - t
    dist = np.arange(len(logs))
    keep = dist >= skip
    if keep.sum() < 2:
        raise ValueError(f"need at least 2 steps beyond skip={skip}, got {len(logs)}")
    slope = np.polyfit(dist[keep], logs[keep], 1)[0]
    return float(10 ** slope)
