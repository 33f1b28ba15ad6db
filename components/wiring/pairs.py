"""Per ordered pair of targets (client -> server): how the client finds the server by name,
how the server admits exactly that client, and what cannot be enforced as tightly as
inside one target (a declared gap, which the preview warns about and the policy pack
reports unless the stack accepts it in `hybrid-platform:accepted_gaps`).

Data only; the README's placement table is generated from it."""

from __future__ import annotations

from dataclasses import dataclass

KUBERNETES = ("hybrid", "kubernetes")
LIBVIRT = ("vm", "hybrid")


@dataclass(frozen=True)
class PairWiring:
    """One ordered pair of targets."""

    client: str
    server: str
    discovery: str
    admission: str
    gap: str | None = None

    @property
    def name(self) -> str:
        """`docker->vm`."""
        return f"{self.client}->{self.server}"


_K8S_CLIENT_DISCOVERY = (
    "a Service without selector named after the server, and an EndpointSlice with its addresses"
)
_K8S_SERVER_ADMISSION = (
    "the server's Service on the nodes (LoadBalancer, externalTrafficPolicy Local, or NodePort on "
    "the spec's port) and a NetworkPolicy ingress ipBlock from the client's addresses"
)
_DOCKER_SERVER_GAP = (
    "the server's port is published on the Docker host's address and Docker cannot restrict who "
    "reaches a published port: any machine that routes there reaches it"
)
_DOCKER_CLIENT_GAP = (
    "the client joins a routed, masquerading network to reach the server, which also routes "
    "beyond the app: Docker cannot filter by destination"
)
_NODES_GAP = (
    "the nodes masquerade pod traffic, so the server admits the nodes' addresses: pods are told "
    "apart by NetworkPolicy egress, processes on the nodes are not"
)

PAIRS: dict[tuple[str, str], PairWiring] = {
    (p.client, p.server): p
    for p in [
        PairWiring(
            "docker", "vm",
            "an extra_hosts entry: the server's name -> its first replica's address",
            "the VM firewall admits the Docker host's address on the libvirt bridge",
            _DOCKER_CLIENT_GAP,
        ),
        PairWiring(
            "vm", "docker",
            "a libvirt DNS entry: the server's name -> the Docker host's address on the libvirt bridge",
            "the server's port published on that address only",
            _DOCKER_SERVER_GAP,
        ),
        PairWiring(
            "docker", "hybrid",
            "an extra_hosts entry: the server's name -> a node's address",
            _K8S_SERVER_ADMISSION + " (the Docker host's address on the libvirt bridge)",
            _DOCKER_CLIENT_GAP,
        ),
        PairWiring(
            "hybrid", "docker",
            _K8S_CLIENT_DISCOVERY + " (the Docker host's address on the libvirt bridge)",
            "the server's port published on that address; NetworkPolicy egress ipBlock to it",
            _DOCKER_SERVER_GAP,
        ),
        PairWiring(
            "docker", "kubernetes",
            "an extra_hosts entry: the server's name -> a node address from kubernetes.node_cidrs",
            _K8S_SERVER_ADMISSION + " (docker.host_address)",
            _DOCKER_CLIENT_GAP,
        ),
        PairWiring(
            "kubernetes", "docker",
            _K8S_CLIENT_DISCOVERY + " (docker.host_address)",
            "the server's port published on docker.host_address; NetworkPolicy egress ipBlock to it",
            _DOCKER_SERVER_GAP,
        ),
        PairWiring(
            "vm", "hybrid",
            "a libvirt DNS entry: the server's name -> the worker nodes' addresses",
            _K8S_SERVER_ADMISSION + " (the client VMs' addresses)",
        ),
        PairWiring(
            "hybrid", "vm",
            _K8S_CLIENT_DISCOVERY + " (the server VMs' addresses)",
            "the VM firewall admits the cluster nodes' addresses; NetworkPolicy egress ipBlock to the VMs",
            _NODES_GAP,
        ),
        PairWiring(
            "vm", "kubernetes",
            "a libvirt DNS entry: the server's name -> the node addresses (/32) in kubernetes.node_cidrs",
            _K8S_SERVER_ADMISSION + " (the client VMs' addresses)",
        ),
        PairWiring(
            "kubernetes", "vm",
            _K8S_CLIENT_DISCOVERY + " (the server VMs' addresses)",
            "the VM firewall admits kubernetes.node_cidrs; NetworkPolicy egress ipBlock to the VMs",
            _NODES_GAP,
        ),
    ]
}  # fmt: skip


def pair(client: str, server: str) -> PairWiring | None:
    """The wiring of a pair, or None when the two cannot be wired (two clusters)."""
    return PAIRS.get((client, server))


def render_table() -> str:
    """The README's table of target pairs."""
    lines = ["| client -> server | discovery | the server admits | gap |", "|---|---|---|---|"]
    for p in PAIRS.values():
        lines.append(
            f"| `{p.name}` | {p.discovery} | {p.admission} | {p.gap or 'none: as tight as one target'} |"
        )
    return "\n".join(lines)
