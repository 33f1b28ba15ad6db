"""A Compose file read and interpolated: its services, volumes, secrets and networks as plain data."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .dotenv import parse_env_file, resolve_env_lines
from .interpolate import InterpolationError, interpolate
from .report import Report
from .source_files import path_join, read_text, read_yaml

TOP_LEVEL_KEYS = ("version", "name", "services", "volumes", "secrets", "networks", "configs")
_SECTIONS = ("volumes", "secrets", "networks", "configs")


@dataclass
class ComposeFile:
    """The parts of a Compose file an import reads, variables already replaced."""

    path: Path
    name: str | None
    services: dict[str, Any]
    volumes: dict[str, Any]
    secrets: dict[str, Any]
    networks: dict[str, Any]
    variables: dict[str, str]

    @property
    def directory(self) -> Path:
        """Where relative paths in the file start (env_file, secret files, bind mounts)."""
        return self.path.parent


def read_compose(path: Path, report: Report) -> ComposeFile:
    """Read `path`; every problem with its shape goes to `report` (then raised)."""
    data = read_yaml(path, report.source)
    if not isinstance(data, dict):
        report.error("", "a Compose file is a mapping with a `services:` key; this one is not a mapping")
        report.raise_if_problems()
    for key in data:
        _check_top_level_key(str(key), report)
    services = data.get("services")
    if not isinstance(services, dict) or not services:
        report.error("services", "must be a mapping of service name to service, with at least one service")
        report.raise_if_problems()
    sections = {}
    for key in _SECTIONS:
        sections[key] = data.get(key) or {}
        if not isinstance(sections[key], dict):
            report.error(key, "must be a mapping of name to definition")
            sections[key] = {}
    # Problems so far are reported together with the services' own (import_compose raises).
    variables = _dotenv(path.parent / ".env", report)
    expanded = {key: _expand(sections[key], key, variables, report) for key in _SECTIONS}
    expanded["services"] = _expand({str(k): v for k, v in services.items()}, "services", variables, report)
    name = _expand(data.get("name"), "name", variables, report)
    return ComposeFile(
        path=path,
        name=str(name) if name is not None else None,
        services=expanded["services"],
        volumes=expanded["volumes"],
        secrets=expanded["secrets"],
        networks=expanded["networks"],
        variables=variables,
    )


def _check_top_level_key(key: str, report: Report) -> None:
    if key in TOP_LEVEL_KEYS or key.startswith("x-"):
        return
    if key == "include":
        report.error(
            key, "included files are not imported; flatten them first: docker compose config > flat.yaml"
        )
    else:
        report.error(
            key, f"unknown top-level key; Compose allows: {', '.join(TOP_LEVEL_KEYS)} and x-* extensions"
        )


def _dotenv(path: Path, report: Report) -> dict[str, str]:
    """Compose's `.env` next to the file: the values `${VAR}` takes."""
    if not path.is_file():
        return {}
    entries, problems = parse_env_file(read_text(path, str(path)))
    for problem in problems:
        report.error("", f"{path.name}: {problem}")
    values: dict[str, str] = {}

    def expand(text: str) -> str:
        return interpolate(text, values).text

    for name, value in resolve_env_lines(entries, expand).items():
        if value is not None:
            values[name] = value
    return values


def _expand(value: Any, path: str, variables: dict[str, str], report: Report) -> Any:
    """Interpolate every string value (not keys) under `value`."""
    if isinstance(value, str):
        try:
            result = interpolate(value, variables)
        except InterpolationError as error:
            report.error(path, str(error))
            return value
        for var in dict.fromkeys(result.unset):
            report.warn(
                path,
                f"${{{var}}} is not set and has no default, so it is empty; "
                f"set {var} in the .env file next to the compose file and import again",
            )
        return result.text
    if isinstance(value, dict):
        return {k: _expand(v, path_join(path, k), variables, report) for k, v in value.items()}
    if isinstance(value, list):
        return [_expand(v, path_join(path, i), variables, report) for i, v in enumerate(value)]
    return value
