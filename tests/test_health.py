"""`components.health`: the spec's health block in the units each target needs, and the
test line a container engine runs, checked as text and run under a real shell."""

from __future__ import annotations

import socket
import subprocess
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest

from components.appspec import ExecProbe, HealthSpec, HttpProbe
from components.health import Duration, Health, resolve_health
from tests.engines import require


def health(**fields: Any) -> Health:
    resolved = resolve_health(HealthSpec.model_validate(fields))
    assert resolved is not None
    return resolved


@pytest.mark.parametrize(
    ("ms", "go"),
    [(10_000, "10s"), (90_000, "90s"), (1_500, "1500ms"), (500, "500ms"), (0, "0s"), (1, "1ms")],
)
def test_go_durations_are_whole_seconds_or_milliseconds(ms: int, go: str) -> None:
    assert Duration(ms).go == go


@pytest.mark.parametrize(
    ("ms", "seconds"),
    [(0, 1), (1, 1), (999, 1), (1_000, 1), (1_001, 2), (2_500, 3), (90_000, 90)],
)
def test_seconds_round_up_and_are_at_least_one(ms: int, seconds: int) -> None:
    assert Duration(ms).seconds == seconds


def test_the_spec_becomes_one_health_with_its_timing() -> None:
    resolved = health(tcp={"port": 6379}, interval="1m30s", timeout="500ms", retries=7, start_period="2s")
    assert (resolved.interval, resolved.timeout, resolved.retries, resolved.start_period) == (
        Duration(90_000),
        Duration(500),
        7,
        Duration(2_000),
    )
    defaults = health(exec={"command": ["true"]})
    assert (defaults.interval.go, defaults.timeout.go, defaults.retries, defaults.start_period.go) == (
        "10s",
        "3s",
        3,
        "0s",
    )
    assert resolve_health(None) is None


def test_exec_runs_the_command_itself_without_a_shell() -> None:
    assert health(exec={"command": ["pg_isready", "-U", "app db"]}).engine_test == [
        "CMD",
        "pg_isready",
        "-U",
        "app db",
    ]


def test_http_tries_wget_then_curl_then_a_raw_request_through_nc() -> None:
    assert health(http={"path": "/healthz", "port": 8080}).engine_test == [
        "CMD-SHELL",
        "wget -q -O /dev/null http://127.0.0.1:8080/healthz 2>/dev/null"
        " || curl -fsS -o /dev/null http://127.0.0.1:8080/healthz 2>/dev/null"
        " || printf %b 'GET /healthz HTTP/1.0\\r\\nHost: 127.0.0.1\\r\\n\\r\\n' | nc -w 3 127.0.0.1 8080"
        " | head -n 1 | grep -q ' [23][0-9][0-9] ' || exit 1",
    ]


def test_http_paths_are_quoted_for_the_shell() -> None:
    (line,) = health(http={"path": "/a;b'$(x)", "port": 80}).engine_test[1:]
    assert "wget -q -O /dev/null 'http://127.0.0.1:80/a;b'\"'\"'$(x)' 2>/dev/null" in line


def test_tcp_tries_nc_then_bash() -> None:
    assert health(tcp={"port": 6379}).engine_test == [
        "CMD-SHELL",
        "nc -z 127.0.0.1 6379 2>/dev/null || nc -w 2 127.0.0.1 6379 </dev/null >/dev/null 2>&1"
        " || bash -c '</dev/tcp/127.0.0.1/6379' 2>/dev/null || exit 1",
    ]


@pytest.mark.parametrize(
    ("timing", "seconds"),
    [
        ({}, 60),  # 4 * (10 s + 3 s) = 52 s: never below a minute
        ({"interval": "30s", "timeout": "10s", "retries": 5, "start_period": "1m"}, 300),  # 60 + 6 * 40
        ({"interval": "1500ms", "timeout": "1001ms", "retries": 100}, 253),  # 101 * 2.501 s, rounded up
        ({"start_period": "5m", "retries": 1}, 326),  # 300 + 2 * 13
    ],
)
def test_wait_covers_the_start_period_and_every_retry(timing: dict[str, Any], seconds: int) -> None:
    assert health(tcp={"port": 80}, **timing).wait_seconds == seconds


@pytest.mark.parametrize(
    ("timing", "checks"),
    [
        ({}, 3),  # no start period: the retries alone
        ({"start_period": "30s"}, 6),  # 3 intervals of 10 s, then 3 retries
        ({"start_period": "25s"}, 6),  # a partial interval counts as one
        ({"start_period": "1ms", "retries": 1}, 2),
        ({"start_period": "2m", "interval": "7s", "retries": 4}, 22),  # ceil(120 / 7) + 4
    ],
)
def test_startup_checks_cover_the_start_period_then_the_retries(timing: dict[str, Any], checks: int) -> None:
    assert health(exec={"command": ["true"]}, **timing).startup_checks == checks


def test_the_probe_kept_is_the_one_the_spec_sets() -> None:
    assert health(http={"port": 8080}).probe == HttpProbe(port=8080, path="/")
    assert health(exec={"command": ["x"]}).probe == ExecProbe(command=["x"])


# The test lines under a real /bin/sh, with only the tools a busybox image has on PATH.


class Status(BaseHTTPRequestHandler):
    """Answers `/ok` with 200 and everything else with 500."""

    def do_GET(self) -> None:
        self.send_response(200 if self.path in ("/ok", "/status%20page") else 500)
        self.end_headers()

    def log_message(self, format: str, *args: Any) -> None:
        pass


@pytest.fixture
def http_port() -> Iterator[int]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), Status)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield server.server_address[1]
    server.shutdown()
    server.server_close()


def toolbox(tmp_path: Path, applets: tuple[str, ...]) -> dict[str, str]:
    """An environment whose PATH holds only these busybox applets (and `head`, `grep`)."""
    busybox = require("busybox", "apt-get install busybox-static; .ci/run does it")
    for applet in (*applets, "head", "grep"):
        (tmp_path / applet).symlink_to(busybox)
    return {"PATH": str(tmp_path)}


def run(line: list[str], env: dict[str, str]) -> int:
    assert line[0] == "CMD-SHELL"
    return subprocess.run(["/bin/sh", "-c", line[1]], env=env, timeout=30, check=False).returncode


@pytest.mark.parametrize("applets", [("wget",), ("nc",)], ids=["wget", "nc-only"])
@pytest.mark.parametrize(("path", "code"), [("/ok", 0), ("/broken", 1), ("/status%20page", 0)])
def test_the_http_check_passes_exactly_on_a_2xx(
    tmp_path: Path, http_port: int, applets: tuple[str, ...], path: str, code: int
) -> None:
    line = health(http={"path": path, "port": http_port}).engine_test
    assert run(line, toolbox(tmp_path, applets)) == code


def test_the_tcp_check_passes_exactly_when_the_port_accepts(tmp_path: Path, http_port: int) -> None:
    env = toolbox(tmp_path, ("nc",))
    assert run(health(tcp={"port": http_port}).engine_test, env) == 0
    with socket.socket() as unused:
        unused.bind(("127.0.0.1", 0))
        closed = unused.getsockname()[1]  # bound, never listening: connections are refused
        assert run(health(tcp={"port": closed}).engine_test, env) == 1
