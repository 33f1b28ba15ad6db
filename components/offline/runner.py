"""Run the program offline under Pulumi's mock runtime and return what it registered."""

from __future__ import annotations

import asyncio
import contextvars
import gc
import logging
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pulumi
from pulumi.runtime import mocks, settings
from pulumi.runtime.config import set_all_config
from pulumi.runtime.stack import run_pulumi_func
from pulumi.runtime.sync_await import _sync_await

from ..appspec import Problem, SpecError
from ..program import program
from ..settings import PROJECT
from .recorder import FakeProviders, RecordedResource, RecordingMonitor, Secret
from .stackfile import StackConfig, available_stacks, read_stack_config, stack_file


@dataclass
class PreviewResult:
    """The recorded graph, the stack outputs (secrets as `Secret`), and warnings."""

    stack: str
    resources: list[RecordedResource]
    outputs: dict[str, Any]
    warnings: list[str] = field(default_factory=list)


class _Collect(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append(record.getMessage())


def stack_config(stacks_dir: Path, stack: str, spec: Path | None, target: str | None) -> StackConfig:
    """The stack's config with `--spec`/`--target` applied; no stack file is needed with `--target`."""
    path = stack_file(stacks_dir, stack)
    if path.exists():
        config = read_stack_config(path)
    elif target is not None:
        config = StackConfig({}, set())
    else:
        known = ", ".join(available_stacks(stacks_dir)) or "none"
        raise SpecError(
            str(path), [Problem("", f"no such stack file; stacks here: {known}; or pass --target")]
        )
    values = dict(config.values)
    if spec is not None:
        values[f"{PROJECT}:spec"] = str(spec.resolve())
        # The stack's overrides name the services of its own spec, not of this one.
        values.pop(f"{PROJECT}:overrides", None)
    if target is not None:
        values[f"{PROJECT}:target"] = target
    return StackConfig(values, config.secret_keys)


def run_preview(
    stacks_dir: Path,
    stack: str,
    spec: Path | None = None,
    target: str | None = None,
    offline: bool = True,
) -> PreviewResult:
    """Run the program for `stack` under mocks. Raises `SpecError` on bad input.

    `offline=False` behaves as `pulumi up` does where they differ (a missing secret is an error)."""
    return run_with_config(stacks_dir, stack, stack_config(stacks_dir, stack, spec, target), offline)


def run_with_config(stacks_dir: Path, stack: str, config: StackConfig, offline: bool = True) -> PreviewResult:
    """Run the program for `stack` under mocks with exactly `config` (text values, secret keys):
    how tests and the live drivers give real secret values."""
    # A fresh context per run: the SDK keeps its settings in context variables.
    return contextvars.Context().run(_run, stacks_dir, stack, config, offline)


def _run(stacks_dir: Path, stack: str, config: StackConfig, offline: bool) -> PreviewResult:
    collect = _Collect()
    logger = logging.getLogger(f"hybrid.offline.{stack}")
    logger.propagate = False
    logger.handlers = [collect]
    set_all_config(config.values, sorted(config.secret_keys))
    monitor = RecordingMonitor(FakeProviders())
    loop = asyncio.new_event_loop()
    asyncio.set_event_loop(loop)
    try:
        mocks.set_mocks(
            FakeProviders(),
            project=PROJECT,
            stack=stack,
            preview=True,
            logger=logger,
            monitor=monitor,
        )
        _sync_await(run_pulumi_func(lambda: program(stacks_dir, offline=offline)))
        outputs = _stack_outputs()
    finally:
        loop.run_until_complete(loop.shutdown_default_executor())
        asyncio.set_event_loop(None)
        loop.close()
        _close_stray_loops()
    return PreviewResult(stack, monitor.recorded, outputs, collect.messages)


def _close_stray_loops() -> None:
    """The SDK calls the monitor from worker threads, and each makes an event loop of its
    own that nobody closes; closed at interpreter exit instead, they print a traceback."""
    for obj in gc.get_objects():
        if isinstance(obj, asyncio.AbstractEventLoop) and not obj.is_running() and not obj.is_closed():
            obj.close()


def _stack_outputs() -> dict[str, Any]:
    root = settings.get_root_resource()
    exported: dict[str, Any] = getattr(root, "outputs", {})
    result = {}
    for name, value in exported.items():
        output = pulumi.Output.from_input(value)
        resolved = _sync_await(output.future())
        result[name] = Secret(resolved) if _sync_await(output.is_secret()) else resolved
    return result
