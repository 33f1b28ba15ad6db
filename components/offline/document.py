"""The `--json` document of a preview.

Plain data with secrets masked (`masking.SecretView`), written with the standard library:
the same input gives byte-identical text (`dumps`).
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

from .masking import SecretView
from .runner import PreviewResult

if TYPE_CHECKING:
    from .policy_check import PolicyReport


def as_json(result: PreviewResult, report: PolicyReport | None = None) -> dict[str, Any]:
    """`{stack, stack_file, resources, outputs, warnings}`, plus `policy_config` and `violations`
    with a policy report; resources parents first, every secret masked."""
    view = SecretView(result.secret_values)
    targets = targets_of(result)
    document: dict[str, Any] = {
        "stack": result.stack,
        "stack_file": result.stack_file,
        "resources": [
            {
                "urn": r.urn,
                "type": r.type,
                "name": r.name,
                "target": targets.get(r.urn),
                "parent": r.parent or None,
                "depends_on": r.depends_on,
                "protect": r.protect,
                "retain_on_delete": r.retain_on_delete,
                "delete_before_replace": r.delete_before_replace,
                "provider": r.provider or None,
                "replace_with": r.replace_with,
                "inputs": view(r.inputs),
            }
            for r in result.resources
        ],
        "outputs": view(result.outputs),
        "warnings": view(result.warnings),
    }
    if report is not None:
        document["policy_config"] = report.config
        document["violations"] = sorted(
            report.as_json(), key=lambda v: (v["policy"], v["urn"] or "", v["message"])
        )
    return document


SHARED_LIBVIRT = "libvirt"  # the fabric the libvirt-based targets of a stack share


def targets_of(result: PreviewResult) -> dict[str, str]:
    """URN -> the target whose component the resource belongs to (`libvirt` for the shared
    fabric; none for the Application itself)."""
    by_urn = {r.urn: r for r in result.resources}
    found: dict[str, str] = {}
    for resource in result.resources:  # parents come first
        own = resource.inputs.get("target") if resource.type.startswith("hybrid:") else None
        if resource.type == "hybrid:libvirt:Fabric":
            own = SHARED_LIBVIRT
        parent = found.get(resource.parent) if resource.parent in by_urn else None
        if isinstance(own, str) or parent is not None:
            found[resource.urn] = own if isinstance(own, str) else str(parent)
    return found


def dumps(document: dict[str, Any]) -> str:
    """Stable JSON text: keys sorted, two-space indent, a final newline."""
    return json.dumps(document, indent=2, sort_keys=True) + "\n"
