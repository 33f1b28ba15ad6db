"""Compose `environment`, `env_file` and `secrets` as the spec's `env` and `secret_env`.

Secrets never reach the spec as text: a Compose secret becomes a `secret_env` entry (the
`VAR_FILE=/run/secrets/x` convention becomes `VAR`), and a plaintext value whose name says
it is a secret (or a URL with a password) becomes one too, with the command that sets it."""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from typing import Any

from .compose_file import ComposeFile
from .dotenv import parse_env_file, resolve_env_lines
from .draft import ServiceDraft
from .interpolate import InterpolationError, interpolate
from .names import secret_label
from .report import Report
from .secrets import SecretBook, derived_secret_name, file_source, is_secret, variable_source
from .source_files import path_join, read_text

_ENV_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")  # matched whole


@dataclass(frozen=True)
class EnvVar:
    """A variable the service gets, where it was set, and whether it went to `secret_env`."""

    name: str
    value: str
    where: str
    secret: bool = False
    file: str | None = None

    @property
    def described(self) -> str:
        """Where the value is, for a person: the path, and the env file it came from."""
        return f"{self.where} (in {self.file})" if self.file else self.where


def add_environment(
    draft: ServiceDraft,
    service: str,
    definition: dict[str, Any],
    path: str,
    compose: ComposeFile,
    book: SecretBook,
    report: Report,
) -> list[EnvVar]:
    """Fill `draft.env` / `draft.secret_env`; returns every variable, secrets included, so
    their values can be checked for service names (values are never printed)."""
    found = _from_env_files(definition.get("env_file"), path_join(path, "env_file"), compose, report)
    environment = _from_environment(
        definition.get("environment"), path_join(path, "environment"), compose, report
    )
    for name, var in environment.items():
        if var is None:
            found.pop(name, None)  # listed without a value and unresolved: Compose removes it
        else:
            found[name] = var
    from_secrets = _compose_secrets(
        definition.get("secrets"), path_join(path, "secrets"), found, compose, book, report
    )
    variables: list[EnvVar] = []
    for var in found.values():
        if not _ENV_NAME.fullmatch(var.name):
            report.warn(
                var.where,
                f"{var.name!r} is not a variable name the spec allows (letters, digits, _); dropped; "
                "rename it in the app",
            )
            continue
        if is_secret(var.name, var.value):
            secret, shared_with = book.from_value(
                derived_secret_name(service, var.name),
                var.value,
                var.where,
                f"the value of {var.described} in {report.source}",
            )
            draft.secret_env[var.name] = secret
            report.warn(
                var.where,
                f"holds a secret in plaintext{f' (in {var.file})' if var.file else ''}; it is secret_env "
                f"{var.name} -> secret {secret}"
                + (f", shared with {shared_with} (the same value)" if shared_with else "")
                + "; set the value in each stack with the command printed below",
            )
            variables.append(EnvVar(var.name, var.value, var.where, True, var.file))
            continue
        draft.env[var.name] = var.value
        variables.append(var)
    for name, secret in from_secrets.items():
        draft.env.pop(name, None)
        draft.secret_env[name] = secret
    return variables


def _from_env_files(entries: Any, path: str, compose: ComposeFile, report: Report) -> dict[str, EnvVar]:
    if entries is None:
        return {}
    items = [entries] if isinstance(entries, str | dict) else entries
    if not isinstance(items, list):
        report.error(path, "must be a file name or a list of them, e.g. [.env.web]")
        return {}
    found: dict[str, EnvVar] = {}
    for i, item in enumerate(items):
        where = path_join(path, i) if isinstance(entries, list) else path
        file, required, raw = _env_file_entry(item)
        if file is None:
            report.error(where, "must be a file name or {path: FILE, required: true|false}")
            continue
        full = compose.directory / file
        if not full.is_file():
            if required:
                report.error(where, f"{file}: no such file (relative to the compose file's folder)")
            continue
        entries_in_file, problems = parse_env_file(read_text(full, str(full)))
        for problem in problems:
            report.error(where, f"{file}: {problem}")

        def expand(text: str, where: str = where, file: str = file) -> str:
            try:
                return interpolate(text, compose.variables).text
            except InterpolationError as error:
                report.error(where, f"{file}: {error}")
                return text

        values = resolve_env_lines(entries_in_file, None if raw else expand)
        for name, value in values.items():
            if value is None:
                found.pop(name, None)
            else:
                found[name] = EnvVar(name, value, path_join(path, name), file=file)
    return found


def _env_file_entry(item: Any) -> tuple[str | None, bool, bool]:
    if isinstance(item, str):
        return item, True, False
    if isinstance(item, dict) and isinstance(item.get("path"), str):
        return item["path"], item.get("required", True) is not False, item.get("format") == "raw"
    return None, True, False


