"""Python's cyclic garbage collector, tuned while a program runs under the mock runtime.

A run allocates a large graph of futures, Outputs and protobuf messages once and keeps most
of it to the end. With the default thresholds the collector runs every 700 allocations and
its full collections walk every object the process holds, the SDK's modules included: half
the CPU of a 500-service evaluation. During a run, the objects that existed before it are
set aside (`gc.freeze`), young collections run ten times less often and full ones (which
walk the whole growing graph to find little garbage: a quarter of a 1,000-service run)
only after ten times as many middle ones; all is undone afterwards, so a process that runs
many previews (the tests) collects as before. The `hybrid` command keeps it tuned for the
whole command: its rendering walks the graph too.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager

YOUNG_THRESHOLD = 7000  # allocations between young collections (Python's default: 700)
OLD_THRESHOLD = 100  # middle collections between full ones (Python's default: 10)


_running: list[None] = []  # one entry per body running


@contextmanager
def collections_tuned() -> Iterator[None]:
    """Run the body with the collector tuned as the module docstring says. Inside a body
    already tuned it only sets aside what exists by then; the outermost one restores the
    collector."""
    outermost, thresholds = not _running, gc.get_threshold()
    gc.freeze()
    if outermost:
        gc.set_threshold(YOUNG_THRESHOLD, thresholds[1], OLD_THRESHOLD)
    _running.append(None)
    try:
        yield
    finally:
        _running.pop()
        if outermost:
            gc.set_threshold(*thresholds)
            gc.unfreeze()
