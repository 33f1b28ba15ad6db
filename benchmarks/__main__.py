"""`python -m benchmarks`: measure the project against hand-written programs and the SDK floor.

    uv run python -m benchmarks --n 10,100,500,1000 --repeat 3 --json out.json
    uv run python -m benchmarks --smoke        # N=10, every target, once: must just finish

Prints progress on stderr, then the table and the goals; exits 1 when a measured process
fails (never on a missed goal: speed is reported, not asserted)."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from .arguments import jsonable, sizes, targets_arg
from .report import build_goals, build_rows, document, goals_table, table
from .runner import FLOOR_RUNS, SMALL_REPEAT_FACTOR, TARGETS, MeasurementError, run_series, runner_rss_kb


def main(argv: list[str] | None = None) -> int:
    """Run the benchmarks; the exit code."""
    parser = argparse.ArgumentParser(prog="python -m benchmarks", description=__doc__.splitlines()[0])
    parser.add_argument(
        "--n", type=sizes, default=[10, 100, 500, 1000], help="service counts (default 10,100,500,1000)"
    )
    parser.add_argument("--targets", type=targets_arg, default=list(TARGETS), help="default: all")
    parser.add_argument(
        "--repeat", type=int, default=1, help="runs of each measurement, 3x up to N=100 (medians reported)"
    )
    parser.add_argument(
        "--json", type=Path, dest="json_path", help="write every figure and raw measurement here"
    )
    parser.add_argument(
        "--smoke", action="store_true", help="N=10, every target, one run: checks it all still works"
    )
    parser.add_argument("--no-dev-stack", action="store_true", help="skip timing `hybrid preview dev`")
    args = parser.parse_args(argv)
    if args.repeat < 1:
        parser.error("--repeat must be at least 1")
    if args.smoke:
        args.n, args.targets, args.repeat = [10], list(TARGETS), 1

    def progress(line: str) -> None:
        print(line, file=sys.stderr, flush=True)

    try:
        series, dev = run_series(
            args.n,
            args.targets,
            args.repeat,
            progress,
            dev_stack=not args.no_dev_stack,
            small_factor=1 if args.smoke else SMALL_REPEAT_FACTOR,
            floor_runs=1 if args.smoke else FLOOR_RUNS,
        )
    except MeasurementError as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    rows = build_rows(series, args.n, args.targets)
    goals = build_goals(rows, dev)
    print(table(rows))
    print()
    print(goals_table(goals))
    floor_kb = runner_rss_kb()
    clamped = [m for m in series.measurements if m.get("maxrss_kb", floor_kb + 1) <= floor_kb]
    if clamped:
        print(
            f"\nwarning: {len(clamped)} processes report the runner's own peak RSS ({floor_kb} KB): not exact"
        )
    if args.json_path:
        options = {"n": args.n, "targets": args.targets, "repeat": args.repeat, "smoke": args.smoke}
        options["runner_maxrss_kb"] = floor_kb
        report = jsonable(document(series, rows, goals, dev, options))
        args.json_path.write_text(json.dumps(report, indent=2) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