def _from_environment(
    entries: Any, path: str, compose: ComposeFile, report: Report
) -> dict[str, EnvVar | None]:
    if entries is None:
        return {}
    pairs: list[tuple[str, Any, str]] = []
    if isinstance(entries, dict):
        pairs = [(str(k), v, path_join(path, str(k))) for k, v in entries.items()]
    elif isinstance(entries, list):
        for i, item in enumerate(entries):
            if not isinstance(item, str):
                report.error(path_join(path, i), f"{item!r} is not VAR=VALUE")
                continue
            name, eq, text = item.partition("=")
            pairs.append((name, text if eq else None, path_join(path, name)))
    else:
        report.error(path, "must be a mapping (VAR: value) or a list (- VAR=value)")
        return {}
    found: dict[str, EnvVar | None] = {}
    for name, given, where in pairs:
        value: Any = compose.variables.get(name) if given is None else given
        if value is None:
            report.warn(
                where,
                f"{name} has no value: Compose takes it from the shell that runs it, which an import cannot "
                "see; dropped; set it in env (or in .env next to the compose file) and import again",
            )
            found[name] = None
            continue
        if isinstance(value, dict | list):
            report.error(where, "must be text, a number or a boolean")
            continue
        text = ("true" if value else "false") if isinstance(value, bool) else str(value)
        found[name] = EnvVar(name, text, where)
    return found


def _compose_secrets(
    entries: Any,
    path: str,
    env: dict[str, EnvVar],
    compose: ComposeFile,
    book: SecretBook,
    report: Report,
) -> dict[str, str]:
    """Env var -> secret name for the service's Compose secrets; `*_FILE` vars pointing at a
    secret's file are replaced by the variable without `_FILE`."""
    if entries is None:
        return {}
    if not isinstance(entries, list):
        report.error(path, "must be a list of secret names or {source, target}")
        return {}
    result: dict[str, str] = {}
    for i, entry in enumerate(entries):
        where = path_join(path, i)
        source, target = _secret_entry(entry)
        if source is None:
            report.error(where, f"{entry!r} is not a secret; use a name or {{source: NAME, target: FILE}}")
            continue
        if source not in compose.secrets:
            known = ", ".join(sorted(map(str, compose.secrets))) or "none"
            report.error(
                where, f"secret {source!r} is not defined under the top-level secrets: (defined: {known})"
            )
            continue
        secret = _secret_name(source, compose, book, report)
        file = target if target.startswith("/") else f"/run/secrets/{target}"
        readers = [v for v in env.values() if v.value == file and v.name.endswith("_FILE")]
        for reader in readers:
            var = reader.name.removesuffix("_FILE")
            env.pop(reader.name)
            result[var] = secret
            report.warn(
                reader.where,
                f"read secret {source} from the file {file}; the spec passes secrets as environment "
                f"variables, so it is secret_env {var} -> {secret}; check that the image reads {var}",
            )
        if not readers:
            var = re.sub(r"[^A-Za-z0-9]+", "_", os.path.basename(target)).strip("_").upper() or "SECRET"
            result[var] = secret
            report.warn(
                where,
                f"secret {source} was the file {file}; the spec "
                "passes secrets as environment variables, so it is "
                f"secret_env {var} -> {secret}; make the app read "
                f"{var} (or its file: bake a wrapper into the image)",
            )
    return result


def _secret_entry(entry: Any) -> tuple[str | None, str]:
    if isinstance(entry, str) and entry:
        return entry, entry
    if isinstance(entry, dict) and isinstance(entry.get("source"), str):
        target = entry.get("target")
        return entry["source"], str(target) if target else entry["source"]
    return None, ""


def _secret_name(source: str, compose: ComposeFile, book: SecretBook, report: Report) -> str:
    definition = compose.secrets.get(source) or {}
    wanted = secret_label(source)
    where = f"secrets.{source}"
    if isinstance(definition, dict) and isinstance(definition.get("file"), str):
        file = os.path.normpath(compose.directory / definition["file"])
        return book.from_source(wanted, file_source(file), f"the file {file}")
    if isinstance(definition, dict) and isinstance(definition.get("environment"), str):
        var = definition["environment"]
        return book.from_source(wanted, variable_source(var), f"the variable {var} of your shell")
    if isinstance(definition, dict) and isinstance(definition.get("content"), str):
        origin = f"the content of {where} in {report.source}"
        return book.from_value(wanted, definition["content"], where, origin)[0]
    if not (isinstance(definition, dict) and definition.get("external")):
        report.error(where, "needs file, environment or external: true")
        return wanted
    return book.from_source(
        wanted, "'<value>'", f"external secret {source}: its value is not in the compose file"
    )
