"""The collector tuning of a run: tuned inside, restored after, nesting changes neither, and
a large run does not walk its whole graph."""

from __future__ import annotations

import gc
from pathlib import Path

from benchmarks.specgen import generate_spec, write_workdir
from components.offline.collector import OLD_THRESHOLD, YOUNG_THRESHOLD, collections_tuned
from components.offline.runner import run_preview


def test_the_collector_is_tuned_inside_and_restored_after_nested_use() -> None:
    before = gc.get_threshold()
    with collections_tuned():
        assert gc.get_threshold() == (YOUNG_THRESHOLD, before[1], OLD_THRESHOLD)
        with collections_tuned():
            assert gc.get_threshold()[0] == YOUNG_THRESHOLD
            assert gc.get_freeze_count() > 0
        # The inner body ended: the outer one is still tuned.
        assert gc.get_threshold()[0] == YOUNG_THRESHOLD
        assert gc.get_freeze_count() > 0
    assert gc.get_threshold() == before
    assert gc.get_freeze_count() == 0


def test_a_500_service_run_never_walks_its_whole_graph(tmp_path: Path) -> None:
    """A full collection walks every object the run holds, to find little garbage: the graph
    is kept to the end. With Python's default (one full per ten middle collections) a
    1,000-service run made five of them over its growing graph, a quarter of its CPU."""
    workdir = write_workdir(tmp_path, generate_spec(500), "docker")
    full: list[int] = []

    def on_collection(phase: str, info: dict[str, int]) -> None:
        if phase == "start" and info["generation"] == 2:
            full.append(info["generation"])

    gc.callbacks.append(on_collection)
    try:
        result = run_preview(tmp_path, workdir.stack)
    finally:
        gc.callbacks.remove(on_collection)
    assert len(result.resources) > 1500  # large enough to have made several before
    assert full == []
