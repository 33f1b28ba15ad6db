"""A readiness or liveness probe: the twin of Docker's health check."""

from __future__ import annotations

from ...framework import Messages, Params, Resource, control
from ...read import containers
from . import WORKLOADS


@control(
    id="k8s-probes",
    target="kubernetes",
    severity="low",
    benchmark="Kubernetes best practice: probes",
    description="Containers have a readiness or liveness probe.",
    remediation="Add health to the service in the spec.",
    isolation=False,
    types=WORKLOADS,
    concern="healthcheck",
)
def probes(r: Resource, _: Params) -> Messages:
    for c in containers(r, kinds=("containers",)):  # init and ephemeral containers take no probes
        if "readinessProbe" not in c and "livenessProbe" not in c:
            yield f"container {c.get('name')} has no readiness or liveness probe"
