"""Running the controls: per-environment levels and parameters, and evaluation of a set of
resources (the offline preview's path; the pack hands each resource to the same checks)."""

from __future__ import annotations

import json
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from .catalogue import CONTROLS
from .framework import Control, Resource, Violation

CONFIG_DIR = Path(__file__).resolve().parent / "config"


def load_config(environment: str) -> tuple[str, dict[str, Any]]:
    """(file name, content) of `config/<environment>.json`, or of dev.json when there is none."""
    path = CONFIG_DIR / f"{environment}.json"
    if not path.exists():
        path = CONFIG_DIR / "dev.json"
    return path.name, json.loads(path.read_text())


def level_of(control: Control, config: Mapping[str, Any]) -> str:
    """The enforcement level: the control's entry, else `all`, else the control's default."""
    entry = config.get(control.id, config.get("all"))
    if isinstance(entry, Mapping):
        entry = entry.get("enforcementLevel", config.get("all"))
    return str(entry) if entry else control.default_level


def params_of(control: Control, config: Mapping[str, Any]) -> dict[str, Any]:
    """The control's parameters with the environment's values over its defaults."""
    entry = config.get(control.id)
    overrides = (
        {k: v for k, v in entry.items() if k != "enforcementLevel"} if isinstance(entry, Mapping) else {}
    )
    return {**control.params, **overrides}


def evaluate(resources: list[Resource], config: Mapping[str, Any]) -> list[Violation]:
    """Every violation of every enabled control."""
    found = []
    for control in CONTROLS:
        level = level_of(control, config)
        if level == "disabled":
            continue
        params = params_of(control, config)
        if control.check is not None:
            for resource in resources:
                if resource.type in control.resource_types:
                    found += [
                        Violation(control.id, level, control.severity, resource.urn, m, control.remediation)
                        for m in control.check(resource, params)
                    ]
        if control.stack_check is not None:
            found += [
                Violation(control.id, level, control.severity, urn, m, control.remediation)
                for urn, m in control.stack_check(resources, params)
            ]
    return found
