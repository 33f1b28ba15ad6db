"""Logical resource names: the only place that decides them.

Physical names are left to Pulumi's auto-naming (logical name plus a random
suffix), so a replacement can be created before the old resource is deleted.
"""

from __future__ import annotations


def replica_name(app: str, service: str, replica: int) -> str:
    """`voting-api-0`: one replica (container, VM)."""
    return f"{app}-{service}-{replica}"


def volume_name(app: str, service: str, volume: str, replica: int) -> str:
    """`voting-db-data-0`: one persistent volume of one replica."""
    return f"{app}-{service}-{volume}-{replica}"


def network_name(app: str, service: str, role: str) -> str:
    """`voting-db-net`, `voting-web-edge`: a network owned by a service."""
    return f"{app}-{service}-{role}"


def image_name(app: str, image: str) -> str:
    """`voting-image-postgres-16.4-alpine`: one pulled image, shared by the app's services."""
    safe = "".join(c if c.isalnum() or c in "-." else "-" for c in image.split("@", maxsplit=1)[0])
    return f"{app}-image-{safe}"


def replica_hostname(service: str, replica: int) -> str:
    """`api-0`: the hostname of one replica's VM."""
    return f"{service}-{replica}"


def replica_dns(service: str, replica: int) -> tuple[str, ...]:
    """The names a replica's VM answers to in the stack's libvirt DNS: the service's name
    (round robin over its replicas) and its own."""
    return (service, replica_hostname(service, replica))


NODES_DOMAIN = "nodes"


def node_group_key(group: str) -> str:
    """A cluster node group's key on the libvirt fabric. Service names have no dots, so no
    service can take it."""
    return f"{NODES_DOMAIN}.{group}"


def node_hostname(group: str, index: int) -> str:
    """`server-0`: a cluster node's hostname and Kubernetes node name."""
    return f"{group}-{index}"


def node_dns(group: str, index: int) -> tuple[str, ...]:
    """`server-0.nodes`: the name a node answers to in the stack's libvirt DNS (dotted, so it
    cannot collide with a service name)."""
    return (f"{node_hostname(group, index)}.{NODES_DOMAIN}",)


def node_name(cluster: str, group: str, index: int) -> str:
    """`voting-hybrid-cluster-server-0`: a cluster node's logical resource name."""
    return f"{cluster}-{group}-{index}"
