"""Importing Compose text written by a test, and reading what a user sees."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

from components.appspec import SpecError
from components.importers.compose import import_compose
from components.importers.output import ImportResult, render

FIXTURES = Path(__file__).resolve().parent / "fixtures"


def write_compose(tmp_path: Path, compose: dict[str, Any] | str, **files: str) -> Path:
    """compose.yaml (and other files: `**{"path/name": text}`) in `tmp_path`."""
    for name, text in files.items():
        target = tmp_path / name
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text)
    path = tmp_path / "compose.yaml"
    path.write_text(compose if isinstance(compose, str) else yaml.safe_dump(compose, sort_keys=False))
    return path


def service(spec: dict[str, Any], name: str) -> dict[str, Any]:
    """One service of an imported spec."""
    result: dict[str, Any] = spec["services"][name]
    return result


def imported(tmp_path: Path, compose: dict[str, Any] | str, **files: str) -> tuple[dict[str, Any], list[str]]:
    """The spec a user gets (read back from the written text) and the warnings, without the
    `warning: compose.yaml: ` prefix."""
    result = import_compose(write_compose(tmp_path, compose, **files), source="compose.yaml")
    return spec_of(result), [line.removeprefix("warning: compose.yaml: ") for line in result.warnings]


def one(tmp_path: Path, definition: dict[str, Any], **files: str) -> tuple[dict[str, Any], list[str]]:
    """A one-service app `web`: its spec service and the warnings."""
    spec, warnings = imported(tmp_path, {"services": {"web": definition}}, **files)
    return service(spec, "web"), warnings


def problems(tmp_path: Path, compose: dict[str, Any] | str, **files: str) -> list[str]:
    """The error lines a user sees for bad input."""
    with pytest.raises(SpecError) as caught:
        import_compose(write_compose(tmp_path, compose, **files), source="compose.yaml")
    return caught.value.lines()


def spec_of(result: ImportResult) -> dict[str, Any]:
    """The spec as the written file says it."""
    data: dict[str, Any] = yaml.safe_load(render(result, None))
    return data


WEB = {"image": "nginx:1.27", "deploy": {"resources": {"limits": {"cpus": "1", "memory": "256m"}}}}
"""A service with limits, so tests of other fields see no resources warning."""
