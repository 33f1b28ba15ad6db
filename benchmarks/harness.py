"""Any Pulumi program function under the project's mock runtime, exactly as the offline
preview runs the project's own program.

`components.offline.runner._run` hard-wires the project's program; this is the same
sequence (the collector tuned, fresh context, config set, `RecordingMonitor` over `FakeProviders`, a new event
loop, `run_pulumi_func`, the stack outputs, closing the SDK's stray loops) with the
program as a parameter, so a baseline pays for the same mock engine as the project."""

from __future__ import annotations

import asyncio
import contextvars
import logging
from collections.abc import Callable
from typing import Any

from pulumi.runtime import mocks
from pulumi.runtime.config import set_all_config
from pulumi.runtime.stack import run_pulumi_func
from pulumi.runtime.sync_await import _sync_await

from components.offline.collector import collections_tuned
from components.offline.recorder import FakeProviders, RecordingMonitor
from components.offline.runner import PreviewResult, _close_stray_loops, _Collect, _stack_outputs
from components.offline.stackfile import StackConfig
from components.settings import PROJECT


def run_program(program: Callable[[], None], stack: str, config: StackConfig) -> PreviewResult:
    """Run `program` under mocks with `config`; the recorded graph, outputs and warnings."""
    with collections_tuned():
        return contextvars.Context().run(_run, program, stack, config)


def _run(program: Callable[[], None], stack: str, config: StackConfig) -> PreviewResult:
    collect = _Collect()
    logger = logging.getLogger(f"hybrid.benchmarks.{stack}")
    logger.propagate = False
    logger.handlers = [collect]
    set_all_config(config.values, sorted(config.secret_keys))
    monitor = RecordingMonitor(FakeProviders())
    loop = asyncio.new_event_loop()
    asyncio.set_event_loop(loop)
    try:
        mocks.set_mocks(
            FakeProviders(), project=PROJECT, stack=stack, preview=True, logger=logger, monitor=monitor
        )
        _sync_await(run_pulumi_func(program))
        outputs: dict[str, Any] = _stack_outputs()
    finally:
        loop.run_until_complete(loop.shutdown_default_executor())
        asyncio.set_event_loop(None)
        loop.close()
        _close_stray_loops()
    return PreviewResult(stack, monitor.recorded, outputs, collect.messages)
