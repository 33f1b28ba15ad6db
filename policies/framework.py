"""What a control is, the resource view rules judge, and the helpers they share.

Rules see resources as the engine sends them: engine property names
(`networkMode`, `securityOpts`), values possibly unknown (None) during preview,
fields possibly missing. A rule never raises on any of that: a value it cannot
read is a value it cannot judge."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

LABEL = "hybrid-platform.io"
SEVERITIES = ("critical", "high", "medium", "low")
LEVELS = ("advisory", "mandatory", "disabled")


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


ResourceCheck = Callable[[Resource, Mapping[str, Any]], Iterable[str]]
StackCheck = Callable[[list[Resource], Mapping[str, Any]], Iterable[tuple[str | None, str]]]


@dataclass(frozen=True)
class Control:
    """One control: a stable id, what it judges and why, and how to fix it.

    `isolation` controls are mandatory by default in every environment; the
    others default to advisory. `params` are the defaults of its settings."""

    id: str
    target: str  # docker | libvirt | kubernetes | stack
    severity: str
    description: str
    remediation: str
    benchmark: str
    isolation: bool
    resource_types: tuple[str, ...] = ()
    check: ResourceCheck | None = None
    stack_check: StackCheck | None = None
    params: Mapping[str, Any] = field(default_factory=dict)

    @property
    def default_level(self) -> str:
        return "mandatory" if self.isolation else "advisory"


def control_factory(target: str, default_types: tuple[str, ...] = ()) -> Callable[..., Control]:
    """A `Control` maker for one target's module: `check` judges one resource at a time
    (any type in `types`), or, for the stack target, all resources together."""

    def make(
        id_: str,
        severity: str,
        description: str,
        remediation: str,
        benchmark: str,
        check: Any,
        isolation: bool = True,
        types: tuple[str, ...] = default_types,
        **params: Any,
    ) -> Control:
        if target == "stack":
            return Control(id_, target, severity, description, remediation, benchmark, isolation,
                           stack_check=check, params=params)  # fmt: skip
        return Control(id_, target, severity, description, remediation, benchmark, isolation, types, check,
                       params=params)  # fmt: skip

    return make


def get(value: Any, *path: str | int) -> Any:
    """`value[path...]`, or None where any step is missing, unknown or of the wrong kind."""
    for step in path:
        if isinstance(step, int):
            if not isinstance(value, list) or step >= len(value):
                return None
        elif not isinstance(value, Mapping):
            return None
        value = value.get(step) if isinstance(value, Mapping) else value[step]
    return value


def unknown(props: Mapping[str, Any], key: str) -> bool:
    """A key that is set but whose value is not known yet (preview)."""
    return key in props and props[key] is None


def as_list(value: Any) -> list[Any]:
    """A list, or [] for anything else (missing, unknown)."""
    return value if isinstance(value, list) else []


def as_dict(value: Any) -> Mapping[str, Any]:
    """A mapping, or {} for anything else."""
    return value if isinstance(value, Mapping) else {}


def docker_labels(resource: Resource) -> dict[str, str]:
    """Labels of a Docker resource (a list of `{label, value}`)."""
    found = {}
    for item in as_list(resource.props.get("labels")):
        if isinstance(item.get("label") if isinstance(item, Mapping) else None, str):
            found[item["label"]] = str(item.get("value"))
    return found


def description_labels(resource: Resource) -> dict[str, str]:
    """Labels of a libvirt domain, carried in its description as `key=value` words."""
    text = resource.props.get("description")
    if not isinstance(text, str):
        return {}
    return dict(word.split("=", 1) for word in text.split() if "=" in word)


def k8s_labels(resource: Resource) -> dict[str, str]:
    """`metadata.labels` of a Kubernetes object."""
    return {str(k): str(v) for k, v in as_dict(get(resource.props, "metadata", "labels")).items()}


def image_pinned(reference: Any, require_digest: bool) -> bool | None:
    """Whether an image reference is pinned (None when it is not a reference at all)."""
    if not isinstance(reference, str) or not reference or reference.startswith("sha256:"):
        return None
    if "@sha256:" in reference:
        return True
    if require_digest:
        return False
    name = reference.rsplit("/", 1)[-1]
    tag = name.split(":", 1)[1] if ":" in name else None
    return tag is not None and tag != "latest"


KEBAB = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")
