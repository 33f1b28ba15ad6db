"""Where the project's time and memory go at one N: `python -m benchmarks.profile`.

    uv run python -m benchmarks.profile --target docker --n 500            # CPU (cProfile)
    uv run python -m benchmarks.profile --target vm --n 1000 --memory      # allocations (tracemalloc)
    uv run python -m benchmarks.profile --target docker --n 500 --whole    # + policies and --json output

CPU: the time of each package (own time of its functions), then the project's functions
by cumulative time, then every function by own time. Memory: the live allocations right
after the evaluation (the graph still held), by line, the project's lines first. The
evaluation is run as `measure` runs it (imports and SDK modules loaded beforehand).
"""

from __future__ import annotations

import argparse
import cProfile
import importlib
import os
import pstats
import sys
import tempfile
import tracemalloc
from collections import defaultdict
from pathlib import Path
from typing import Any

from .measure import load_sdk
from .runner import ROOT, TARGETS
from .specgen import generate_spec, write_workdir

PROJECT_DIRS = ("components", "policies")


def owner(filename: str) -> str:
    """The package a source file belongs to (`components`, `pulumi`, `asyncio`, ...)."""
    path = Path(filename)
    if path.is_relative_to(ROOT) and path.relative_to(ROOT).parts[0] in PROJECT_DIRS:
        return "/".join(path.relative_to(ROOT).parts[:2]).removesuffix(".py")
    parts = path.parts
    if "site-packages" in parts:
        return parts[parts.index("site-packages") + 1].removesuffix(".py")
    if filename.startswith("<") or not parts:
        return "builtins"
    return "stdlib:" + (parts[-2] if parts[-1] == "__init__.py" else path.stem)


def _evaluate(directory: Path, whole: bool) -> Any:
    from components.offline.runner import run_preview

    result = run_preview(directory, "bench")
    if whole:  # as `hybrid preview --json` does after the evaluation
        from components.offline.document import as_json, dumps
        from components.offline.policy_check import check_policies

        report = check_policies(result, config_file=None, stack_given=True)
        with open(os.devnull, "w") as sink:
            sink.write(dumps(as_json(result, report)))
    return result


def _short(filename: str, line: int, name: str) -> str:
    path = Path(filename)
    where = str(path.relative_to(ROOT)) if path.is_relative_to(ROOT) else owner(filename) + ":" + path.name
    return f"{where}:{line}({name})"


def profile_cpu(directory: Path, whole: bool, top: int) -> str:
    """The CPU profile as text."""
    profiler = cProfile.Profile()
    profiler.enable()
    _evaluate(directory, whole)
    profiler.disable()
    stats = pstats.Stats(profiler)
    raw: dict[tuple[str, int, str], tuple[int, int, float, float, Any]] = stats.stats  # type: ignore[attr-defined]
    total = sum(entry[2] for entry in raw.values())
    by_owner: dict[str, float] = defaultdict(float)
    for (filename, _, _), (_, _, own, _, _) in raw.items():
        by_owner[owner(filename)] += own
    lines = [
        f"total own time {total:.2f} s (under cProfile, which slows calls down about 2x)",
        "",
        "by package:",
    ]
    for name, seconds in sorted(by_owner.items(), key=lambda item: -item[1])[:top]:
        lines.append(f"  {seconds:7.2f} s {seconds / total:6.1%}  {name}")
    project = [(key, entry) for key, entry in raw.items() if owner(key[0]).split("/")[0] in PROJECT_DIRS]
    lines += ["", "project functions by cumulative time:"]
    for (filename, line, name), (calls, _, own, cumulative, _) in sorted(project, key=lambda kv: -kv[1][3])[
        :top
    ]:
        lines.append(
            f"  {cumulative:7.2f} s cum {own:6.2f} s own {calls:8d} calls  {_short(filename, line, name)}"
        )
    lines += ["", "all functions by own time:"]
    for (filename, line, name), (calls, _, own, cumulative, _) in sorted(
        raw.items(), key=lambda kv: -kv[1][2]
    )[:top]:
        lines.append(
            f"  {own:7.2f} s own {cumulative:6.2f} s cum {calls:8d} calls  {_short(filename, line, name)}"
        )
    return "\n".join(lines)


