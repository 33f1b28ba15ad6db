"""Stack settings: typed, validated view of a stack's Pulumi config (`hybrid-platform:*` keys).

Pulumi hands config to the program as text (objects as JSON). `parse_settings` decodes
that text the same way for `pulumi up` and the offline preview, then validates it; a
wrong key or value is a `SpecError` that names the config key. The core keys are
declared here; the sections (`docker`, `libvirt`, ...) by the targets that read them
(`components/targets/<target>/settings.py`), composed through the registry.
"""

from __future__ import annotations

import functools
import importlib
import json
from typing import Annotated, Any, Literal

from pydantic import AfterValidator, Field, SecretStr, ValidationError

from .appspec.base import with_example
from .appspec.errors import Problem, SpecError, problems_from
from .appspec.limits import MAX_LIST, MAX_SECRET_LENGTH, MAX_SERVICES, MAX_TEXT, at_most
from .appspec.names import SecretName, ServiceName
from .appspec.quoting import shown
from .appspec.text import TextForm
from .settings_section import Section, SettingsModel, SettingsSection
from .targets import TARGETS, module_path

PROJECT = "hybrid-platform"

# How Pulumi's text value of each core key is decoded before validation.
CORE_KINDS: dict[str, str] = {
    "target": "text",
    "spec": "text",
    "overrides": "object",
    "protect_data": "bool",
    "placement": "object",
    "accepted_gaps": "list",
    "moves": "object",
}
SECRETS_KEY = "secrets"
MAX_SECRETS = 1000


def set_secret_command(path: str, stack: str | None = None) -> str:
    """The command that sets secret config `path` (e.g. `secrets.db-password`)."""
    command = f"pulumi config set --secret --path '{path}' <value>"
    return f"{command} --stack {stack}" if stack else command


@functools.cache
def sections() -> dict[str, type[SettingsSection]]:
    """Config key -> section model, from every registered target's `settings.SECTIONS`."""
    found: dict[str, type[SettingsSection]] = {}
    for target in TARGETS:
        for model in importlib.import_module(module_path(target, "settings")).SECTIONS:
            found.setdefault(model.key, model)
    return found


def key_kinds() -> dict[str, str]:
    """Every config key this project reads, in the order errors list them."""
    return {**CORE_KINDS, **dict.fromkeys(sections(), "object"), SECRETS_KEY: "object"}


def secret_fields() -> tuple[tuple[str, str | None], ...]:
    """Config values that must be Pulumi secrets: (key, field inside it, or None for all of it)."""
    fields = [(key, field) for key, model in sections().items() for field in model.secret_fields]
    return ((SECRETS_KEY, None), *fields)


def _check_target(value: str) -> str:
    if value not in TARGETS:
        raise ValueError(f"{shown(value)} is not a target; available: {', '.join(TARGETS)}")
    return value


SpecPath = Annotated[
    str,
    TextForm(
        r"[^\x00-\x1f\x7f]+",
        title="spec file",
        rule="use a path relative to stacks/ (or absolute), printable text on one line",
        example="app.yaml",
        max_length=MAX_TEXT,
    ),
]


Target = Annotated[str, AfterValidator(_check_target)]


def _check_pair(value: str) -> str:
    client, arrow, server = value.partition("->")
    if not arrow or client not in TARGETS or server not in TARGETS or client == server:
        raise ValueError(
            f"{shown(value)} is not a pair of targets; write CLIENT->SERVER with two of "
            f"{', '.join(TARGETS)}, e.g. docker->vm"
        )
    return value


class MoveSettings(SettingsModel):
    """One service's move to another target, one `pulumi up` per step (README, "Moving a
    service"): `start` runs a second copy on `to` that already admits the clients;
    `switch` leads the service's name to it. Finishing is `placement: {service: to}`
    with the move removed. `data: fresh` lets a service with volumes move with empty
    volumes on the new copy (a store that replicates itself)."""

    model_config = with_example(SettingsModel.model_config, {"to": "hybrid", "step": "start"})

    to: Annotated[Target, Field(examples=["hybrid"])]
    step: Annotated[Literal["start", "switch"], Field(examples=["start"])]
    data: Annotated[Literal["fresh"], Field(examples=["fresh"])] | None = None


