"""Spec health -> the check command a container engine runs inside the container.

Docker and Podman both take the HEALTHCHECK form: `["CMD", ...]` runs a program,
`["CMD-SHELL", "..."]` runs a shell line. Engines cannot do HTTP or TCP checks
themselves, so those become small shell lines trying the usual tools in turn:
wget, curl, then a plain HTTP/1.0 request through nc (busybox-only images).
"""

from __future__ import annotations

import shlex

from .appspec import ExecProbe, HealthSpec, HttpProbe, TcpProbe


def probe_test(health: HealthSpec) -> list[str]:
    """The HEALTHCHECK `test` for the spec's probe."""
    probe = health.probe
    if isinstance(probe, ExecProbe):
        return ["CMD", *probe.command]
    if isinstance(probe, HttpProbe):
        url = shlex.quote(f"http://127.0.0.1:{probe.port}{probe.path}")
        request = shlex.quote(f"GET {probe.path} HTTP/1.0\\r\\nHost: 127.0.0.1\\r\\n\\r\\n")
        return [
            "CMD-SHELL",
            f"wget -q -O /dev/null {url} 2>/dev/null || curl -fsS -o /dev/null {url} 2>/dev/null"
            f" || printf {request} | nc -w 3 127.0.0.1 {probe.port} | head -n 1 | grep -q ' [23][0-9][0-9] '"
            " || exit 1",
        ]
    assert isinstance(probe, TcpProbe)
    port = probe.port
    return [
        "CMD-SHELL",
        f"nc -z 127.0.0.1 {port} 2>/dev/null || nc -w 2 127.0.0.1 {port} </dev/null >/dev/null 2>&1"
        f" || bash -c '</dev/tcp/127.0.0.1/{port}' 2>/dev/null || exit 1",
    ]


def wait_timeout_seconds(health: HealthSpec) -> int:
    """How long to wait for a new replica to report healthy before calling it failed."""
    worst_ms = health.start_period + (health.retries + 1) * (health.interval + health.timeout)
    return max(60, -(-worst_ms // 1000))
