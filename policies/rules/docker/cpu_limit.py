"""A CPU limit."""

from __future__ import annotations

from ...framework import Messages, Params, Resource, control
from . import CONTAINER


@control(
    id="docker-cpu-limit",
    target="docker",
    severity="medium",
    benchmark="CIS Docker 5.12",
    description="Containers have a CPU limit.",
    remediation="Set resources.cpus in the spec.",
    isolation=True,
    types=CONTAINER,
)
def cpu_limit(r: Resource, _: Params) -> Messages:
    if not any(k in r.props for k in ("cpus", "cpuQuota", "cpuShares", "cpuSet")):
        yield "has no CPU limit"
