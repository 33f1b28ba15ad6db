"""Executed instructions per resource, counted by callgrind: `python -m benchmarks.instructions`.

    uv run python -m benchmarks.instructions                       # N=100 and 1000, every target
    uv run python -m benchmarks.instructions --n 100,1000 --targets docker --json out.json

Decides the linear goal where CPU time cannot: on this machine one run's CPU per resource
varies by about a tenth either way, even between neighbours, as much as the goal's slack,
while the instructions a run executes are the same on every run (the hash seed fixed).
Each count is one `benchmarks.measure` process under `valgrind --tool=callgrind`, dumped on
entering and leaving the evaluation (`measure` runs it through `sys.call_tracing`, which
nothing else calls), so it is the evaluation alone, every thread's, imports excluded, as
the CPU figures are. Per resource: the evaluation's instructions over the resources it
registered; the floor is as many trivial resources, counted the same way. Linear: the
project's per-resource growth from the smallest to the largest N at most the floor's own
growth plus 10 points (`report.LINEAR_SLACK`). Under callgrind a run is about 40 times
slower, so processes run on every core at once (their counts do not depend on the load):
about half an hour for every target at 100 and 1000 services on 2 cores.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import sys
import tempfile
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

from .arguments import jsonable, sizes, targets_arg
from .report import LINEAR_SLACK, goal, goals_table, machine
from .runner import TARGETS, MeasurementError, run_measure
from .specgen import STACK, generate_spec, write_workdir

CALLGRIND = (
    "valgrind",
    "--tool=callgrind",
    "--dump-before=sys_call_tracing",
    "--dump-after=sys_call_tracing",
)
TIMEOUT = 4 * 3600


def count(args: list[str], scratch: Path) -> dict[str, Any]:
    """One `benchmarks.measure` process under callgrind: what it printed, plus the
    evaluation's instructions (`instructions`)."""
    out = Path(tempfile.mkstemp(prefix="callgrind-", suffix=".out", dir=scratch)[1])
    pinned = {**os.environ, "PYTHONHASHSEED": "0"}
    result = run_measure(args, (*CALLGRIND, f"--callgrind-out-file={out}"), pinned, TIMEOUT)
    # Dump 1 is everything before the evaluation, dump 2 the evaluation, the file itself the rest.
    evaluation = Path(f"{out}.2").read_text().splitlines()
    totals = next((line for line in evaluation if line.startswith("totals:")), None)
    if totals is None:
        raise MeasurementError(f"callgrind measure {' '.join(args)}: no evaluation was counted")
    return {**result, "instructions": int(totals.split()[1])}


def run_counts(
    ns: list[int], targets: list[str], progress: Callable[[str], None], workers: int
) -> list[dict[str, Any]]:
    """The project at every N and target, then the floor at each resource count it made."""
    with (
        tempfile.TemporaryDirectory(prefix="hybrid-instructions-") as scratch,
        ThreadPoolExecutor(workers) as pool,
    ):
        root = Path(scratch)

        def project(target: str, n: int) -> dict[str, Any]:
            workdir = write_workdir(root / f"{target}-{n}", generate_spec(n), target, STACK)
            found = count(["project", "--dir", str(workdir.directory), "--target", target], root)
            progress(f"project {target:<10} N={n:<5} {found['instructions']:>15,} instructions")
            return {**found, "n": n}

        def floor(resources: int) -> dict[str, Any]:
            found = count(["floor", "--count", str(resources)], root)
            progress(f"floor   {resources:>5} resources  {found['instructions']:>15,} instructions")
            return found

        projects = list(pool.map(lambda case: project(*case), [(t, n) for t in targets for n in ns]))
        counts = sorted({p["resources"] for p in projects})
        floors = dict(zip(counts, pool.map(floor, counts), strict=True))
    return [{**p, "floor_instructions": floors[p["resources"]]["instructions"]} for p in projects]


def build_rows(counts: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """One row per target and N: instructions per resource, the floor's, their ratio."""
    rows = []
    for c in counts:
        per_resource = c["instructions"] / c["resources"]
        floor_per_resource = c["floor_instructions"] / c["resources"]
        rows.append(
            {
                "target": c["target"],
                "n": c["n"],
                "resources": c["resources"],
                "instructions": c["instructions"],
                "per_resource": per_resource,
                "floor_per_resource": floor_per_resource,
                "to_floor": per_resource / floor_per_resource,
            }
        )
    return rows


def build_goals(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Per target: growth of instructions per resource from the smallest to the largest N,
    beyond the floor's own growth."""
    goals = []
    for target in TARGETS:
        mine = sorted((r for r in rows if r["target"] == target), key=lambda r: r["n"])
        if len(mine) < 2:
            continue
        small, large = mine[0], mine[-1]
        growth = large["per_resource"] / small["per_resource"] - 1
        floor_growth = large["floor_per_resource"] / small["floor_per_resource"] - 1
        name = (
            f"{target}: instructions per resource, growth {small['n']}->{large['n']} beyond the floor's"
            f" (project {growth:+.1%}, floor {floor_growth:+.1%})"
        )
        goals.append(goal(name, large["to_floor"] / small["to_floor"] - 1, LINEAR_SLACK))
    return goals


def table(rows: list[dict[str, Any]]) -> str:
    """The rows as plain text; instructions in millions."""
    lines = [
        f"{'target':>10}  {'N':>5}  {'res':>6}  {'M instr':>9}  {'M/res':>6}  {'floor M/res':>11}  x floor"
    ]
    for r in rows:
        lines.append(
            f"{r['target']:>10}  {r['n']:>5}  {r['resources']:>6}  {r['instructions'] / 1e6:>9.0f}  "
            f"{r['per_resource'] / 1e6:>6.3f}  {r['floor_per_resource'] / 1e6:>11.3f}  {r['to_floor']:>7.3f}"
        )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    """Count, print the table and the linear goals; the exit code (1: a process failed)."""
    parser = argparse.ArgumentParser(
        prog="python -m benchmarks.instructions", description=__doc__.splitlines()[0]
    )
    parser.add_argument("--n", type=sizes, default=[100, 1000], help="service counts (default 100,1000)")
    parser.add_argument("--targets", type=targets_arg, default=list(TARGETS), help="default: all")
    parser.add_argument("--json", type=Path, dest="json_path", help="write every figure here")
    args = parser.parse_args(argv)
    if shutil.which("valgrind") is None:
        print("error: valgrind is not installed (Debian: apt-get install valgrind)", file=sys.stderr)
        return 1

    def progress(line: str) -> None:
        print(line, file=sys.stderr, flush=True)

    try:
        counts = run_counts(args.n, args.targets, progress, os.cpu_count() or 1)
    except MeasurementError as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    rows = sorted(build_rows(counts), key=lambda r: (TARGETS.index(r["target"]), r["n"]))
    goals = build_goals(rows)
    print(table(rows))
    print()
    print(goals_table(goals))
    if args.json_path:
        document = {"machine": machine(), "options": vars(args) | {"json_path": str(args.json_path)}}
        args.json_path.write_text(json.dumps(jsonable({**document, "rows": rows, "goals": goals}), indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
