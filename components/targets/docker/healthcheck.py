"""Spec health -> the provider's healthcheck argument (durations as Go duration strings)."""

from __future__ import annotations

import pulumi_docker as docker

from ...probes import probe_test
from ...spec import HealthSpec
from ...spec.units import go_duration


def build_healthcheck(health: HealthSpec) -> docker.ContainerHealthcheckArgs:
    """The Docker HEALTHCHECK of a service."""
    return docker.ContainerHealthcheckArgs(
        tests=probe_test(health),
        interval=go_duration(health.interval),
        timeout=go_duration(health.timeout),
        retries=health.retries,
        start_period=go_duration(health.start_period),
    )
