"""Controls on the workload inside a service VM, the twins of the Docker and Kubernetes
container controls: the VM target states the container engine's arguments as facts in
the domain's description (libvirt has no labels), and these judge them alike.

Helpers the VM controls share live here."""

from __future__ import annotations

from components import vocabulary

from ...framework import Resource
from ...read import domain_labels
from ...resource_types import LIBVIRT_DOMAIN

DOMAIN = (LIBVIRT_DOMAIN,)


def workload_facts(r: Resource) -> dict[str, str] | None:
    """The facts of the workload a service VM runs; None for any other domain (a cluster
    node) or one that states no workload facts."""
    found = domain_labels(r)
    if vocabulary.K3S_ROLE in found or vocabulary.WORKLOAD_IMAGE not in found:
        return None
    return found
