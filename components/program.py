"""The Pulumi program: the same function runs under `pulumi up` and the offline preview."""

from __future__ import annotations

from pathlib import Path

import pulumi
from pulumi.runtime import config as runtime_config

from .application import Application
from .appspec import AppSpec, Problem, SpecError, apply_overrides, load_spec
from .resolve import Move, ResolvedApp, resolve
from .settings import PROJECT, StackSettings, parse_settings, set_secret_command
from .wiring.validate import check_placement

OFFLINE_SECURE_VALUE = "offline-placeholder"  # a `secure:` stack value read without its key
OFFLINE_SECRET_PREFIX = "offline-secret:"


def offline_secret(name: str) -> str:
    """The offline preview's stand-in for secret `name` (a secret with no value, or with a
    value it cannot decrypt); the preview shows it as `[secret:<name>]`."""
    return OFFLINE_SECRET_PREFIX + name


def stack_source() -> str:
    """How errors name the stack's config: its stack file."""
    return f"Pulumi.{pulumi.get_stack()}.yaml"


def read_settings() -> StackSettings:
    """The stack's `hybrid-platform:*` config, from wherever the engine put it."""
    # Pulumi passes config as the PULUMI_CONFIG environment variable or sets it in
    # the runtime; listing every key (not just known ones) lets typos be reported.
    keys = set(runtime_config.CONFIG.get()) | set(runtime_config.get_config_env())
    raw = {k: runtime_config.get_config(k) for k in keys}
    secret = {k for k in keys if runtime_config.is_config_secret(k)}
    secret |= set(runtime_config.get_config_secret_keys_env())
    return parse_settings(raw, secret, stack_source())


def secret_outputs(app: ResolvedApp, settings: StackSettings, offline: bool) -> dict[str, pulumi.Output[str]]:
    """Each secret the spec uses, as a Pulumi secret. Missing ones stop `pulumi up`;
    the offline preview uses a placeholder naming the secret (still a secret), and warns."""
    secrets, missing = {}, []
    for name, users in app.secret_users().items():
        value = settings.secrets.get(name)
        if value is not None:
            plain = value.get_secret_value()
            undecrypted = offline and plain == OFFLINE_SECURE_VALUE
            secrets[name] = pulumi.Output.secret(offline_secret(name) if undecrypted else plain)
            continue
        problem = Problem(
            f"{PROJECT}:secrets.{name}",
            f"missing (used by {', '.join(users)}); set it with: "
            + set_secret_command(f"secrets.{name}", pulumi.get_stack()),
        )
        if offline:
            pulumi.log.warn(f"{problem.path}: {problem.message}; the offline preview uses a placeholder")
            secrets[name] = pulumi.Output.secret(offline_secret(name))
        else:
            missing.append(problem)
    if missing:
        raise SpecError(stack_source(), missing)
    return secrets


def resolve_app(spec: AppSpec, settings: StackSettings, source: str) -> ResolvedApp:
    """The spec with the settings' overrides, its placement checked, resolved; problems are a
    `SpecError` naming `source` and the config key."""
    spec = apply_overrides(spec, settings.overrides, source, prefix=f"{PROJECT}:overrides.")
    problems = check_placement(spec, settings)
    if problems:
        raise SpecError(source, problems)
    moves = {name: Move(m.to, m.step, fresh_data=m.data == "fresh") for name, m in settings.moves.items()}
    return resolve(spec, settings.protect_data, settings.target, settings.placement, moves)


def program(stacks_dir: Path, offline: bool = False) -> None:
    """Read the stack's settings and spec, resolve them, and declare the app."""
    settings = read_settings()
    app = resolve_app(load_spec(stacks_dir / settings.spec), settings, stack_source())
    application = Application(app, settings, secret_outputs(app, settings, offline))
    pulumi.export("target", settings.target)
    pulumi.export("endpoints", application.endpoints)
    for key, value in application.stack_outputs.items():
        pulumi.export(key, value)


def pulumi_main(stacks_dir: Path) -> None:
    """Entry point for `pulumi up`: input errors end the run with their message, no traceback."""
    try:
        program(stacks_dir)
    except SpecError as error:
        raise pulumi.RunError("invalid input:\n" + "\n".join(error.lines())) from None
