"""Helpers for the translators' table tests: specs resolved in code (no YAML, no mock
runtime) and provider arguments read back as plain data."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from components.appspec import parse_spec
from components.resolve import ResolvedApp, ResolvedService, resolve

IMAGE = "example/app:1.0"


def resolve_app(
    services: Mapping[str, Mapping[str, Any]],
    target: str = "docker",
    placement: Mapping[str, str] | None = None,
    app: str = "shop",
) -> ResolvedApp:
    """An app of `services` (each `{field: value}` over `image: IMAGE`), checked and resolved
    as a stack would resolve it."""
    spec = {"app": app, "services": {name: {"image": IMAGE, **fields} for name, fields in services.items()}}
    return resolve(parse_spec(spec), protect_data=False, target=target, placement=placement)


def resolve_service(target: str = "docker", **fields: Any) -> ResolvedService:
    """One service `svc` of app `shop` with `fields` set, placed on `target`."""
    return resolve_app({"svc": fields}, target).services["svc"]


def plain(value: object) -> Any:
    """A provider SDK's `*Args` object as a dict of the arguments it was given (Python names;
    arguments left unset are absent), recursively through lists and dicts."""
    if type(value).__module__.startswith("pulumi_"):
        return {key: plain(item) for key, item in vars(value).items()}
    if isinstance(value, list | tuple):
        return [plain(item) for item in value]
    if isinstance(value, dict):
        return {key: plain(item) for key, item in value.items()}
    return value
