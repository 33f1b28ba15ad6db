"""From raw measurements to rows, goals, a plain-text table and a JSON document.

Definitions (all CPU times are user + system of every thread of the process):
- eval: the program's evaluation alone (`measure`), imports excluded;
- per resource: eval CPU / registered resources (components included, the stack not);
- ratio: project eval / baseline eval, taken per repeat on neighbouring runs, median;
- command: the whole `hybrid preview --json` process (imports, policies, JSON printed);
  cmd/base is its CPU over the baseline's eval, per repeat, median;
- KB/res: (peak RSS - peak RSS of the 1-service app) / (resources - its resources);
- floor: the same count of trivial resources, run right after the project's evaluation
  (the median of three runs);
  x floor is the project's eval over that floor's, per repeat, median;
- linear: the project's per-resource growth from N=100 to N=1000 at most the floor's own
  growth plus 10 points. Decided by executed instructions (`instructions`): one run's CPU
  per resource varies by about a tenth either way on this machine, even between
  neighbours, as much as the slack. The CPU figure is still shown, for information,
  measured pair by pair: the growth of "x floor" (a project costing (1 + g) per resource
  where the floor costs (1 + f) has grown (1 + g) / (1 + f) - 1 beyond it, which is g - f
  to first order).
"""

from __future__ import annotations

import math
import os
import platform
import subprocess
from importlib import metadata
from pathlib import Path
from typing import Any

from .runner import ROOT, Series, median

EVAL_RATIO_GOAL = 1.15
COMMAND_RATIO_GOAL = 1.3
LINEAR_SLACK = 0.10
KB_PER_RESOURCE_GOAL = 200
DEV_STACK_CPU_GOAL = 0.7
LINEAR_DECIDED_BY = "linear is decided by instructions: python -m benchmarks.instructions"


def _med(runs: list[dict[str, Any]], key: str) -> float:
    return median(r[key] for r in runs)


def _per_resource_kb(runs: list[dict[str, Any]], base: list[dict[str, Any]]) -> float:
    if not runs or not base:
        return math.nan
    extra = _med(runs, "resources") - _med(base, "resources")
    return (_med(runs, "maxrss_kb") - _med(base, "maxrss_kb")) / extra if extra > 0 else math.nan


def _pairwise(numerators: list[dict[str, Any]], key: str, denominators: list[dict[str, Any]]) -> float:
    pairs = zip(numerators, denominators, strict=False)
    return median(a[key] / b["eval_cpu"] for a, b in pairs if b["eval_cpu"] > 0)


def build_rows(series: Series, ns: list[int], targets: list[str]) -> list[dict[str, Any]]:
    """One row per target and N with every derived figure."""
    rows = []
    for target in targets:
        for n in ns:
            project = series.of("project", target, n)
            if not project:
                continue
            baseline = series.of("baseline", target, n)
            command = series.of("command", target, n)
            floor = series.of("floor", target, n)
            resources = int(_med(project, "resources"))
            row: dict[str, Any] = {
                "target": target,
                "n": n,
                "resources": resources,
                "custom": int(_med(project, "custom")),
                "eval_cpu": _med(project, "eval_cpu"),
                "eval_cpu_min": min(r["eval_cpu"] for r in project),
                "eval_wall": _med(project, "eval_wall"),
                "imports_cpu": _med(project, "setup_cpu"),
                "us_per_resource": 1e6 * _med(project, "eval_cpu") / resources,
                "kb_per_resource": _per_resource_kb(project, series.of("project", target, 1)),
                "critical_path": project[0]["critical_path"],
                "critical_chain": project[0]["chain"],
                "baseline": None,
                "command": None,
                "floor_us_per_resource": 1e6 * _med(floor, "eval_cpu") / _med(floor, "resources")
                if floor
                else math.nan,
                "to_floor": _pairwise(project, "eval_cpu", floor) if floor else math.nan,
            }
            if baseline:
                row["baseline"] = {
                    "resources": int(_med(baseline, "resources")),
                    "eval_cpu": _med(baseline, "eval_cpu"),
                    "us_per_resource": 1e6 * _med(baseline, "eval_cpu") / _med(baseline, "resources"),
                    "kb_per_resource": _per_resource_kb(baseline, series.of("baseline", target, 1)),
                    "critical_path": baseline[0]["critical_path"],
                    "ratio": _pairwise(project, "eval_cpu", baseline),
                }
            if command:
                row["command"] = {
                    "cpu": _med(command, "cpu"),
                    "wall": _med(command, "wall"),
                    "exit": command[0]["exit"],
                    "resources": command[0]["resources"],
                    "kb_per_resource": _per_resource_kb(command, series.of("command", target, 1)),
                    "ratio_to_baseline_eval": _pairwise(command, "cpu", baseline) if baseline else math.nan,
                }
            rows.append(row)
    return rows


def _row(rows: list[dict[str, Any]], target: str, n: int) -> dict[str, Any] | None:
    return next((r for r in rows if r["target"] == target and r["n"] == n), None)


def goal(name: str, measured: float, limit: float, unit: str = "") -> dict[str, Any]:
    """One goal line: what was measured against its limit, and whether it is met."""
    met = not math.isnan(measured) and measured <= limit
    return {"goal": name, "measured": measured, "limit": limit, "unit": unit, "met": met}


def for_information(name: str, measured: float, limit: float, decided_by: str) -> dict[str, Any]:
    """A figure shown next to a goal that another measurement decides (`met` is None)."""
    return {**goal(name, measured, limit), "met": None, "decided_by": decided_by}


