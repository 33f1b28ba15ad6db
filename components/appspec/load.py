"""Reading a spec: YAML text or data in, a checked `AppSpec` (or a `SpecError`) out.

Every problem of a spec is reported in one run, in the order the file has them: field
errors from validation, and the rules relating fields checked over whatever did parse.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from pydantic import ValidationError

from .app import AppSpec
from .checks import ParsedService, check_app, check_services
from .errors import Problem, SpecError, in_file_order, problems_from
from .limits import MAX_SERVICES
from .service import ServiceSpec
from .yaml_reader import load_yaml

# Stands in for an invalid image while the rest of its service is checked.
_ANY_IMAGE = "placeholder"


def parse_spec(data: Any, source: str = "spec") -> AppSpec:
    """Validate already-parsed YAML data; raise `SpecError` naming `source` on any problem."""
    if not isinstance(data, dict):
        raise SpecError(source, [Problem("", "the spec must be a mapping with keys app and services")])
    try:
        spec = AppSpec.model_validate(data)
    except ValidationError as error:
        problems = problems_from(error, AppSpec, data=data)
        problems += check_services(*_what_parsed(data, error))
        raise SpecError(source, in_file_order(problems, data)) from None
    problems = check_app(spec)
    if problems:
        raise SpecError(source, in_file_order(problems, data))
    return spec


def _what_parsed(data: dict[Any, Any], error: ValidationError) -> tuple[dict[str, ParsedService], set[str]]:
    """The services as far as they parsed, and every service name, valid body or not."""
    services = data.get("services")
    if not isinstance(services, dict) or len(services) > MAX_SERVICES:
        return {}, set()
    broken: dict[Any, set[str]] = {}
    for err in error.errors(include_url=False):
        loc = err["loc"]
        if len(loc) < 2 or loc[0] != "services":
            continue
        fields = broken.setdefault(loc[1], set())
        if len(loc) == 2:
            fields.add("")  # the whole body
        elif loc[2] != "[key]" and isinstance(loc[2], str):
            fields.add(loc[2])
    parsed = {}
    for name, body in services.items():
        fields = broken.get(name, set())
        if not isinstance(name, str) or not isinstance(body, dict) or "" in fields:
            continue
        kept = {k: v for k, v in body.items() if k not in fields}
        if "image" in fields or "image" not in kept:
            kept["image"] = _ANY_IMAGE
        try:
            parsed[name] = ParsedService(ServiceSpec.model_validate(kept), frozenset(fields))
        except ValidationError:
            continue
    return parsed, {name for name in services if isinstance(name, str)}


def load_spec(path: Path) -> AppSpec:
    """Read and validate the spec file at `path`."""
    return parse_spec(load_yaml(path), str(path))
