"""Run the program offline under Pulumi's mock runtime and return what it registered."""

from __future__ import annotations

import asyncio
import contextvars
import dataclasses
import gc
import json
import logging
from collections.abc import Callable, Iterator
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
from ..settings import PROJECT, secret_fields
from .collector import collections_tuned
from .recorder import FakeProviders, RecordedResource, RecordingMonitor, Secret, tree_order
from .stackfile import StackConfig, available_stacks, read_stack_config, stack_file

DEFAULT_STACK = "preview"  # the stack name of a preview given no stack (`--target`, `--spec`)


@dataclass
class PreviewResult:
    """The recorded graph (parents first, siblings by type and name), the stack outputs
    (secrets as `Secret`), warnings (each once, sorted), the values no rendering may show,
    and the stack file read (None when there was none)."""

    stack: str
    resources: list[RecordedResource]
    outputs: dict[str, Any]
    warnings: list[str] = field(default_factory=list)
    secret_values: frozenset[str] = frozenset()
    stack_file: str | None = None


class _Collect(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append(record.getMessage())


def stack_config(stacks_dir: Path, stack: str | None, spec: Path | None, target: str | None) -> StackConfig:
    """The stack's config with `--spec`/`--target` applied; no stack file is needed with `--target`,
    and none is read without a stack name."""
    path = stack_file(stacks_dir, stack) if stack is not None else None
    if path is not None and path.exists():
        config = read_stack_config(path)
    elif target is not None:
        config = StackConfig({}, set())
    else:
        known = ", ".join(available_stacks(stacks_dir)) or "none"
        problem = Problem("", f"no such stack file; stacks here: {known}; or pass --target")
        raise SpecError(str(path or stacks_dir), [problem])
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
    stack: str | None,
    spec: Path | None = None,
    target: str | None = None,
    offline: bool = True,
) -> PreviewResult:
    """Run the program for `stack` under mocks. Raises `SpecError` on bad input.

    Without a stack (None) it runs as stack `DEFAULT_STACK` with `target` and no stack file.
    `offline=False` behaves as `pulumi up` does where they differ (a missing secret is an error)."""
    config = stack_config(stacks_dir, stack, spec, target)
    result = run_with_config(stacks_dir, stack or DEFAULT_STACK, config, offline)
    path = stack_file(stacks_dir, stack) if stack is not None else None
    return dataclasses.replace(result, stack_file=_shown_path(path) if path and path.exists() else None)


def _shown_path(path: Path) -> str:
    """`path` relative to the current directory when it is inside it (output names the file
    the same wherever the checkout is), else absolute."""
    resolved = path.resolve()
    return str(resolved.relative_to(Path.cwd())) if resolved.is_relative_to(Path.cwd()) else str(resolved)


def run_with_config(
    stacks_dir: Path,
    stack: str,
    config: StackConfig,
    offline: bool = True,
    declare: Callable[[], None] | None = None,
) -> PreviewResult:
    """Run the program for `stack` under mocks with exactly `config` (text values, secret keys):
    how tests and the live drivers give real secret values. `declare` runs instead of the
    program (another entry point, such as the component provider)."""
    # A fresh context per run: the SDK keeps its settings in context variables.
    declare = declare or (lambda: program(stacks_dir, offline=offline))
    with collections_tuned():
        return contextvars.Context().run(_run, stack, config, declare)


def _run(stack: str, config: StackConfig, declare: Callable[[], None]) -> PreviewResult:
    collect = _Collect()
    logger = logging.getLogger(f"hybrid.offline.{stack}")
    logger.propagate = False
    logger.handlers = [collect]
    set_all_config(config.values, sorted(config.secret_keys))
    providers = FakeProviders()
    monitor = RecordingMonitor(providers)
    loop = asyncio.new_event_loop()
    asyncio.set_event_loop(loop)
    try:
        mocks.set_mocks(
            providers,
            project=PROJECT,
            stack=stack,
            preview=True,
            logger=logger,
            monitor=monitor,
        )
        _sync_await(run_pulumi_func(declare))
        outputs = _stack_outputs()
    finally:
        loop.run_until_complete(loop.shutdown_default_executor())
        asyncio.set_event_loop(None)
        loop.close()
        _close_stray_loops()
    return PreviewResult(
        stack,
        tree_order(monitor.recorded),
        outputs,
        sorted(set(collect.messages)),
        frozenset(_secret_config_values(config)) | providers.secret_values,
    )


def _secret_config_values(config: StackConfig) -> Iterator[str]:
    """The plain text of every secret config value (`settings.secret_fields`, or a whole key
    the stack made secret), so no rendering shows it."""
    fields: dict[str, list[str | None]] = {}
    for key, part in secret_fields():
        fields.setdefault(f"{PROJECT}:{key}", []).append(part)
    for key in config.secret_keys:
        try:
            value = json.loads(config.values[key])
        except ValueError:
            value = config.values[key]
        parts = fields.get(key, [None])
        if isinstance(value, dict) and None not in parts:
            value = [value.get(part) for part in parts]
        yield from _leaves(value)


def _leaves(value: Any) -> Iterator[str]:
    if isinstance(value, dict):
        value = list(value.values())
    if isinstance(value, list):
        for item in value:
            yield from _leaves(item)
    elif value is not None and str(value):
        yield str(value)


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
        # An Output is awaited as it is: `from_input` would copy its value into an Output per
        # nested value first (the program's exports nest no Outputs in their values).
        output = value if isinstance(value, pulumi.Output) else pulumi.Output.from_input(value)
        resolved = _sync_await(output.future())
        result[name] = Secret(resolved) if _sync_await(output.is_secret()) else resolved
    return result
