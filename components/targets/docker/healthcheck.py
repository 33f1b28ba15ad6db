"""Resolved health -> the provider's healthcheck argument (durations as Go duration strings)."""

from __future__ import annotations

import pulumi_docker as docker

from ...health import Health


def build_healthcheck(health: Health) -> docker.ContainerHealthcheckArgs:
    """The Docker HEALTHCHECK of a service."""
    return docker.ContainerHealthcheckArgs(
        tests=health.engine_test,
        interval=health.interval.go,
        timeout=health.timeout.go,
        retries=health.retries,
        start_period=health.start_period.go,
    )
