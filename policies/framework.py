"""What a control is, the `@control` decorator that declares one on its check, and the
resource view checks judge.

Rules see resources as the engine sends them: engine property names
(`networkMode`, `securityOpts`), values possibly unknown (None) during preview,
fields possibly missing. A rule never raises on any of that: a value it cannot
read is a value it cannot judge."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any, TypeVar, cast

SEVERITIES = ("critical", "high", "medium", "low")
LEVELS = ("advisory", "mandatory", "disabled")
# What a control judges, and the prefix of its id.
ID_PREFIXES: Mapping[str, str] = {
    "docker": "docker-",
    "libvirt": "libvirt-",
    "vm": "vm-",
    "kubernetes": "k8s-",
    "stack": "stack-",
}
KEBAB = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")


@dataclass(frozen=True)
class Resource:
    """One resource as a rule sees it."""

    type: str
    name: str
    urn: str
    props: Mapping[str, Any]
    protect: bool = False


@dataclass(frozen=True)
class Violation:
    """A control that a resource (or the stack, `urn` None) fails."""

    policy: str
    level: str
    severity: str
    urn: str | None
    message: str
    remediation: str


Params = Mapping[str, Any]  # a control's settings, as configured
Messages = Iterable[str]  # what a resource control finds in one resource
Findings = Iterable[tuple[str | None, str]]  # what a stack control finds: (urn or None, message)
ResourceCheck = Callable[[Resource, Params], Messages]
StackCheck = Callable[[list[Resource], Params], Findings]
Check = TypeVar("Check", bound=Callable[..., Iterable[Any]])


@dataclass(frozen=True)
class Control:
    """One control: a stable id, what it judges and why, and how to fix it.

    `isolation` controls are mandatory by default; the others advisory. `advisory`
    ones inform and never block in the shipped environments. `params` are the
    defaults of its settings, `strict` the values the strictest configuration uses.
    `concern` names a weakness that has one control per engine (the twins must be
    enforced alike in every environment)."""

    id: str
    target: str  # the engine it reads: one of ID_PREFIXES
    severity: str
    description: str
    remediation: str
    benchmark: str
    isolation: bool
    check: Callable[..., Iterable[Any]]
    resource_types: tuple[str, ...] = ()
    params: Mapping[str, Any] = field(default_factory=dict)
    strict: Mapping[str, Any] = field(default_factory=dict)
    advisory: bool = False
    concern: str = ""

    @property
    def default_level(self) -> str:
        """The level where a configuration does not name the control."""
        return "mandatory" if self.isolation and not self.advisory else "advisory"

    @property
    def judges_stack(self) -> bool:
        """Whether the check sees all resources at once (no resource types of its own)."""
        return not self.resource_types

    @property
    def strictest_params(self) -> dict[str, Any]:
        """The parameters of the strictest configuration."""
        return {**self.params, **self.strict}

    def judge(self, resource: Resource, params: Params) -> Messages:
        """The messages of a resource control for one resource."""
        return cast(ResourceCheck, self.check)(resource, params)

    def judge_stack(self, resources: list[Resource], params: Params) -> Findings:
        """The `(urn, message)` findings of a stack control."""
        return cast(StackCheck, self.check)(resources, params)


REGISTRY: dict[str, Control] = {}


def _origin(check: Callable[..., Any]) -> str:
    return f"{check.__module__}.{check.__qualname__}"


def control(
    *,
    id: str,
    severity: str,
    benchmark: str,
    remediation: str,
    description: str,
    target: str,
    isolation: bool,
    types: tuple[str, ...] = (),
    strict: Mapping[str, Any] | None = None,
    advisory: bool = False,
    concern: str = "",
    **params: Any,
) -> Callable[[Check], Check]:
    """Declare the decorated check as a control. With `types`, the check judges one
    resource of those types at a time (`(resource, params) -> messages`); without, the
    whole stack (`(resources, params) -> (urn, message)`). Keyword `params` are its
    settings' defaults; `strict` overrides them in the strictest configuration."""

    def register(check: Check) -> Check:
        declared = Control(
            id=id,
            target=target,
            severity=severity,
            description=description,
            remediation=remediation,
            benchmark=benchmark,
            isolation=isolation,
            check=check,
            resource_types=types,
            params=params,
            strict=strict or {},
            advisory=advisory,
            concern=concern,
        )
        known = REGISTRY.get(id)
        if known is not None and _origin(known.check) != _origin(check):
            raise ValueError(f"control id {id} is declared twice")
        REGISTRY[id] = declared
        return check

    return register
