"""Writing an imported spec: a header, the schema line for editors, YAML in the spec's key order.

The text is validated the way `hybrid preview` reads it (parsed back, then `parse_spec`), so
a spec that is written is one that loads."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from ..appspec import Problem, SpecError, parse_spec
from .report import SecretToSet

PROJECT_ROOT = Path(__file__).resolve().parent.parent.parent
SCHEMA_FILE = PROJECT_ROOT / "schema" / "app.schema.json"


@dataclass
class ImportResult:
    """An imported app: the spec data, what was lost (warning lines), the secrets to set."""

    spec: dict[str, Any]
    sources: list[str]
    command: str
    warnings: list[str] = field(default_factory=list)
    secrets: list[SecretToSet] = field(default_factory=list)


class _FlowList(list[Any]):
    """Written on one line: `[a, b]`."""


class _FlowDict(dict[str, Any]):
    """Written on one line: `{name: http, port: 80}`."""


class _Quoted(str):
    """Written in double quotes: `"1000:1000"` reads as text in every YAML parser."""


class _Dumper(yaml.SafeDumper):
    pass


_Dumper.add_representer(_Quoted, lambda d, v: d.represent_scalar("tag:yaml.org,2002:str", str(v), style='"'))

_Dumper.add_representer(
    _FlowList, lambda d, v: d.represent_sequence("tag:yaml.org,2002:seq", v, flow_style=True)
)
_Dumper.add_representer(
    _FlowDict, lambda d, v: d.represent_mapping("tag:yaml.org,2002:map", v.items(), flow_style=True)
)


def schema_reference(output: Path | None) -> str:
    """Where the JSON Schema is, relative to the written file when both are in this project."""
    base = output.resolve().parent if output else Path.cwd().resolve()
    if base.is_relative_to(PROJECT_ROOT):
        return Path(os.path.relpath(SCHEMA_FILE, base)).as_posix()
    return SCHEMA_FILE.as_posix()


def render(result: ImportResult, output: Path | None) -> str:
    """The spec file's text: header comments, then the YAML."""
    header = [
        f"# Imported by `{result.command}` from {', '.join(result.sources)}.",
        "# Review the warnings it printed: each names what the spec could not keep and what to do.",
        "# Kept from the source: writable root filesystems (read_only_root: false) and outbound",
        "# access (egress: true); tighten them for services that need neither.",
    ]
    if result.secrets:
        header.append("# Secrets are not in this file; set them in each stack (add --stack NAME):")
        header += [f"#   {s.command}   # {s.origin}" for s in result.secrets]
    header.append(f"# yaml-language-server: $schema={schema_reference(output)}")
    body = yaml.dump(_styled(result.spec), Dumper=_Dumper, sort_keys=False, allow_unicode=True, width=10_000)
    return "\n".join(header) + "\n" + body


def check(text: str, source: str) -> None:
    """Raise `SpecError` (naming `source`) unless `text` loads as a valid spec."""
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as error:  # pragma: no cover - our own writer produced it
        raise SpecError(source, [Problem("", f"the written spec is not valid YAML: {error}")]) from None
    parse_spec(data, source)


def _styled(spec: dict[str, Any]) -> dict[str, Any]:
    """Small things on one line, as in stacks/app.yaml: lists of words, ports, volumes, limits."""
    services = {}
    for name, service in spec["services"].items():
        styled: dict[str, Any] = {}
        for key, value in service.items():
            if key in ("command", "tmpfs", "depends_on"):
                styled[key] = _FlowList(value)
            elif key in ("ports", "volumes"):
                styled[key] = [_FlowDict(v) for v in value]
            elif key == "user":
                styled[key] = _Quoted(value)
            elif key == "resources":
                styled[key] = _FlowDict(value)
            elif key == "health":
                styled[key] = {k: _probe(v) if k in ("http", "tcp", "exec") else v for k, v in value.items()}
            else:
                styled[key] = value
        services[name] = styled
    return {"app": spec["app"], "services": services}


def _probe(probe: dict[str, Any]) -> _FlowDict:
    return _FlowDict({k: _FlowList(v) if isinstance(v, list) else v for k, v in probe.items()})
