"""The policy pack's controls run on the recorded graph, with the levels chosen the way the
Pulumi CLI takes a policy config (see `policies.engine.load_config`)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from policies.engine import evaluate, load_config
from policies.framework import Resource, Violation

from .recorder import RecordedResource
from .runner import PreviewResult


@dataclass(frozen=True)
class PolicyReport:
    """Which config was applied, and what it found."""

    config: str  # the file applied, or "strictest (no policies/config/<stack>.json)"
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


def check_policies(result: PreviewResult, config_file: Path | None, stack_given: bool) -> PolicyReport:
    """Evaluate every control on the preview, with `config_file` (`--policy-config`) when given,
    else by `stack_given`: True, `policies/config/<stack>.json` or else the strictest levels;
    False (`--spec` and `--target` alone, no stack file), dev's. Raises `SpecError` for a
    config file that is unreadable or invalid (exit 2)."""
    config = load_config(config_file, result.stack if stack_given else None)
    return PolicyReport(config.source, evaluate([view(r) for r in result.resources], config.entries))