class CoreSettings(SettingsModel):
    """The keys every stack has, whatever its target."""

    model_config = with_example(SettingsModel.model_config, {"target": "docker"})

    target: Annotated[Target, Field(examples=["docker"])]
    spec: SpecPath = "app.yaml"
    overrides: Annotated[dict[str, Any], Field(examples=[{"web": {"replicas": 2}}])] | None = None
    protect_data: Annotated[bool, Field(examples=[False])] = False
    # service -> the target it runs on instead of `target` (checked against the spec later)
    placement: Annotated[
        dict[ServiceName, Target], Field(examples=[{"db": "vm"}]), at_most(MAX_SERVICES, "services")
    ] = {}
    # target pairs whose weaker enforcement across targets the stack accepts (`docker->vm`)
    accepted_gaps: Annotated[
        list[Annotated[str, AfterValidator(_check_pair)]],
        Field(examples=[["docker->vm"]]),
        at_most(MAX_LIST, "target pairs"),
    ] = []
    # service -> its move in progress (checked against the spec and placement later)
    moves: Annotated[
        dict[ServiceName, MoveSettings],
        Field(examples=[{"api": {"to": "hybrid", "step": "start"}}]),
        at_most(MAX_SERVICES, "services"),
    ] = {}
    secrets: Annotated[
        dict[SecretName, Annotated[SecretStr, Field(max_length=MAX_SECRET_LENGTH)]],
        at_most(MAX_SECRETS, "secrets"),
        Field(examples=[{"db-password": {"secure": "v1:..."}}]),
    ] = {}


class StackSettings(CoreSettings):
    """Everything a stack sets: the core keys and each section given (defaults otherwise)."""

    given_sections: dict[str, Any] = {}

    def section(self, model: type[Section]) -> Section:
        """The stack's `model.key` section, or its defaults when the stack does not set it."""
        value = self.given_sections.get(model.key)
        return value if isinstance(value, model) else model()


def parse_settings(raw: dict[str, str], secret_keys: set[str], source: str) -> StackSettings:
    """Validate `raw` (`{"hybrid-platform:target": "docker", ...}`, values as Pulumi's text)."""
    problems: list[Problem] = []
    values: dict[str, Any] = {}
    prefix = f"{PROJECT}:"
    kinds = key_kinds()
    for full_key, text in sorted(raw.items()):
        if not full_key.startswith(prefix):
            continue
        key = full_key[len(prefix) :]
        kind = kinds.get(key)
        if kind is None:
            problems.append(Problem(full_key, f"unknown config key; allowed: {', '.join(kinds)}"))
            continue
        try:
            values[key] = _decode(kind, text)
        except ValueError as error:
            problems.append(Problem(full_key, str(error)))
    for key, field in secret_fields():
        value = values.get(key)
        if f"{prefix}{key}" in secret_keys or not isinstance(value, dict):
            continue
        # A whole map of secrets: each value it holds in plain text (an empty map holds none).
        for name in [field] if field else sorted(value):
            if name in value:
                path = f"{key}.{name}"
                fix = f"must be a Pulumi secret; set it with: {set_secret_command(path)}"
                problems.append(Problem(f"{prefix}{path}", fix))
    if "target" not in values and not problems:
        problems.append(
            Problem(
                f"{prefix}target",
                f"required; set it with: pulumi config set target <{'|'.join(TARGETS)}>",
            )
        )
    if problems:
        raise SpecError(source, problems)
    given: dict[str, SettingsSection] = {}
    for key, model in sections().items():
        if key in values:
            data = values.pop(key)
            try:
                given[key] = model.model_validate(data)
            except ValidationError as error:
                problems += problems_from(error, model, prefix=f"{prefix}{key}.", data=data)
    try:
        core = CoreSettings.model_validate(values)
    except ValidationError as error:
        problems = problems_from(error, CoreSettings, prefix=prefix, data=values) + problems
    if problems:
        raise SpecError(source, problems)
    return StackSettings.model_construct(**core.__dict__, given_sections=given)


def _decode(kind: str, text: Any) -> Any:
    if not isinstance(text, str):
        return text
    if kind == "bool":
        if text.lower() not in ("true", "false"):
            raise ValueError(f"must be true or false (got {shown(text)})")
        return text.lower() == "true"
    if kind == "list":
        try:
            value = json.loads(text)
        except (ValueError, RecursionError):
            raise ValueError("must be a list, e.g. [docker->vm]") from None
        if not isinstance(value, list):
            raise ValueError("must be a list, e.g. [docker->vm]")
        return value
    if kind == "object":
        try:
            value = json.loads(text)
        except (ValueError, RecursionError):  # not JSON, a number too long, nested too deep
            raise ValueError("must be a mapping (YAML object)") from None
        if not isinstance(value, dict):
            raise ValueError("must be a mapping (YAML object)")
        return value
    return text
