"""What changes between two graphs (two stacks, or two steps of a move): the resources one
adds, removes, and whose inputs or options change. Whether a change is an update or a
replacement is the provider's call at `pulumi up`, so this says "changes", never "replaces".

`move_plan` computes the steps of moving one service to another target (README, "Moving
a service"): each step's `pulumi config` commands and its resource diff, by previewing
the stack's config before and after the step."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..appspec import Problem, SpecError
from ..settings import PROJECT
from ..targets import TARGETS
from .masking import SecretView
from .recorder import RecordedResource
from .runner import PreviewResult, run_with_config
from .stackfile import StackConfig

STEPS = ("start", "switch", "finish")


@dataclass(frozen=True)
class GraphDiff:
    """Resources by `type name`: added, removed, and changed (with the changed input keys)."""

    added: list[str]
    removed: list[str]
    changed: list[tuple[str, list[str]]]

    def lines(self) -> list[str]:
        """`+ type name`, `- type name`, `~ type name (keys)`, sorted."""
        return (
            [f"+ {r}" for r in self.added]
            + [f"- {r}" for r in self.removed]
            + [f"~ {r} ({', '.join(keys)})" for r, keys in self.changed]
        )


def _key(resource: RecordedResource) -> str:
    return f"{resource.type} {resource.name}"


def _state(resource: RecordedResource, view: SecretView) -> dict[str, Any]:
    options = {
        "protect": resource.protect,
        "retainOnDelete": resource.retain_on_delete,
        "deleteBeforeReplace": resource.delete_before_replace,
    }
    return {**dict(view(resource.inputs)), **{f"({k})": v for k, v in options.items()}}


def diff(before: PreviewResult, after: PreviewResult) -> GraphDiff:
    """The resources `after` adds to `before`, removes from it, and changes."""
    old = {_key(r): _state(r, SecretView(before.secret_values)) for r in before.resources}
    new = {_key(r): _state(r, SecretView(after.secret_values)) for r in after.resources}
    changed = []
    for key in sorted(set(old) & set(new)):
        keys = sorted(k for k in set(old[key]) | set(new[key]) if old[key].get(k) != new[key].get(k))
        if keys:
            changed.append((key, keys))
    return GraphDiff(sorted(set(new) - set(old)), sorted(set(old) - set(new)), changed)


@dataclass(frozen=True)
class MoveStep:
    """One `pulumi up` of a move: the config commands that make it, and what it changes."""

    name: str
    commands: list[str]
    diff: GraphDiff


def _objects(config: StackConfig, key: str) -> dict[str, Any]:
    text = config.values.get(f"{PROJECT}:{key}")
    value = json.loads(text) if text else {}
    return value if isinstance(value, dict) else {}


def _with(config: StackConfig, key: str, value: dict[str, Any]) -> StackConfig:
    values = dict(config.values)
    if value:
        values[f"{PROJECT}:{key}"] = json.dumps(value)
    else:
        values.pop(f"{PROJECT}:{key}", None)
    return StackConfig(values, config.secret_keys)


def step_config(config: StackConfig, service: str, to: str, step: str, fresh: bool) -> StackConfig:
    """The stack's config at `step` of moving `service` to `to`."""
    moves = {k: v for k, v in _objects(config, "moves").items() if k != service}
    placement = _objects(config, "placement")
    if step == "finish":
        return _with(_with(config, "moves", moves), "placement", {**placement, service: to})
    move: dict[str, Any] = {"to": to, "step": step, **({"data": "fresh"} if fresh else {})}
    return _with(config, "moves", {**moves, service: move})


def step_commands(stack: str, service: str, to: str, step: str, fresh: bool) -> list[str]:
    """The `pulumi config` commands that make a step (for users with the CLI)."""
    at = f"--stack {stack}"
    if step == "finish":
        return [
            f"pulumi config set --path '{PROJECT}:placement.{service}' {to} {at}",
            f"pulumi config rm --path '{PROJECT}:moves.{service}' {at}",
        ]
    commands = [
        f"pulumi config set --path '{PROJECT}:moves.{service}.to' {to} {at}",
        f"pulumi config set --path '{PROJECT}:moves.{service}.step' {step} {at}",
    ]
    if fresh and step == "start":
        commands.append(f"pulumi config set --path '{PROJECT}:moves.{service}.data' fresh {at}")
    return commands


def move_plan(
    stacks_dir: Path, stack: str, config: StackConfig, service: str, to: str, fresh: bool
) -> list[MoveStep]:
    """Every step of the move, each previewed against the one before it."""
    if to not in TARGETS:
        raise SpecError("--to", [Problem("", f"{to!r} is not a target; available: {', '.join(TARGETS)}")])
    previous = run_with_config(stacks_dir, stack, config)
    steps = []
    for name in STEPS:
        current = run_with_config(stacks_dir, stack, step_config(config, service, to, name, fresh))
        steps.append(MoveStep(name, step_commands(stack, service, to, name, fresh), diff(previous, current)))
        previous = current
    return steps
