"""The policy pack's controls run on the recorded graph, with the stack's environment config."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from policies.engine import evaluate, load_config
from policies.framework import Resource, Violation

from .recorder import RecordedResource
from .runner import PreviewResult


@dataclass(frozen=True)
class PolicyReport:
    """Which config was applied, and what it found."""

    config: str
    violations: list[Violation]

    @property
    def mandatory(self) -> list[Violation]:
        """The violations that fail the run."""
        return [v for v in self.violations if v.level == "mandatory"]

    def as_json(self) -> list[dict[str, Any]]:
        """`[{policy, level, severity, urn, message}]`."""
        return [
            {"policy": v.policy, "level": v.level, "severity": v.severity, "urn": v.urn, "message": v.message}
            for v in self.violations
        ]


def view(resource: RecordedResource) -> Resource:
    """A recorded resource as the engine shows it to a policy: inputs after the provider's
    check, which fills in auto-generated names."""
    props = dict(resource.inputs)
    if (
        "name" not in props
        and "name" in resource.outputs
        and resource.type.startswith(("docker:", "libvirt:"))
    ):
        props["name"] = resource.outputs["name"]
    return Resource(resource.type, resource.name, resource.urn, props, resource.protect)


def check_policies(result: PreviewResult) -> PolicyReport:
    """Evaluate every control on the preview with `policies/config/<stack>.json` (or dev.json)."""
    name, config = load_config(result.stack)
    return PolicyReport(name, evaluate([view(r) for r in result.resources], config))
