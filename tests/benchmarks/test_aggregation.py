"""How the benchmark commands turn processes into figures and goal lines."""

from __future__ import annotations

from typing import Any

import pytest

from benchmarks import instructions, report, runner


def test_a_floor_is_the_run_of_median_cpu_and_keeps_every_run(monkeypatch: pytest.MonkeyPatch) -> None:
    taken = iter([0.9, 0.7, 0.8])
    calls: list[list[str]] = []

    def fake_measure(args: list[str]) -> dict[str, Any]:
        calls.append(args)
        cpu = next(taken)
        return {"eval_cpu": cpu, "maxrss_kb": int(cpu * 1000), "resources": 40}

    monkeypatch.setattr(runner, "run_measure", fake_measure)
    floor = runner.measure_floor(40, runs=3)
    assert calls == [["floor", "--count", "40"]] * 3
    assert (floor["eval_cpu"], floor["maxrss_kb"]) == (0.8, 800)
    assert floor["eval_cpu_runs"] == [0.9, 0.7, 0.8]


def _count(target: str, n: int, resources: int, instructions: int, floor: int) -> dict[str, Any]:
    return {
        "target": target,
        "n": n,
        "resources": resources,
        "instructions": instructions,
        "floor_instructions": floor,
    }


def test_instructions_per_resource_growing_faster_than_the_floors_misses_the_linear_goal() -> None:
    counts = [
        _count("docker", 100, 400, 400 * 18_000_000, 400 * 4_000_000),
        _count("docker", 1000, 4000, 4000 * 22_000_000, 4000 * 4_200_000),  # +22% vs the floor's +5%
        _count("vm", 100, 600, 600 * 10_000_000, 600 * 4_000_000),
        _count("vm", 1000, 6000, 6000 * 10_900_000, 6000 * 4_000_000),  # +9%: within 10 points
    ]
    rows = instructions.build_rows(counts)
    assert [round(r["to_floor"], 3) for r in rows] == [4.5, 5.238, 2.5, 2.725]
    goals = {g["goal"].split(":")[0]: g for g in instructions.build_goals(rows)}
    assert round(goals["docker"]["measured"], 3) == 0.164
    assert not goals["docker"]["met"]
    assert goals["vm"]["met"]


def test_a_figure_for_information_is_neither_met_nor_missed_and_names_what_decides() -> None:
    lines = report.goals_table(
        [
            report.goal("docker N=10: eval / hand-written", 1.2, 1.15, "x"),
            report.for_information("docker: CPU per resource", 0.103, 0.10, "decided by instructions"),
        ]
    ).splitlines()
    assert lines[0].startswith("MISS  docker N=10")
    assert lines[1] == "info  docker: CPU per resource: +10.3% (decided by instructions)"
