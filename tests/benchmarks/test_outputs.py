"""The project makes about as many Outputs as the hand-written program making the same
resources: every Output is a future and callbacks on the event loop, and copies of the
endpoints (one Output per nested value) once made the project's count 1.4 to 1.7 times
the baseline's, growing with the app."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pulumi
import pytest

from benchmarks.baselines import BASELINES
from benchmarks.harness import run_program
from benchmarks.specgen import generate_spec, write_workdir
from components.offline.runner import run_preview, stack_config


@pytest.fixture
def outputs_made(monkeypatch: pytest.MonkeyPatch) -> Iterator[Callable[[Callable[[], object]], int]]:
    """Counts the Outputs a call makes (every Output is made through `Output._from_data`)."""
    made = [0]
    original = pulumi.Output._from_data

    def counted(*args: Any, **kwargs: Any) -> Any:
        made[0] += 1
        return original(*args, **kwargs)

    monkeypatch.setattr(pulumi.Output, "_from_data", staticmethod(counted))

    def count(call: Callable[[], object]) -> int:
        made[0] = 0
        call()
        return made[0]

    yield count


@pytest.mark.parametrize("target", sorted(BASELINES))
def test_the_project_makes_about_as_many_outputs_as_the_hand_written_program(
    outputs_made: Callable[[Callable[[], object]], int], tmp_path: Path, target: str
) -> None:
    workdir = write_workdir(tmp_path, generate_spec(20), target)
    config = stack_config(tmp_path, workdir.stack, None, None)
    project = outputs_made(lambda: run_preview(tmp_path, workdir.stack))
    baseline = outputs_made(lambda: run_program(lambda: BASELINES[target](tmp_path), workdir.stack, config))
    assert baseline > 100  # counted at all
    assert project <= 1.1 * baseline
