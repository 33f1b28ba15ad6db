"""Spec health -> Docker HEALTHCHECK. Docker runs checks inside the container, so
http and tcp probes become small shell commands (see CAPABILITIES)."""

from __future__ import annotations

import shlex

import pulumi_docker as docker

from ...spec import ExecProbe, HealthSpec, HttpProbe, TcpProbe
from ...spec.units import go_duration


def probe_command(health: HealthSpec) -> list[str]:
    """The `test` of a Docker healthcheck for the spec's probe."""
    probe = health.probe
    if isinstance(probe, ExecProbe):
        return ["CMD", *probe.command]
    if isinstance(probe, HttpProbe):
        url = shlex.quote(f"http://127.0.0.1:{probe.port}{probe.path}")
        return [
            "CMD-SHELL",
            f"wget -q -O /dev/null {url} || curl -fsS -o /dev/null {url} || exit 1",
        ]
    assert isinstance(probe, TcpProbe)
    port = probe.port
    return [
        "CMD-SHELL",
        f"nc -z 127.0.0.1 {port} 2>/dev/null || nc -w 2 127.0.0.1 {port} </dev/null >/dev/null 2>&1"
        f" || bash -c '</dev/tcp/127.0.0.1/{port}' 2>/dev/null || exit 1",
    ]


def build_healthcheck(health: HealthSpec) -> docker.ContainerHealthcheckArgs:
    """Durations as Go duration strings, as the provider wants them."""
    return docker.ContainerHealthcheckArgs(
        tests=probe_command(health),
        interval=go_duration(health.interval),
        timeout=go_duration(health.timeout),
        retries=health.retries,
        start_period=go_duration(health.start_period),
    )


def wait_timeout_seconds(health: HealthSpec) -> int:
    """How long `pulumi up` waits for a new container to become healthy."""
    worst_ms = health.start_period + (health.retries + 1) * (health.interval + health.timeout)
    return max(60, -(-worst_ms // 1000))
