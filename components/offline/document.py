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
    document: dict[str, Any] = {
        "stack": result.stack,
        "stack_file": result.stack_file,
        "resources": [
            {
                "urn": r.urn,
                "type": r.type,
                "name": r.name,
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


def dumps(document: dict[str, Any]) -> str:
    """Stable JSON text: keys sorted, two-space indent, a final newline."""
    return json.dumps(document, indent=2, sort_keys=True) + "\n"
