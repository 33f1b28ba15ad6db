"""The controls as Pulumi policies. `__main__.py` puts them in a PolicyPack; nothing else
here constructs one (a PolicyPack starts a gRPC server and blocks)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from pulumi_policy import (
    EnforcementLevel,
    PolicyConfigSchema,
    ReportViolation,
    ResourceValidationArgs,
    ResourceValidationPolicy,
    Severity,
    StackValidationArgs,
    StackValidationPolicy,
)
from pulumi_policy.proxy import UnknownValueError

from .catalogue import CONTROLS
from .framework import Control, Resource

LEVELS = {
    "advisory": EnforcementLevel.ADVISORY,
    "mandatory": EnforcementLevel.MANDATORY,
    "disabled": EnforcementLevel.DISABLED,
}
PACK_NAME = "hybrid-platform-isolation"


def _schema(control: Control) -> PolicyConfigSchema | None:
    if not control.params:
        return None
    kinds = {bool: "boolean", int: "integer", float: "number", str: "string", list: "array"}
    return PolicyConfigSchema(
        properties={
            key: {
                "type": kinds[type(value)],
                **({"items": {"type": "string"}} if isinstance(value, list) else {}),
                "default": value,
            }
            for key, value in control.params.items()
        }
    )


def _metadata(control: Control) -> dict[str, Any]:
    """What the engine shows of a control besides its check."""
    return {
        "name": control.id,
        "description": control.description,
        "enforcement_level": LEVELS[control.default_level],
        "config_schema": _schema(control),
        "severity": Severity(control.severity),
        "remediation_steps": control.remediation,
        "tags": [control.target, control.benchmark],
    }


def _params(control: Control, config: Mapping[str, Any] | None) -> dict[str, Any]:
    return {**control.params, **{k: v for k, v in (config or {}).items() if k in control.params}}


def _resource_policy(control: Control) -> ResourceValidationPolicy:
    def validate(args: ResourceValidationArgs, report: ReportViolation) -> None:
        if args.resource_type not in control.resource_types:
            return
        resource = Resource(args.resource_type, args.name, args.urn, args.props, bool(args.opts.protect))
        try:
            for message in control.judge(resource, _params(control, args.get_config())):
                report(message, None)
        except UnknownValueError:
            return  # a value not known until the resource exists: nothing to judge yet

    return ResourceValidationPolicy(validate=validate, **_metadata(control))


def _stack_policy(control: Control) -> StackValidationPolicy:
    def validate(args: StackValidationArgs, report: ReportViolation) -> None:
        resources = [
            Resource(r.resource_type, r.name, r.urn, r.props, bool(r.opts.protect)) for r in args.resources
        ]
        try:
            for urn, message in control.judge_stack(resources, _params(control, args.get_config())):
                report(message, urn)
        except UnknownValueError:
            return

    return StackValidationPolicy(validate=validate, **_metadata(control))


def build_policies(
    controls: list[Control] = CONTROLS,
) -> list[ResourceValidationPolicy | StackValidationPolicy]:
    """One Pulumi policy per control (every control, or a `catalogue.select(...)`), named by its id."""
    return [_stack_policy(c) if c.judges_stack else _resource_policy(c) for c in controls]
