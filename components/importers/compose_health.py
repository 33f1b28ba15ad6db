"""Compose `healthcheck` as the spec's `health`: `test` in its CMD, CMD-SHELL and string forms
becomes an exec probe; the timing keeps Compose's defaults (30s interval and timeout)."""

from __future__ import annotations

from typing import Any

from .report import Report
from .source_files import path_join
from .units import compose_duration_ms, duration_text

# Compose's (and Docker's HEALTHCHECK) defaults; the spec's own are shorter, so they are written out.
DEFAULTS_MS = {"interval": 30_000, "timeout": 30_000, "start_period": 0}
_KEYS = {"test", "interval", "timeout", "retries", "start_period", "start_interval", "disable"}


def build_health(check: Any, path: str, report: Report) -> dict[str, Any] | None:
    """The spec's `health` for the Compose healthcheck at `path`, or None (with the reason)."""
    if not isinstance(check, dict):
        report.error(path, "must be a mapping with test, interval, timeout, retries, start_period")
        return None
    for key in sorted(str(k) for k in check if k not in _KEYS and not str(k).startswith("x-")):
        report.error(path_join(path, key), f"unknown key; allowed: {', '.join(sorted(_KEYS))}")
    if _is_true(check.get("disable")) or check.get("test") in (["NONE"], "NONE"):
        report.warn(
            path,
            "disables the image's HEALTHCHECK, which the spec cannot do (Docker and Podman would still "
            "run it); no health check was set; rebuild the image without HEALTHCHECK if it must not run",
        )
        return None
    if check.get("test") is None:
        report.warn(
            path,
            "has no test: Compose keeps the image's HEALTHCHECK command with new timing; the spec needs the "
            "command itself; dropped; copy the command from the image (docker inspect) into health.exec",
        )
        return None
    command = _command(check["test"], path_join(path, "test"), report)
    if command is None:
        return None
    health: dict[str, Any] = {"exec": {"command": command}}
    for key, default in DEFAULTS_MS.items():
        value = check.get(key)
        try:
            ms = default if value is None else compose_duration_ms(value)
        except ValueError as error:
            report.error(path_join(path, key), str(error))
            continue
        if ms == 0 and key != "start_period":
            report.warn(path_join(path, key), f"0 is not a valid {key}; the Compose default 30s is used")
            ms = default
        health[key] = duration_text(ms)
    health["retries"] = _retries(check.get("retries"), path_join(path, "retries"), report)
    if check.get("start_interval") is not None:
        report.warn(
            path_join(path, "start_interval"),
            "not kept: the spec checks at one interval; during start_period checks run every interval",
        )
    return {k: health[k] for k in ("exec", "interval", "timeout", "retries", "start_period") if k in health}


def _command(test: Any, path: str, report: Report) -> list[str] | None:
    if isinstance(test, str):
        if not test.strip():
            report.error(path, 'is empty; use e.g. ["CMD", "pg_isready"] or "curl -f http://localhost/"')
            return None
        return ["/bin/sh", "-c", test]
    if not isinstance(test, list) or not test or not all(isinstance(t, str | int | float) for t in test):
        report.error(path, "must be a string or a list starting with CMD, CMD-SHELL or NONE")
        return None
    kind, args = str(test[0]), [str(t) for t in test[1:]]
    if kind == "CMD" and args:
        return args
    if kind == "CMD-SHELL" and args:
        return ["/bin/sh", "-c", " ".join(args)]
    report.error(
        path,
        f'a list must be ["CMD", command, args...] or ["CMD-SHELL", "shell command"] (got {test[0]!r}'
        f"{' with nothing to run' if kind in ('CMD', 'CMD-SHELL') else ''})",
    )
    return None


def _retries(value: Any, path: str, report: Report) -> int:
    if value is None:
        return 3
    try:
        retries = int(str(value))
    except ValueError:
        report.error(path, f"{value!r} is not a number of retries; use e.g. 3")
        return 3
    if not 1 <= retries <= 100:
        report.warn(path, f"{retries} is outside the spec's 1-100; {min(max(retries, 1), 100)} is used")
        return min(max(retries, 1), 100)
    return retries


def _is_true(value: Any) -> bool:
    return value is True or (isinstance(value, str) and value.lower() == "true")
