"""Running the controls: which levels and parameters apply (chosen the way the Pulumi CLI
takes a policy config), and evaluation of a set of resources (the offline preview's path;
the pack hands each resource to the same checks)."""

from __future__ import annotations

import difflib
import json
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from components.appspec import Problem, SpecError

from .catalogue import BY_ID, CONTROLS
from .framework import LEVELS, Control, Resource, Violation

CONFIG_DIR = Path(__file__).resolve().parent / "config"
WITHOUT_STACK = "dev"  # what a preview without a stack (`--spec` and `--target` alone) is judged by
EXAMPLE = '{"docker-healthcheck": "advisory", "docker-image-pinned": {"requireDigest": true}}'


@dataclass(frozen=True)
class PolicyConfig:
    """The levels and parameters a run applies, and where they came from."""

    source: str  # the file, or "strictest (no policies/config/<stack>.json)"
    entries: Mapping[str, Any]


def load_config(config_file: Path | None = None, stack: str | None = None) -> PolicyConfig:
    """The policy config of a run: `config_file` when given (`--policy-config`), else
    `policies/config/<stack>.json`, else (a stack without its own file) the strictest;
    without a stack, dev's. Raises `SpecError` (one problem per line) for a file that
    cannot be read, is not JSON, or names an unknown control, level or parameter."""
    if config_file is not None:
        return PolicyConfig(str(config_file), read_config(config_file))
    name = stack if stack is not None else WITHOUT_STACK
    path = CONFIG_DIR / f"{name}.json"
    shown = f"policies/config/{name}.json"
    if stack is not None and not path.exists():
        return PolicyConfig(f"strictest (no {shown})", strictest())
    return PolicyConfig(shown, read_config(path, shown))


def strictest() -> dict[str, Any]:
    """Every control mandatory, with its strictest parameters."""
    return {c.id: {"enforcementLevel": "mandatory", **c.strictest_params} for c in CONTROLS}


def read_config(path: Path, shown: str | None = None) -> dict[str, Any]:
    """A policy config file, validated against the controls."""
    source = shown or str(path)
    try:
        document = json.loads(path.read_bytes())
    except OSError as error:
        reason = f"cannot be read ({error.strerror or error}); give a JSON policy config"
        raise SpecError(source, [Problem("", f"{reason}, e.g. policies/config/prod.json")]) from None
    except ValueError as error:
        reason = f"is not JSON ({error}); a policy config maps control ids to levels"
        raise SpecError(source, [Problem("", f"{reason}, e.g. {EXAMPLE}")]) from None
    problems = config_problems(document)
    if problems:
        raise SpecError(source, problems)
    return dict(document)


def config_problems(document: Any) -> list[Problem]:
    """What is wrong with a policy config document, one problem per key."""
    if not isinstance(document, dict):
        return [Problem("", f"must be a JSON object of control ids to levels, e.g. {EXAMPLE}")]
    problems: list[Problem] = []
    for key, entry in document.items():
        control = BY_ID.get(key)
        if key == "all":
            only_level = isinstance(entry, dict) and set(entry) == {"enforcementLevel"}
            problems += _level_problems("all", entry["enforcementLevel"] if only_level else entry)
        elif control is None:
            close = difflib.get_close_matches(key, BY_ID, n=1)
            hint = f"did you mean {close[0]}? " if close else ""
            problems.append(
                Problem(key, f"unknown control; {hint}the controls are listed in policies/README.md")
            )
        elif isinstance(entry, dict):
            problems += _entry_problems(control, entry)
        else:
            problems += _level_problems(key, entry)
    return problems


def _level_problems(path: str, level: Any) -> list[Problem]:
    if level in LEVELS:
        return []
    example = f'"{path.split(".", 1)[0]}": "advisory"'
    return [
        Problem(path, f"level {json.dumps(level)} is not advisory, mandatory or disabled; e.g. {example}")
    ]


def _entry_problems(control: Control, entry: Mapping[str, Any]) -> list[Problem]:
    problems: list[Problem] = []
    for name, value in entry.items():
        path = f"{control.id}.{name}"
        if name == "enforcementLevel":
            problems += _level_problems(path, value)
        elif name not in control.params:
            known = ", ".join(control.params) or "none"
            problems.append(Problem(path, f"unknown parameter; {control.id} takes: {known}"))
        elif (wanted := _wrong_type(control.params[name], value)) is not None:
            example = json.dumps(control.params[name]) if control.params[name] != [] else '["name"]'
            problems.append(
                Problem(path, f'must be {wanted}, got {json.dumps(value)}; e.g. "{name}": {example}')
            )
    return problems


def _wrong_type(default: Any, value: Any) -> str | None:
    """What a parameter must be, when `value` is not of its default's type."""
    if isinstance(default, bool):
        return None if isinstance(value, bool) else "true or false"
    if isinstance(default, int):
        return None if isinstance(value, int) and not isinstance(value, bool) else "a whole number"
    if isinstance(default, float):
        return None if isinstance(value, int | float) and not isinstance(value, bool) else "a number"
    if isinstance(default, list):
        ok = isinstance(value, list) and all(isinstance(v, str) for v in value)
        return None if ok else "a list of strings"
    return None if isinstance(value, str) else "a string"


def level_of(control: Control, config: Mapping[str, Any]) -> str:
    """The enforcement level: the control's entry, else `all`, else the control's default."""
    everything = config.get("all")
    if isinstance(everything, Mapping):
        everything = everything.get("enforcementLevel")
    entry = config.get(control.id, everything)
    if isinstance(entry, Mapping):
        entry = entry.get("enforcementLevel", everything)
    return str(entry) if entry else control.default_level


def params_of(control: Control, config: Mapping[str, Any]) -> dict[str, Any]:
    """The control's parameters with the configuration's values over its defaults."""
    entry = config.get(control.id)
    overrides = {k: v for k, v in entry.items() if k in control.params} if isinstance(entry, Mapping) else {}
    return {**control.params, **overrides}


def evaluate(
    resources: list[Resource], config: Mapping[str, Any], controls: list[Control] = CONTROLS
) -> list[Violation]:
    """Every violation of every enabled control."""
    found = []
    for control in controls:
        level = level_of(control, config)
        if level == "disabled":
            continue
        params = params_of(control, config)

        def violation(
            urn: str | None, message: str, control: Control = control, level: str = level
        ) -> Violation:
            return Violation(control.id, level, control.severity, urn, message, control.remediation)

        if control.judges_stack:
            found += [violation(urn, m) for urn, m in control.judge_stack(resources, params)]
            continue
        for resource in resources:
            if resource.type in control.resource_types:
                found += [violation(resource.urn, m) for m in control.judge(resource, params)]
    return found