def build_goals(rows: list[dict[str, Any]], dev: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The product's speed goals, for every measured case they apply to."""
    goals = []
    for target in ("docker", "kubernetes"):
        for n in (10, 500):
            row = _row(rows, target, n)
            if row and row["baseline"]:
                goals.append(
                    goal(
                        f"{target} N={n}: eval / hand-written", row["baseline"]["ratio"], EVAL_RATIO_GOAL, "x"
                    )
                )
        row = _row(rows, target, 500)
        if row and row["command"] and row["baseline"]:
            measured = row["command"]["ratio_to_baseline_eval"]
            goals.append(
                goal(f"{target} N=500: preview --json / hand-written eval", measured, COMMAND_RATIO_GOAL, "x")
            )
    for target in sorted({r["target"] for r in rows}):
        small, large = _row(rows, target, 100), _row(rows, target, 1000)
        if small and large:
            growth = large["us_per_resource"] / small["us_per_resource"] - 1
            floor_growth = large["floor_us_per_resource"] / small["floor_us_per_resource"] - 1
            beyond = large["to_floor"] / small["to_floor"] - 1
            name = (
                f"{target}: CPU per resource, growth 100->1000 beyond the floor's, pair by pair"
                f" (medians: project {growth:+.0%}, floor {floor_growth:+.0%})"
            )
            goals.append(for_information(name, beyond, LINEAR_SLACK, LINEAR_DECIDED_BY))
        if large:
            name = f"{target} N=1000: peak memory per resource"
            goals.append(goal(f"{name}, evaluation", large["kb_per_resource"], KB_PER_RESOURCE_GOAL, "KB"))
            if large["command"]:
                measured = large["command"]["kb_per_resource"]
                goals.append(goal(f"{name}, preview --json", measured, KB_PER_RESOURCE_GOAL, "KB"))
    if dev:
        floor = median(r["sdk_import_cpu"] for r in dev)
        name = f"dev stack: hybrid preview dev (importing pulumi and pulumi_docker alone: {floor:.2f} s)"
        goals.append(goal(name, median(r["cpu"] for r in dev), DEV_STACK_CPU_GOAL, "s cpu"))
    return goals


def _fmt(value: float | None, spec: str) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "-"
    return format(value, spec)


TABLE_COLUMNS = (
    ("target", 10), ("N", 5), ("res", 6), ("eval s", 7), ("base s", 7), ("ratio", 6), ("us/res", 7),
    ("base us", 7), ("floor us", 8), ("x floor", 7), ("cmd s", 7), ("cmd/base", 8), ("KB/res", 7),
    ("cmd KB", 7), ("crit", 4),
)  # fmt: skip


def table(rows: list[dict[str, Any]]) -> str:
    """The rows as a plain-text table."""
    lines = ["  ".join(f"{title:>{width}}" for title, width in TABLE_COLUMNS)]
    for r in rows:
        base, command = r["baseline"] or {}, r["command"] or {}
        cells = [r["target"], str(r["n"]), str(r["resources"]), _fmt(r["eval_cpu"], ".3f")]
        cells += [_fmt(base.get("eval_cpu"), ".3f"), _fmt(base.get("ratio"), ".2f")]
        cells += [_fmt(r["us_per_resource"], ".0f"), _fmt(base.get("us_per_resource"), ".0f")]
        cells += [
            _fmt(r["floor_us_per_resource"], ".0f"),
            _fmt(r["to_floor"], ".2f"),
            _fmt(command.get("cpu"), ".3f"),
        ]
        cells += [_fmt(command.get("ratio_to_baseline_eval"), ".2f"), _fmt(r["kb_per_resource"], ".0f")]
        cells += [_fmt(command.get("kb_per_resource"), ".0f"), str(r["critical_path"])]
        lines.append(
            "  ".join(f"{cell:>{width}}" for cell, (_, width) in zip(cells, TABLE_COLUMNS, strict=True))
        )
    return "\n".join(lines)


def goals_table(goals: list[dict[str, Any]]) -> str:
    """The goals, what was measured and whether it is met."""
    lines = []
    for g in goals:
        measured = f"{g['measured']:+.1%}" if g["unit"] == "" else f"{_fmt(g['measured'], '.2f')} {g['unit']}"
        limit = f"{g['limit']:+.0%}" if g["unit"] == "" else f"{g['limit']:g} {g['unit']}"
        if g["met"] is None:
            lines.append(f"info  {g['goal']}: {measured} ({g['decided_by']})")
        else:
            lines.append(f"{'met ' if g['met'] else 'MISS'}  {g['goal']}: {measured} (goal <= {limit})")
    return "\n".join(lines)


def machine() -> dict[str, Any]:
    """What the numbers were measured on."""
    cpuinfo = Path("/proc/cpuinfo").read_text().splitlines()
    cpu = next((line.split(":", 1)[1].strip() for line in cpuinfo if line.startswith("model name")), "")
    meminfo = Path("/proc/meminfo").read_text().splitlines()
    memory_kb = next((int(line.split()[1]) for line in meminfo if line.startswith("MemTotal")), 0)
    commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True)
    return {
        "cpu": cpu,
        "cores": os.cpu_count(),
        "memory_gib": round(memory_kb / 2**20, 1),
        "os": platform.platform(),
        "python": platform.python_version(),
        "pulumi": metadata.version("pulumi"),
        "commit": commit.stdout.strip(),
    }


def document(
    series: Series,
    rows: list[dict[str, Any]],
    goals: list[dict[str, Any]],
    dev: list[dict[str, Any]],
    options: dict[str, Any],
) -> dict[str, Any]:
    """The JSON report: machine, options, rows, goals, the dev stack and every raw measurement."""
    return {
        "machine": machine(),
        "options": options,
        "rows": rows,
        "goals": goals,
        "dev_stack": dev,
        "measurements": series.measurements,
    }
