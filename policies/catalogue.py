"""Every control, found by importing every module under `policies/rules/` (each declares
its controls with `@control`), and selections of them by metadata. The Pulumi policy pack
and the offline preview both use it."""

from __future__ import annotations

import importlib
import pkgutil
from collections.abc import Collection

from . import rules
from .framework import ID_PREFIXES, REGISTRY, Control


def discover() -> list[Control]:
    """Import every rule module; the declared controls, by target then id."""
    for module in sorted(
        pkgutil.walk_packages(rules.__path__, prefix=f"{rules.__name__}."), key=lambda m: m.name
    ):
        importlib.import_module(module.name)
    order = {target: index for index, target in enumerate(ID_PREFIXES)}
    return sorted(REGISTRY.values(), key=lambda c: (order.get(c.target, len(order)), c.id))


CONTROLS: list[Control] = discover()
BY_ID: dict[str, Control] = {c.id: c for c in CONTROLS}


def select(
    *,
    targets: Collection[str] | None = None,
    isolation: bool | None = None,
    severities: Collection[str] | None = None,
    controls: list[Control] = CONTROLS,
) -> list[Control]:
    """The controls whose metadata matches every filter given (`targets={"docker", "stack"}`,
    `isolation=True`, `severities={"critical"}`)."""
    return [
        c
        for c in controls
        if (targets is None or c.target in targets)
        and (isolation is None or c.isolation == isolation)
        and (severities is None or c.severity in severities)
    ]
