"""Read `stacks/Pulumi.<stack>.yaml` the way the Pulumi CLI hands it to a program:
every value as text (objects as JSON), secure values decrypted. Offline there is
no key to decrypt with, so each secure value becomes a placeholder that stays
a secret. The file is read as specs are (`load_yaml`): dates stay the text they were
written as, duplicate keys, bombs and non-data tags are refused with their line."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..appspec import Problem, SpecError, load_yaml
from ..settings import PROJECT, secret_fields, set_secret_command

PLACEHOLDER = "offline-placeholder"


@dataclass(frozen=True)
class StackConfig:
    """Config as the program will read it: text values and the keys that are secret."""

    values: dict[str, str]
    secret_keys: set[str]


def stack_file(stacks_dir: Path, stack: str) -> Path:
    """The stack file of `stack`."""
    return stacks_dir / f"Pulumi.{stack}.yaml"


def available_stacks(stacks_dir: Path) -> list[str]:
    """Stacks that have a stack file."""
    return sorted(p.name[len("Pulumi.") : -len(".yaml")] for p in stacks_dir.glob("Pulumi.*.yaml"))


def read_stack_config(path: Path) -> StackConfig:
    """The `config:` of a stack file, as text, with secure values replaced by placeholders."""
    data = load_yaml(path) or {}
    config = (data.get("config") or {}) if isinstance(data, dict) else None
    if not isinstance(config, dict):
        raise SpecError(str(path), [Problem("config", "must be a mapping of config keys to values")])
    values, secret_keys, problems = {}, set(), []
    for key, value in config.items():
        full_key = str(key) if ":" in str(key) else f"{PROJECT}:{key}"
        plain, secret, plaintext = _unseal(value, full_key)
        for key_name, field in secret_fields():
            must_be_secret = f"{PROJECT}:{key_name}" + (f".{field}" if field else ".")
            problems += [
                Problem(p, f"is plaintext; set it with: {set_secret_command(p.split(':', 1)[1])}")
                for p in plaintext
                if p.startswith(must_be_secret) or p == must_be_secret
            ]
        values[full_key] = _as_text(plain)
        if secret:
            secret_keys.add(full_key)
    if problems:
        raise SpecError(str(path), problems)
    return StackConfig(values, secret_keys)


def _unseal(value: Any, path: str) -> tuple[Any, bool, list[str]]:
    """(value with `{secure: ...}` replaced, whether any was, leaf paths that were plaintext)."""
    if isinstance(value, dict) and set(value) == {"secure"}:
        return PLACEHOLDER, True, []
    if isinstance(value, dict):
        result: dict[str, Any] = {}
        secret, plain = False, list[str]()
        for k, v in value.items():
            result[k], s, p = _unseal(v, f"{path}.{k}")
            secret, plain = secret or s, plain + p
        return result, secret, plain
    if isinstance(value, list):
        items = [_unseal(v, f"{path}[{i}]") for i, v in enumerate(value)]
        return [i[0] for i in items], any(i[1] for i in items), [p for i in items for p in i[2]]
    return value, False, [path]


def _as_text(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dict | list):
        return json.dumps(value)
    return "" if value is None else str(value)
