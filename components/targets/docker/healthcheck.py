"""Spec health -> the provider's healthcheck argument (durations as Go duration strings)."""

from __future__ import annotations

import pulumi_docker as docker

from ...appspec import HealthSpec
from ...appspec.units import go_duration
from ...probes import probe_test


def build_healthcheck(health: HealthSpec) -> docker.ContainerHealthcheckArgs:
    """The Docker HEALTHCHECK of a service."""
    return docker.ContainerHealthcheckArgs(
        tests=probe_test(health),
        interval=go_duration(health.interval),
        timeout=go_duration(health.timeout),
        retries=health.retries,
        start_period=go_duration(health.start_period),
    )
