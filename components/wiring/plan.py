"""The wiring of one stack: for each target, the peers of its services placed elsewhere, as
values (addresses and ports), so no target reads another target's resources.

Addresses, per target, of a service as its peers on other targets see it:
- `vm`: its replicas' addresses, both to connect to and as the source of its traffic;
- `docker`: the Docker host, whose published ports serve and whose masquerade sends: on
  the libvirt bridge (its gateway) for VMs and the hybrid cluster's nodes, at
  `docker.host_address` for an existing cluster;
- `hybrid`: its worker nodes' addresses to connect to (a LoadBalancer or NodePort on every
  node), every node's address as the source (the nodes masquerade pod traffic);
- `kubernetes`: the /32 entries of `kubernetes.node_cidrs` to connect to, all of
  `kubernetes.node_cidrs` as the source.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import NamedTuple

from .. import naming
from ..resolve import Edge, ResolvedApp
from ..settings import StackSettings
from ..targets.docker.settings import DockerSettings
from ..targets.kubernetes.settings import KubernetesSettings
from .pairs import LIBVIRT, pair
from .validate import node_addresses


class Port(NamedTuple):
    """One port of a server."""

    name: str
    port: int
    protocol: str


WORKER_GROUPS = ("agent", "vm-agent")


@dataclass(frozen=True)
class Peer:
    """A service on another target: where it is (or sends from), and the server's ports the
    pair uses."""

    service: str
    target: str
    addresses: tuple[str, ...]
    ports: tuple[Port, ...]


@dataclass(frozen=True)
class Wiring:
    """What one target needs to wire its services to the others: `servers` gives each local
    client its remote servers (addresses to connect to); `clients` gives each local server
    its remote clients (addresses their traffic comes from); `exposed_on` is where a Docker
    server publishes ports for them; `gaps` the pairs this target takes part in whose
    enforcement is looser than inside one target, `accepted` those the stack accepts."""

    servers: Mapping[str, tuple[Peer, ...]] = field(default_factory=dict)
    clients: Mapping[str, tuple[Peer, ...]] = field(default_factory=dict)
    exposed_on: Mapping[str, tuple[str, ...]] = field(default_factory=dict)  # server -> where its ports bind
    gaps: Mapping[str, tuple[str, ...]] = field(default_factory=dict)  # service -> its gap pairs
    accepted: tuple[str, ...] = ()

    def unaccepted(self, service: str) -> tuple[str, ...]:
        """The gap pairs of a service the stack has not accepted."""
        return tuple(g for g in self.gaps.get(service, ()) if g not in self.accepted)


@dataclass(frozen=True)
class StackWiring:
    """Every target's wiring, the libvirt DNS entries for servers placed off libvirt, and
    the gaps in use (pair -> its edges)."""

    targets: Mapping[str, Wiring]
    libvirt_dns: tuple[tuple[str, str], ...]
    gaps: Mapping[str, tuple[Edge, ...]]

    def of(self, target: str) -> Wiring:
        """One target's wiring (empty when nothing crosses to or from it)."""
        return self.targets.get(target, Wiring())


def node_addresses_of(machines: Mapping[str, tuple[str, ...]], groups: tuple[str, ...]) -> tuple[str, ...]:
    """The addresses of a hybrid cluster's nodes of these groups."""
    return tuple(a for g in groups for a in machines.get(naming.node_group_key(g), ()))


def worker_addresses(machines: Mapping[str, tuple[str, ...]]) -> tuple[str, ...]:
    """The nodes a hybrid cluster runs workloads on: its agents, or its servers without any."""
    return node_addresses_of(machines, WORKER_GROUPS) or node_addresses_of(machines, ("server",))


class Addresses:
    """Where services are, as their peers on one other target see them."""

    def __init__(
        self, settings: StackSettings, machines: Mapping[str, tuple[str, ...]], gateway: str | None
    ) -> None:
        self.machines, self.gateway = machines, gateway
        self.docker = settings.section(DockerSettings)
        self.kube = settings.section(KubernetesSettings)

    def _docker_host(self, peer_target: str) -> tuple[str, ...]:
        address = self.gateway if peer_target in LIBVIRT else self.docker.host_address
        return (address,) if address else ()

    def reach(self, target: str, service: str, peer_target: str) -> tuple[str, ...]:
        """Where a client on `peer_target` connects to `service` on `target`."""
        if target == "vm":
            return self.machines.get(service, ())
        if target == "docker":
            return self._docker_host(peer_target)
        if target == "hybrid":
            return worker_addresses(self.machines)
        return tuple(node_addresses(self.kube))

    def source(self, target: str, service: str, peer_target: str) -> tuple[str, ...]:
        """Where the traffic of `service` on `target` comes from, as `peer_target` sees it."""
        if target == "vm":
            return self.machines.get(service, ())
        if target == "docker":
            return self._docker_host(peer_target)
        if target == "hybrid":
            return node_addresses_of(self.machines, ("server", *WORKER_GROUPS))
        return tuple(self.kube.node_cidrs)


def plan_wiring(
    app: ResolvedApp,
    settings: StackSettings,
    machines: Mapping[str, tuple[str, ...]] | None = None,
    gateway: str | None = None,
) -> StackWiring:
    """The wiring of every cross-target edge of `app` (checked by `check_placement` first)."""
    where = Addresses(settings, machines or {}, gateway)
    servers: dict[str, dict[str, list[Peer]]] = {}
    clients: dict[str, dict[str, list[Peer]]] = {}
    exposed: dict[str, dict[str, set[str]]] = {}
    gaps: dict[str, dict[str, set[str]]] = {}
    dns: set[tuple[str, str]] = set()
    in_use: dict[str, list[Edge]] = {}
    for edge in app.cross_edges():
        wiring = pair(edge.client_target, edge.server_target)
        if wiring is None:
            continue
        ports = tuple(Port(p.name, p.port, p.protocol) for p in app.services[edge.server].spec.ports)
        reach = where.reach(edge.server_target, edge.server, edge.client_target)
        source = where.source(edge.client_target, edge.client, edge.server_target)
        servers.setdefault(edge.client_target, {}).setdefault(edge.client, []).append(
            Peer(edge.server, edge.server_target, reach, ports)
        )
        clients.setdefault(edge.server_target, {}).setdefault(edge.server, []).append(
            Peer(edge.client, edge.client_target, source, ports)
        )
        if edge.server_target == "docker":
            exposed.setdefault("docker", {}).setdefault(edge.server, set()).update(reach)
        if edge.client_target == "vm":
            dns.update((edge.server, address) for address in reach)
        if wiring.gap:
            in_use.setdefault(wiring.name, []).append(edge)
            for target, service in ((edge.client_target, edge.client), (edge.server_target, edge.server)):
                gaps.setdefault(target, {}).setdefault(service, set()).add(wiring.name)
    accepted = tuple(settings.accepted_gaps)
    targets = {
        target: Wiring(
            servers={c: tuple(p) for c, p in servers.get(target, {}).items()},
            clients={s: tuple(p) for s, p in clients.get(target, {}).items()},
            exposed_on={s: tuple(sorted(a)) for s, a in exposed.get(target, {}).items()},
            gaps={s: tuple(sorted(g)) for s, g in gaps.get(target, {}).items()},
            accepted=accepted,
        )
        for target in app.targets()
    }
    return StackWiring(targets, tuple(sorted(dns)), {name: tuple(edges) for name, edges in in_use.items()})
