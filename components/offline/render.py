"""How a preview is shown as text: the resource tree, warnings, a summary, the outputs (the
endpoints as a table) and the policy findings.

A terminal gets rich's styles (`Terminal`); any other output the same text, plain, written
directly (`PlainText`: no rich console; only the few lines written as rich markup are parsed).
Values are shown as JSON, secrets masked as in `--json`.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterator, Sequence
from typing import TYPE_CHECKING, Any, Protocol, TextIO

from rich.markup import escape, render

from .document import as_json
from .masking import SecretView
from .runner import PreviewResult

if TYPE_CHECKING:
    from .policy_check import PolicyReport

__all__ = ["Console", "PlainText", "Terminal", "as_json", "console_for", "print_tree", "print_violations"]

Segment = str | tuple[str, str]  # text, or (text, rich style)


class Console(Protocol):
    """Where the text goes: `print` takes rich markup (as rich's `Console.print`), `line` styled
    segments."""

    def print(
        self,
        *objects: Any,
        style: str | None = None,
        markup: bool | None = None,
        highlight: bool | None = None,
    ) -> None:
        """Print one line (rich markup unless `markup` is False)."""

    def line(self, *segments: Segment) -> None:
        """Print one line made of `segments`."""


class PlainText:
    """Output that is not a terminal: the text alone, no styles."""

    def __init__(self, stream: TextIO) -> None:
        self.stream = stream

    def print(self, *objects: Any, markup: bool | None = None, **_: Any) -> None:
        """Print one line, rich markup removed (styles dropped)."""
        text = " ".join(str(o) for o in objects)
        self.stream.write((render(text).plain if markup is not False and "[" in text else text) + "\n")

    def line(self, *segments: Segment) -> None:
        """Print the segments' text."""
        self.stream.write("".join(s if isinstance(s, str) else s[0] for s in segments) + "\n")


class Terminal:
    """A terminal: the same lines, with rich's styles (no highlighting, no wrapping)."""

    def __init__(self, stream: TextIO) -> None:
        from rich.console import Console as RichConsole

        self.rich = RichConsole(file=stream, soft_wrap=True, highlight=False)

    def print(self, *objects: Any, **options: Any) -> None:
        """Print one line with rich."""
        self.rich.print(*objects, **options)

    def line(self, *segments: Segment) -> None:
        """Print the segments with their styles."""
        from rich.text import Text

        self.rich.print(Text.assemble(*segments))


def console_for(stream: TextIO) -> Console:
    """`Terminal` when `stream` is a terminal, else `PlainText`."""
    return Terminal(stream) if stream.isatty() else PlainText(stream)


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
    """The stack and its stack file, the resource tree (type and name under each parent),
    warnings, a summary by type, and the outputs."""
    source = result.stack_file or "no stack file: settings from --target and --spec"
    console.print(f"[bold]stack {escape(result.stack)}[/bold]  ({escape(source)})", highlight=False)
    for prefix, resource in _tree(result):
        protected = ("  (protected)", "yellow") if resource.protect else ""
        console.line(prefix, resource.type, "  ", (resource.name, "cyan"), protected)
    view = SecretView(result.secret_values)
    for warning in view(result.warnings):
        console.line(("warning: " + warning, "yellow"))
    counts = Counter(r.type for r in result.resources)
    console.line()
    console.line((f"{len(result.resources)} resources", "bold"))
    for kind, count in sorted(counts.items()):
        console.line(f"  {count:>3}  {kind}")
    outputs = view(result.outputs)
    if outputs:
        console.line()
        console.line(("outputs", "bold"))
    for name, value in outputs.items():
        rows = endpoint_rows(value) if name == "endpoints" else None
        if rows is None:
            console.line(f"  {name}: ", json.dumps(value, sort_keys=True))
        else:
            console.line(f"  {name}:")
            for i, row in enumerate(_columns(rows)):
                console.line(("    " + row, "bold") if i == 0 else "    " + row)


def _tree(result: PreviewResult) -> Iterator[tuple[str, Any]]:
    """(`├── ` style prefix, resource) for each resource, in `result`'s parents-first order."""
    urns = {r.urn for r in result.resources}
    children: dict[str, list[Any]] = {}
    for resource in result.resources:
        children.setdefault(resource.parent if resource.parent in urns else "", []).append(resource)

    def walk(parent: str, indent: str) -> Iterator[tuple[str, Any]]:
        siblings = children.get(parent, [])
        for i, resource in enumerate(siblings):
            last = i == len(siblings) - 1
            yield indent + ("└── " if last else "├── "), resource
            yield from walk(resource.urn, indent + ("    " if last else "│   "))

    return walk("", "")


ENDPOINT_COLUMNS = ("service", "target", "port", "port/protocol", "address", "public")
PORT_FIELDS = {"name", "port", "protocol", "address", "public"}
UNKNOWN = "(known after deploy)"


def endpoint_rows(endpoints: Any) -> list[tuple[str, ...]] | None:
    """The `endpoints` output as table rows (header first), one per port, services sorted;
    None when it is not `{service: {target, ports: [{name, port, protocol, address, public}]}}`.
    `public` is a list of `host:port` ([]: not public); None for `address` or `public` means
    only the engine knows it."""
    if not isinstance(endpoints, dict):
        return None
    rows: list[tuple[str, ...]] = [ENDPOINT_COLUMNS]
    for service, entry in sorted(endpoints.items()):
        if not isinstance(entry, dict) or not isinstance(entry.get("ports"), list):
            return None
        target = str(entry.get("target"))
        if not entry["ports"]:
            rows.append((service, target, "-", "-", "-", "-"))
        for port in entry["ports"]:
            if not isinstance(port, dict) or not PORT_FIELDS.issubset(port):
                return None
            if port["public"] is not None and not isinstance(port["public"], list):
                return None
            rows.append(
                (
                    service,
                    target,
                    str(port["name"]),
                    f"{port['port']}/{port['protocol']}",
                    UNKNOWN if port["address"] is None else str(port["address"]),
                    _public(port["public"]),
                )
            )
    return rows


def _public(value: list[str] | None) -> str:
    return UNKNOWN if value is None else ", ".join(value) or "-"


def _columns(rows: Sequence[tuple[str, ...]]) -> list[str]:
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    return ["  ".join(cell.ljust(w) for cell, w in zip(row, widths, strict=True)).rstrip() for row in rows]
