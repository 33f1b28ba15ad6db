"""Compose health checks: each `test` form, durations, and what cannot be kept."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from tests.importers.helpers import WEB, one, problems


@pytest.mark.parametrize(
    ("test", "command"),
    [
        (["CMD", "pg_isready", "-U", "app"], ["pg_isready", "-U", "app"]),
        (
            ["CMD-SHELL", "curl -f http://localhost/ || exit 1"],
            ["/bin/sh", "-c", "curl -f http://localhost/ || exit 1"],
        ),
        (
            "wget -q -O- http://localhost:8080/health",
            ["/bin/sh", "-c", "wget -q -O- http://localhost:8080/health"],
        ),
        (["CMD", "redis-cli", "ping"], ["redis-cli", "ping"]),
    ],
)
def test_every_test_form_is_an_exec_probe(tmp_path: Path, test: Any, command: list[str]) -> None:
    web, said = one(tmp_path, {**WEB, "healthcheck": {"test": test}})
    assert web["health"] == {"exec": {"command": command}, "interval": "30s", "timeout": "30s", "retries": 3}
    assert said == []


@pytest.mark.parametrize(
    ("timing", "expected"),
    [
        (
            {"interval": "1m30s", "timeout": "10s", "retries": 5, "start_period": "40s"},
            {"interval": "1m30s", "timeout": "10s", "retries": 5, "start_period": "40s"},
        ),
        ({"interval": "500ms", "timeout": "250ms"}, {"interval": "500ms", "timeout": "250ms", "retries": 3}),
        ({"interval": "1h5m30s20ms"}, {"interval": "3930020ms", "timeout": "30s", "retries": 3}),
        ({"interval": "10us", "retries": "4"}, {"interval": "1ms", "timeout": "30s", "retries": 4}),
        ({}, {"interval": "30s", "timeout": "30s", "retries": 3}),
    ],
)
def test_durations(tmp_path: Path, timing: dict[str, Any], expected: dict[str, Any]) -> None:
    web, _ = one(tmp_path, {**WEB, "healthcheck": {"test": ["CMD", "true"], **timing}})
    assert web["health"] == {"exec": {"command": ["true"]}, **expected}


@pytest.mark.parametrize(
    ("check", "warning"),
    [
        (
            {"disable": True},
            "services.web.healthcheck: disables the image's HEALTHCHECK, which the spec cannot do (Docker and Podman would still run it); no health check was set; rebuild the image without HEALTHCHECK if it must not run",
        ),
        (
            {"test": ["NONE"]},
            "services.web.healthcheck: disables the image's HEALTHCHECK, which the spec cannot do (Docker and Podman would still run it); no health check was set; rebuild the image without HEALTHCHECK if it must not run",
        ),
        (
            {"interval": "5s"},
            "services.web.healthcheck: has no test: Compose keeps the image's HEALTHCHECK command with new timing; the spec needs the command itself; dropped; copy the command from the image (docker inspect) into health.exec",
        ),
    ],
)
def test_what_cannot_be_kept_is_a_warning(tmp_path: Path, check: dict[str, Any], warning: str) -> None:
    web, said = one(tmp_path, {**WEB, "healthcheck": check})
    assert "health" not in web
    assert said == [warning]


def test_start_interval_and_out_of_range_retries_are_warned(tmp_path: Path) -> None:
    web, said = one(tmp_path, {**WEB, "healthcheck": {"test": "true", "start_interval": "1s", "retries": 0}})
    assert web["health"]["retries"] == 1
    assert said == [
        "services.web.healthcheck.retries: 0 is outside the spec's 1-100; 1 is used",
        "services.web.healthcheck.start_interval: not kept: the spec checks at one interval; during start_period checks run every interval",
    ]


@pytest.mark.parametrize(
    ("check", "line"),
    [
        (
            {"test": ["curl", "-f", "http://localhost"]},
            'services.web.healthcheck.test: a list must be ["CMD", command, args...] or ["CMD-SHELL", "shell command"] (got \'curl\')',
        ),
        (
            {"test": ["CMD"]},
            'services.web.healthcheck.test: a list must be ["CMD", command, args...] or ["CMD-SHELL", "shell command"] (got \'CMD\' with nothing to run)',
        ),
        (
            {"test": "true", "interval": "ten seconds"},
            "services.web.healthcheck.interval: 'ten seconds' is not a duration; use e.g. 10s, 1m30s or 500ms",
        ),
        (
            {"test": "true", "retries": "many"},
            "services.web.healthcheck.retries: 'many' is not a number of retries; use e.g. 3",
        ),
        (
            {"test": "true", "intervall": "5s"},
            "services.web.healthcheck.intervall: unknown key; allowed: disable, interval, retries, start_interval, start_period, test, timeout",
        ),
        (
            "curl localhost",
            "services.web.healthcheck: must be a mapping with test, interval, timeout, retries, start_period",
        ),
    ],
)
def test_bad_health_checks_are_errors(tmp_path: Path, check: Any, line: str) -> None:
    assert problems(tmp_path, {"services": {"web": {**WEB, "healthcheck": check}}}) == [
        f"compose.yaml: {line}"
    ]
