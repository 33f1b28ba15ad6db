"""Logical resource names, and the names services answer to: the only place that decides them.

User names (app, service, volume) are DNS labels: lowercase letters, digits and '-'. So a
name that joins two user names joins them with `.`, which no user name contains, and no
two inputs give one name: `voting.db.data.0` (service `db`, volume `data`) can never be
`voting.db-data...`. A name that adds a fixed word to one owner's name (`child`) or a
number to it is unambiguous as it is. Physical names are left to Pulumi's auto-naming
(logical name plus a random suffix) wherever the engine allows, so a replacement can be
created before the old resource is deleted.
"""

from __future__ import annotations

SEP = "."
NODES_DOMAIN = "nodes"


def child(owner: str, *words: str | int) -> str:
    """`voting-docker-provider`: a resource a component owns, named by fixed words."""
    return "-".join([owner, *map(str, words)])


def target_component(app: str, target: str) -> str:
    """`voting-docker`: the component of one target."""
    return child(app, target)


def replica_name(app: str, service: str, replica: int) -> str:
    """`voting-api-0`: one replica (container, VM). The replica is a number, so this is
    unambiguous."""
    return f"{app}-{service}-{replica}"


def volume_name(app: str, service: str, volume: str, replica: int) -> str:
    """`voting.db.data.0`: one persistent volume of one replica."""
    return SEP.join([app, service, volume, str(replica)])


def legacy_volume_name(app: str, service: str, volume: str, replica: int) -> str:
    """The name volumes had before names joined with `.` (`voting-db-data-0`): an alias, so
    an update renames a volume in place instead of replacing it and its data."""
    return f"{app}-{service}-{volume}-{replica}"


def link_network_name(app: str, server: str, client: str) -> str:
    """`voting.db.from.api`: the network one depends_on pair shares."""
    return SEP.join([app, server, "from", client])


def edge_network_name(app: str, service: str) -> str:
    """`voting.web.edge`: a service's own network to the outside."""
    return SEP.join([app, service, "edge"])


def image_name(app: str, reference: str) -> str:
    """`voting.image.docker.io/library/redis:7.4.1-alpine`: one pulled image, shared by the
    app's services; the whole normalised reference, so two references never share a name."""
    return SEP.join([app, "image", reference])


def kubernetes_object(app: str, service: str, kind: str) -> str:
    """`voting.api.deployment`: a service's object of one kind on Kubernetes."""
    return SEP.join([app, service, kind])


def network_policy_name(app: str, policy: str) -> str:
    """`voting.netpol.api`: a NetworkPolicy, per service or namespace-wide."""
    return SEP.join([app, "netpol", policy])


# Physical names on Kubernetes (a Service's name is the DNS name clients use).
NAMESPACE_POLICIES = ("hybrid-platform.default-deny", "hybrid-platform.allow-dns")  # no service has a dot


def public_service(service: str) -> str:
    """`web-public`: the Service exposing a service's public ports. Validation reserves the
    name (`appspec/checks.py`): no service may be called `<public service>-public`."""
    return f"{service}-public"


def tmpfs_volume(index: int) -> str:
    """`tmp-0`: the pod volume of the `index`-th tmpfs mount. Validation reserves these
    names: no spec volume may be called `tmp-<n>`."""
    return f"tmp-{index}"


def replica_hostname(service: str, replica: int) -> str:
    """`api-0`: the hostname of one replica's VM (its own name, not a DNS entry)."""
    return f"{service}-{replica}"


def replica_dns(service: str, replica: int) -> tuple[str, ...]:
    """The names a replica's VM answers to in the stack's libvirt DNS: the service's name
    (round robin over its replicas) and `api-0.api`, its own, dotted so that no service
    name (`api-0`) can take it."""
    return (service, f"{replica_hostname(service, replica)}{SEP}{service}")


def node_group_key(group: str) -> str:
    """A cluster node group's key on the libvirt fabric. Service names have no dots, so no
    service can take it."""
    return f"{NODES_DOMAIN}{SEP}{group}"


def node_hostname(group: str, index: int) -> str:
    """`server-0`: a cluster node's hostname and Kubernetes node name."""
    return f"{group}-{index}"


def node_dns(group: str, index: int) -> tuple[str, ...]:
    """`server-0.nodes`: the name a node answers to in the stack's libvirt DNS."""
    return (f"{node_hostname(group, index)}{SEP}{NODES_DOMAIN}",)


def node_name(cluster: str, group: str, index: int) -> str:
    """`voting-hybrid-cluster-server-0`: a cluster node's logical resource name."""
    return child(cluster, group, index)


def peer_endpoints(server: str) -> str:
    """`db.peer`: the EndpointSlice of a server placed on another target (dotted: no slice
    Kubernetes generates, `<service>-<hash>`, can take it)."""
    return f"{server}{SEP}peer"