def _memory_lines(snapshot: tracemalloc.Snapshot, resources: int, top: int) -> list[str]:
    stats = snapshot.statistics("lineno")
    live = sum(s.size for s in stats)
    lines = [f"  traced {live / 2**20:.1f} MiB ({live / resources / 1024:.0f} KB/resource)", "  by package:"]
    by_owner: dict[str, int] = defaultdict(int)
    for stat in stats:
        by_owner[owner(stat.traceback[0].filename)] += stat.size
    for name, size in sorted(by_owner.items(), key=lambda item: -item[1])[:top]:
        lines.append(f"    {size / 2**20:8.1f} MiB {size / live:6.1%}  {name}")
    lines.append("  by the innermost project frame of the allocation's stack:")
    by_project_line: dict[str, int] = defaultdict(int)
    for stat in snapshot.statistics("traceback"):
        frame = next((f for f in stat.traceback if owner(f.filename).split("/")[0] in PROJECT_DIRS), None)
        where = _short(frame.filename, frame.lineno, "") if frame else "(no project frame)"
        by_project_line[where] += stat.size
    for where, size in sorted(by_project_line.items(), key=lambda item: -item[1])[:top]:
        lines.append(f"    {size / 2**20:8.1f} MiB  {where}")
    lines.append("  top lines:")
    for stat in stats[:top]:
        where = _short(stat.traceback[0].filename, stat.traceback[0].lineno, "")
        lines.append(f"    {stat.size / 2**20:8.1f} MiB {stat.count:8d} blocks  {where}")
    return lines


def profile_memory(directory: Path, whole: bool, top: int) -> str:
    """Allocations when the program has registered everything (the SDK's objects still held;
    near the peak) and after the run (what the preview keeps), as text."""
    from components.offline import runner

    snapshots: list[tracemalloc.Snapshot] = []
    stack_outputs = runner._stack_outputs

    def snapshot_then_outputs() -> dict[str, Any]:
        snapshots.append(tracemalloc.take_snapshot())
        return stack_outputs()

    runner._stack_outputs = snapshot_then_outputs
    tracemalloc.start(4)
    try:
        result = _evaluate(directory, whole)
        after = tracemalloc.take_snapshot()
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
        runner._stack_outputs = stack_outputs
    resources = len(result.resources)
    per_resource = peak / resources / 1024
    lines = [f"{resources} resources; traced peak {peak / 2**20:.1f} MiB ({per_resource:.0f} KB/resource)"]
    lines += ["", "when every resource is registered:", *_memory_lines(snapshots[0], resources, top)]
    lines += ["", "after the run:", *_memory_lines(after, resources, top)]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> None:
    """Command line: see the module docstring."""
    parser = argparse.ArgumentParser(prog="python -m benchmarks.profile")
    parser.add_argument("--target", choices=TARGETS, default="docker")
    parser.add_argument("--n", type=int, default=500)
    parser.add_argument("--depth", type=int, help="fixed dependency depth (default: the realistic variant)")
    parser.add_argument("--memory", action="store_true", help="tracemalloc instead of cProfile")
    parser.add_argument("--whole", action="store_true", help="also the policy check and the --json output")
    parser.add_argument("--top", type=int, default=30)
    args = parser.parse_args(argv)
    from components.targets import module_path

    importlib.import_module(module_path(args.target, "component"))
    load_sdk(args.target)
    with tempfile.TemporaryDirectory(prefix="hybrid-profile-") as scratch:
        workdir = write_workdir(Path(scratch), generate_spec(args.n, depth=args.depth), args.target)
        run = profile_memory if args.memory else profile_cpu
        text = run(workdir.directory, args.whole, args.top)
    sys.stdout.write(f"{args.target} N={args.n}{' (whole command)' if args.whole else ''}\n{text}\n")


if __name__ == "__main__":
    main()
