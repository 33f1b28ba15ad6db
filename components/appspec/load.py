"""Reading a spec: YAML text or data in, a checked `AppSpec` (or a `SpecError`) out."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError

from .app import AppSpec
from .checks import check_app
from .errors import Problem, SpecError, problems_from


def parse_spec(data: Any, source: str = "spec") -> AppSpec:
    """Validate already-parsed YAML data; raise `SpecError` naming `source` on any problem."""
    if not isinstance(data, dict):
        raise SpecError(source, [Problem("", "the spec must be a mapping with keys app and services")])
    try:
        spec = AppSpec.model_validate(data)
    except ValidationError as error:
        raise SpecError(source, problems_from(error, AppSpec)) from None
    problems = check_app(spec)
    if problems:
        raise SpecError(source, problems)
    return spec


def load_yaml(path: Path) -> Any:
    """Read one YAML document; unreadable or malformed files become a `SpecError`."""
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as error:
        raise SpecError(str(path), [Problem("", f"cannot read the file: {error.strerror}")]) from None
    try:
        return yaml.safe_load(text)
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        where = f"line {mark.line + 1}, column {mark.column + 1}: " if mark else ""
        reason = getattr(error, "problem", None) or "not valid YAML"
        raise SpecError(str(path), [Problem("", f"{where}{reason}")]) from None


def load_spec(path: Path) -> AppSpec:
    """Read and validate the spec file at `path`."""
    return parse_spec(load_yaml(path), str(path))
