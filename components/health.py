"""Health checks normalised once, in the resolve step: every target reads one `Health`.

Units as the targets need them are derived here, not in each target: Go duration strings
for Docker and Podman, whole seconds for the kubelet. Container engines cannot do HTTP or
TCP checks themselves, so `engine_test` turns those into small shell lines trying the
usual tools in turn (wget, curl, then a plain HTTP/1.0 request through nc for
busybox-only images); Docker and Podman both take this HEALTHCHECK form: `["CMD", ...]`
runs a program, `["CMD-SHELL", "..."]` a shell line.
"""

from __future__ import annotations

import math
import shlex
from dataclasses import dataclass

from .appspec import ExecProbe, HealthSpec, HttpProbe, Probe, TcpProbe

MIN_WAIT_SECONDS = 60


@dataclass(frozen=True)
class Duration:
    """A duration with the units targets ask for."""

    ms: int

    @property
    def go(self) -> str:
        """As a Go duration string (Docker, Podman): 10000 -> "10s"."""
        return f"{self.ms // 1000}s" if self.ms % 1000 == 0 else f"{self.ms}ms"

    @property
    def seconds(self) -> int:
        """Whole seconds, rounded up, at least 1 (the kubelet's probe fields)."""
        return max(1, math.ceil(self.ms / 1000))


@dataclass(frozen=True)
class Health:
    """One service's health check: the probe and its timing."""

    probe: Probe
    interval: Duration
    timeout: Duration
    retries: int
    start_period: Duration

    @property
    def engine_test(self) -> list[str]:
        """The HEALTHCHECK `test` a container engine runs inside the container."""
        probe = self.probe
        if isinstance(probe, ExecProbe):
            return ["CMD", *probe.command]
        if isinstance(probe, HttpProbe):
            url = shlex.quote(f"http://127.0.0.1:{probe.port}{probe.path}")
            # printf %b expands the \r\n escapes and takes the path literally (a `%` in it too)
            path = probe.path.replace("\\", "\\\\")
            request = shlex.quote(f"GET {path} HTTP/1.0\\r\\nHost: 127.0.0.1\\r\\n\\r\\n")
            return [
                "CMD-SHELL",
                f"wget -q -O /dev/null {url} 2>/dev/null || curl -fsS -o /dev/null {url} 2>/dev/null"
                f" || printf %b {request} | nc -w 3 127.0.0.1 {probe.port}"
                " | head -n 1 | grep -q ' [23][0-9][0-9] '"
                " || exit 1",
            ]
        assert isinstance(probe, TcpProbe)
        port = probe.port
        return [
            "CMD-SHELL",
            f"nc -z 127.0.0.1 {port} 2>/dev/null || nc -w 2 127.0.0.1 {port} </dev/null >/dev/null 2>&1"
            f" || bash -c '</dev/tcp/127.0.0.1/{port}' 2>/dev/null || exit 1",
        ]

    @property
    def wait_seconds(self) -> int:
        """How long to wait for a new replica to report healthy before calling it failed."""
        worst_ms = self.start_period.ms + (self.retries + 1) * (self.interval.ms + self.timeout.ms)
        return max(MIN_WAIT_SECONDS, math.ceil(worst_ms / 1000))

    @property
    def startup_checks(self) -> int:
        """Checks a startup probe allows: the start period's worth, then the retries."""
        return math.ceil(self.start_period.ms / self.interval.ms) + self.retries


def resolve_health(spec: HealthSpec | None) -> Health | None:
    """The spec's health block as targets read it."""
    if spec is None:
        return None
    return Health(
        probe=spec.probe,
        interval=Duration(spec.interval),
        timeout=Duration(spec.timeout),
        retries=spec.retries,
        start_period=Duration(spec.start_period),
    )
