"""The runner's aggregation of repeated processes."""

from __future__ import annotations

from typing import Any

import pytest

from benchmarks import runner


def test_a_floor_is_the_run_of_median_cpu_and_keeps_every_run(monkeypatch: pytest.MonkeyPatch) -> None:
    taken = iter([0.9, 0.7, 0.8])
    calls: list[list[str]] = []

    def fake_measure(args: list[str]) -> dict[str, Any]:
        calls.append(args)
        cpu = next(taken)
        return {"eval_cpu": cpu, "maxrss_kb": int(cpu * 1000), "resources": 40}

    monkeypatch.setattr(runner, "_run_measure", fake_measure)
    floor = runner.measure_floor(40, runs=3)
    assert calls == [["floor", "--count", "40"]] * 3
    assert (floor["eval_cpu"], floor["maxrss_kb"]) == (0.8, 800)
    assert floor["eval_cpu_runs"] == [0.9, 0.7, 0.8]
