"""The collector tuning of a run: tuned inside, restored after, and nesting changes neither."""

from __future__ import annotations

import gc

from components.offline.collector import OLD_THRESHOLD, YOUNG_THRESHOLD, collections_tuned


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
