"""What is reachable from outside is what the spec declares public, or a port a server
publishes for its clients on another target (placement; `vocabulary.PEER_PORTS`)."""

from __future__ import annotations

from components import vocabulary

from ...framework import Findings, Params, Resource, control
from ...read import as_list, docker_labels, get, of
from ...resource_types import DOCKER_CONTAINER, K8S_SERVICE

EXPOSED_SERVICE_TYPES = ("LoadBalancer", "NodePort")


@control(
    id="stack-public-ports-match-spec",
    target="stack",
    severity="high",
    benchmark="hybrid-platform traffic rule",
    description="Every port published outside is a public port of the spec.",
    remediation="Publish ports only through the spec's ports with public: true.",
    isolation=True,
)
def public_ports_match_spec(resources: list[Resource], _: Params) -> Findings:
    for container in of(resources, DOCKER_CONTAINER):
        labels = docker_labels(container)
        declared = set(vocabulary.split(labels.get(vocabulary.PUBLIC_PORTS)))
        declared |= set(vocabulary.split(labels.get(vocabulary.PEER_PORTS)))
        for port in as_list(container.props.get("ports")):
            key = f"{get(port, 'internal')}/{get(port, 'protocol') or 'tcp'}"
            if key not in declared:
                yield container.urn, f"publishes {key}, which the spec does not declare public"
    for service in of(resources, K8S_SERVICE):
        if get(service.props, "spec", "type") not in EXPOSED_SERVICE_TYPES:
            continue
        annotations = get(service.props, "metadata", "annotations")
        declared = set(vocabulary.split(get(annotations, vocabulary.PUBLIC_PORTS)))
        declared |= set(vocabulary.split(get(annotations, vocabulary.PEER_PORTS)))
        for port in as_list(get(service.props, "spec", "ports")):
            key = f"{get(port, 'targetPort') or get(port, 'port')}/{str(get(port, 'protocol') or 'TCP').lower()}"
            if key not in declared:
                yield (
                    service.urn,
                    f"exposes {key} outside the cluster, which the spec does not declare public",
                )
