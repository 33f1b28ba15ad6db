"""Service-to-service networks do not route out of the host."""

from __future__ import annotations

from components import vocabulary

from ...framework import Messages, Params, Resource, control
from ...read import docker_labels, unknown
from ...resource_types import DOCKER_NETWORK


@control(
    id="docker-network-internal",
    target="docker",
    severity="high",
    benchmark="hybrid-platform traffic rule",
    description="Service-to-service networks are internal.",
    remediation="Keep link networks internal; egress goes through the service's own edge network.",
    isolation=True,
    types=(DOCKER_NETWORK,),
)
def network_internal(r: Resource, _: Params) -> Messages:
    role = docker_labels(r).get(vocabulary.NETWORK_ROLE)
    if role and role != "edge" and not unknown(r.props, "internal") and r.props.get("internal") is not True:
        yield f"service-to-service network ({role}) is not internal: it routes out of the host"
