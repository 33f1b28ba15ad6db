"""Stack settings: typed, validated view of a stack's Pulumi config (`hybrid-platform:*` keys).

Pulumi hands config to the program as text (objects as JSON). `read_settings`
decodes that text the same way for `pulumi up` and the offline preview, then
validates it; a wrong key or value is a `SpecError` that names the config key.
"""

from __future__ import annotations

import ipaddress
import json
from typing import Annotated, Any

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, SecretStr, ValidationError

from .spec.errors import Problem, SpecError, problems_from
from .spec.names import SecretName
from .targets import TARGETS

PROJECT = "hybrid-platform"

# How Pulumi's text value of each key is decoded before validation.
KEY_KINDS: dict[str, str] = {
    "target": "text",
    "spec": "text",
    "overrides": "object",
    "protect_data": "bool",
    "docker": "object",
    "secrets": "object",
}


def set_secret_command(path: str, stack: str | None = None) -> str:
    """The command that sets secret config `path` (e.g. `secrets.db-password`)."""
    command = f"pulumi config set --secret --path '{path}' <value>"
    return f"{command} --stack {stack}" if stack else command


def _check_ip(value: str) -> str:
    try:
        ipaddress.ip_address(value)
    except ValueError:
        raise ValueError(f"{value!r} is not an IP address; use e.g. 127.0.0.1") from None
    return value


def _check_target(value: str) -> str:
    if value not in TARGETS:
        raise ValueError(f"{value!r} is not a target; available: {', '.join(TARGETS)}")
    return value


class SettingsModel(BaseModel):
    """Base of settings sections: unknown keys rejected, frozen."""

    model_config = ConfigDict(extra="forbid", frozen=True, strict=True)


class DockerSettings(SettingsModel):
    """`docker`: which daemon, where public ports bind, and the sandbox runtime."""

    host: Annotated[str, Field(pattern=r"^(unix|tcp|ssh|npipe)://\S+$")] | None = None
    bind_address: Annotated[str, AfterValidator(_check_ip)] = "127.0.0.1"
    sandbox_runtime: Annotated[str, Field(pattern=r"^[a-z][a-z0-9._-]*$")] = "runsc"


class StackSettings(SettingsModel):
    """Everything a stack can set. Sections for other targets come with those targets."""

    target: Annotated[str, AfterValidator(_check_target)]
    spec: Annotated[str, Field(min_length=1)] = "app.yaml"
    overrides: dict[str, Any] | None = None
    protect_data: bool = False
    docker: DockerSettings = DockerSettings()
    secrets: dict[SecretName, SecretStr] = {}


def parse_settings(raw: dict[str, str], secret_keys: set[str], source: str) -> StackSettings:
    """Validate `raw` (`{"hybrid-platform:target": "docker", ...}`, values as Pulumi's text)."""
    problems: list[Problem] = []
    values: dict[str, Any] = {}
    prefix = f"{PROJECT}:"
    for full_key, text in sorted(raw.items()):
        if not full_key.startswith(prefix):
            continue
        key = full_key[len(prefix) :]
        kind = KEY_KINDS.get(key)
        if kind is None:
            problems.append(Problem(full_key, f"unknown config key; allowed: {', '.join(KEY_KINDS)}"))
            continue
        try:
            values[key] = _decode(kind, text)
        except ValueError as error:
            problems.append(Problem(full_key, str(error)))
    if "secrets" in values and f"{prefix}secrets" not in secret_keys:
        problems.append(
            Problem(
                f"{prefix}secrets",
                f"values must be Pulumi secrets; set each with: {set_secret_command('secrets.<name>')}",
            )
        )
    if "target" not in values and not problems:
        problems.append(
            Problem(
                f"{prefix}target",
                f"required; set it with: pulumi config set target <{'|'.join(TARGETS)}>",
            )
        )
    if problems:
        raise SpecError(source, problems)
    prefix = f"{PROJECT}:"
    try:
        return StackSettings.model_validate(values)
    except ValidationError as error:
        raise SpecError(source, problems_from(error, StackSettings, prefix=prefix)) from None


def _decode(kind: str, text: Any) -> Any:
    if not isinstance(text, str):
        return text
    if kind == "bool":
        if text.lower() not in ("true", "false"):
            raise ValueError(f"must be true or false (got {text!r})")
        return text.lower() == "true"
    if kind == "object":
        try:
            value = json.loads(text)
        except json.JSONDecodeError:
            raise ValueError("must be a mapping (YAML object)") from None
        if not isinstance(value, dict):
            raise ValueError("must be a mapping (YAML object)")
        return value
    return text
