"""The hand-written baselines make the same resources as the project, so the ratio compares
like with like: the same types in the same numbers, with the same input fields."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable

import pytest

from benchmarks.baselines import BASELINES, floor
from benchmarks.harness import run_program
from benchmarks.runner import BASELINE_TARGETS
from benchmarks.specgen import generate_spec, write_workdir
from components.offline.recorder import RecordedResource
from components.offline.runner import PreviewResult, run_preview, stack_config
from components.offline.stackfile import StackConfig

Pair = tuple[PreviewResult, PreviewResult]
_previews: dict[tuple[str, int, int | None], Pair] = {}


@pytest.fixture
def both(tmp_path_factory: pytest.TempPathFactory) -> Callable[[str, int, int | None], Pair]:
    """(project, baseline) previews of one generated spec, run once per session."""

    def run(target: str, n: int, depth: int | None) -> Pair:
        key = (target, n, depth)
        if key not in _previews:
            directory = tmp_path_factory.mktemp(f"{target}-{n}")
            workdir = write_workdir(directory, generate_spec(n, depth=depth), target)
            project = run_preview(directory, workdir.stack)
            config = stack_config(directory, workdir.stack, None, None)
            baseline = run_program(lambda: BASELINES[target](directory), workdir.stack, config)
            _previews[key] = (project, baseline)
        return _previews[key]

    return run


def _custom(result: PreviewResult) -> list[RecordedResource]:
    return [r for r in result.resources if r.custom]


@pytest.mark.parametrize("target", sorted(BASELINES))
@pytest.mark.parametrize(("n", "depth"), [(12, None), (30, 3)])
def test_baseline_makes_the_same_resource_types_in_the_same_numbers(
    both: Callable[[str, int, int | None], Pair], target: str, n: int, depth: int | None
) -> None:
    project, baseline = both(target, n, depth)
    assert Counter(r.type for r in _custom(baseline)) == Counter(r.type for r in _custom(project))
    assert len(_custom(project)) > 3 * n  # the spec is not trivial


@pytest.mark.parametrize("target", sorted(BASELINES))
def test_baseline_sets_the_same_input_fields(
    both: Callable[[str, int, int | None], Pair], target: str
) -> None:
    project, baseline = both(target, 12, None)

    def shapes(result: PreviewResult) -> Counter[tuple[str, tuple[str, ...]]]:
        return Counter((r.type, tuple(sorted(r.inputs))) for r in _custom(result))

    assert shapes(baseline) == shapes(project)


@pytest.mark.parametrize("target", sorted(BASELINES))
def test_baseline_waits_for_as_many_resources(
    both: Callable[[str, int, int | None], Pair], target: str
) -> None:
    project, baseline = both(target, 12, None)

    def waits(result: PreviewResult) -> Counter[tuple[str, int]]:
        return Counter((r.type, len(r.depends_on)) for r in _custom(result))

    assert waits(baseline) == waits(project)


def test_floor_makes_exactly_the_resources_asked_for() -> None:
    result = run_program(lambda: floor.program(25), "bench", StackConfig({}, set()))
    assert Counter(r.type for r in result.resources) == {floor.TYPE: 25}


def test_the_runner_knows_which_targets_have_a_baseline() -> None:
    assert sorted(BASELINE_TARGETS) == sorted(BASELINES)
