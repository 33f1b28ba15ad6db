"""How a preview is shown: a resource tree with a summary, or JSON with secrets masked."""

from __future__ import annotations

from collections import Counter
from typing import Any

from rich.console import Console
from rich.markup import escape
from rich.tree import Tree

from .policy_check import PolicyReport
from .recorder import masked
from .runner import PreviewResult


def as_json(result: PreviewResult, violations: list[dict[str, Any]] | None = None) -> dict[str, Any]:
    """The `--json` document: resources, outputs, warnings; every secret masked."""
    document: dict[str, Any] = {
        "stack": result.stack,
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
                "inputs": masked(r.inputs),
            }
            for r in result.resources
        ],
        "outputs": masked(result.outputs),
        "warnings": result.warnings,
    }
    if violations is not None:
        document["violations"] = violations
    return document


SEVERITY_ORDER = ("critical", "high", "medium", "low")


def print_violations(report: PolicyReport, console: Console) -> None:
    """Violations by severity: one line per control and message, naming every resource that
    shows it (a finding on each replica is one line), then the fix."""
    console.print(f"\n[bold]policies[/bold] ({escape(report.config)}): {len(report.violations)} violations, "
                  f"{len(report.mandatory)} mandatory")  # fmt: skip
    groups: dict[tuple[str, str, str, str, str], list[str]] = {}
    for v in report.violations:
        resource = (v.urn or "stack").rsplit("::", 1)[-1]
        groups.setdefault((v.severity, v.level, v.policy, v.message, v.remediation), []).append(resource)
    for severity in SEVERITY_ORDER:
        found = sorted(
            ((key, sorted(set(where))) for key, where in groups.items() if key[0] == severity),
            key=lambda group: (group[0][1] != "mandatory", group[0][2], group[1], group[0][3]),
        )
        if not found:
            continue
        console.print(f"[bold]{severity}[/bold]")
        for (_, level, policy, message, remediation), where in found:
            # `web-0`; `web-0, web-1, web-2 (3)`; the first five, `+4 more (9)`
            more = f", +{len(where) - 5} more" if len(where) > 5 else ""
            shown = where[0] if len(where) == 1 else f"{', '.join(where[:5])}{more} ({len(where)})"
            console.print(f"  {level:<9} {policy}  {shown}: {message}", markup=False, highlight=False)
            console.print(f"            fix: {remediation}", markup=False, highlight=False, style="dim")


def print_tree(result: PreviewResult, console: Console) -> None:
    """The resource tree (type and name under each parent), warnings, and a summary."""
    root = Tree(f"[bold]stack {result.stack}[/bold]")
    nodes: dict[str, Tree] = {}
    for resource in result.resources:
        parent = nodes.get(resource.parent, root)
        flags = " [yellow](protected)[/yellow]" if resource.protect else ""
        nodes[resource.urn] = parent.add(
            f"{escape(resource.type)}  [cyan]{escape(resource.name)}[/cyan]{flags}"
        )
    console.print(root)
    for warning in result.warnings:
        console.print("warning: " + warning, style="yellow", highlight=False, markup=False)
    counts = Counter(r.type for r in result.resources)
    console.print(f"\n[bold]{len(result.resources)} resources[/bold]")
    for kind, count in sorted(counts.items()):
        console.print(f"  {count:>3}  {kind}", highlight=False)
    if result.outputs:
        console.print("\n[bold]outputs[/bold]")
        for name, value in masked(result.outputs).items():
            console.print(f"  {name}: {value}", highlight=False, markup=False)
