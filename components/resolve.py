"""Resolve the spec once into the facts every target reads.

`ResolvedApp` is frozen: names, labels, who may talk to whom, the endpoints a
service offers, the order services start in. Targets map it to resources and
derive nothing of their own from the raw spec's relations.
"""

from __future__ import annotations

import heapq
from collections.abc import Mapping
from dataclasses import dataclass, replace

from .appspec import AppSpec, ServiceSpec
from .health import Health, resolve_health
from .images import normalize
from .vocabulary import TARGET, resource_labels


@dataclass(frozen=True)
class Endpoint:
    """One port of a service. Clients inside the app reach it as `<service>:<port>` on every
    target (Docker aliases, libvirt DNS, Kubernetes Services)."""

    service: str
    port_name: str
    port: int
    protocol: str
    public: bool
    host_port: int | None

    @property
    def address(self) -> str:
        """Where clients inside the app connect."""
        return f"{self.service}:{self.port}"

    def entry(self, public: list[str] | None) -> dict[str, object]:
        """This port in the `endpoints` output: `public` lists the `host:port` values reachable
        from outside ([] for a port that is not public), or is None when only the engine
        knows them (a random host port, a load balancer's address)."""
        return {
            "name": self.port_name,
            "port": self.port,
            "protocol": self.protocol,
            "address": self.address,
            "public": public if self.public else [],
        }


@dataclass(frozen=True)
class Edge:
    """A depends_on edge that crosses targets: `client` on `client_target` connects to
    `server` on `server_target`. During a move a service runs on two targets: an edge
    exists for every pair of copies; `discovered` says whether the client's name for the
    server leads to this copy (every copy admits the client)."""

    client: str
    server: str
    client_target: str
    server_target: str
    discovered: bool = True

    @property
    def pair(self) -> str:
        """`docker->vm`: the ordered pair of targets."""
        return f"{self.client_target}->{self.server_target}"


@dataclass(frozen=True)
class Move:
    """A move in progress: a second copy on `to`; at `switch` the name leads to it."""

    to: str
    step: str  # start | switch
    fresh_data: bool = False


@dataclass(frozen=True)
class ResolvedService:
    """One service with its derived facts."""

    name: str
    spec: ServiceSpec
    target: str  # where it is placed
    move: Move | None  # a second copy on another target, while it moves
    image: str  # the spec's image, fully qualified
    labels: dict[str, str]
    clients: tuple[str, ...]
    endpoints: tuple[Endpoint, ...]
    health: Health | None


@dataclass(frozen=True)
class ResolvedApp:
    """The app as targets see it; `services` is in start order (dependencies first)."""

    name: str
    services: dict[str, ResolvedService]
    protect_data: bool
    declared: tuple[str, ...] = ()  # the services in the order the spec lists them

    def copies(self, service: str) -> tuple[str, ...]:
        """The targets a service runs on: where it is placed, and where it moves to."""
        svc = self.services[service]
        return (svc.target, svc.move.to) if svc.move else (svc.target,)

    def discovered_on(self, service: str) -> str:
        """The target of the copy the service's name leads to."""
        svc = self.services[service]
        return svc.move.to if svc.move and svc.move.step == "switch" else svc.target

    def placed_on(self, target: str) -> list[str]:
        """The services with a copy on `target`, in start order."""
        return [name for name in self.services if target in self.copies(name)]

    def cross_edges(self) -> list[Edge]:
        """Every depends_on edge between copies on different targets."""
        return [
            Edge(name, dep, client_target, server_target, server_target == self.discovered_on(dep))
            for name, service in self.services.items()
            for dep in service.spec.depends_on
            for client_target in self.copies(name)
            for server_target in self.copies(dep)
            if client_target != server_target
        ]

    def on(self, target: str) -> ResolvedApp:
        """The app as `target` sees it: each service with a copy there labelled with this
        target, so a moving service's new copy is labelled where it runs from the start
        and finishing the move changes nothing of it."""
        services = {
            name: replace(s, labels={**s.labels, TARGET: target}) if target in self.copies(name) else s
            for name, s in self.services.items()
        }
        return replace(self, services=services)

    def targets(self) -> list[str]:
        """The targets in use, in the order their first service starts."""
        return list(dict.fromkeys(t for name in self.services for t in self.copies(name)))

    def labels_for_namespace(self) -> dict[str, str]:
        """Labels of app-wide resources (namespace, secrets, shared policies)."""
        return resource_labels(self.name)

    def secret_users(self) -> dict[str, list[str]]:
        """Secret name -> the spec fields that use it (`services.api.secret_env.DB_PASSWORD`)."""
        users: dict[str, list[str]] = {}
        for name, svc in self.services.items():
            for env, secret in svc.spec.secret_env.items():
                users.setdefault(secret, []).append(f"services.{name}.secret_env.{env}")
        return users


def clients_by_server(spec: AppSpec) -> dict[str, list[str]]:
    """Service -> the services that list it in `depends_on`, sorted."""
    clients: dict[str, list[str]] = {name: [] for name in spec.services}
    for name, service in spec.services.items():
        for dependency in set(service.depends_on):
            if dependency in clients:
                clients[dependency].append(name)
    return {name: sorted(found) for name, found in clients.items()}


def start_order(spec: AppSpec) -> list[str]:
    """Services sorted so every service comes after what it depends on (ties by name):
    Kahn's algorithm with the ready services in a heap, O((services + edges) log services)."""
    waiting = {name: len(set(s.depends_on)) for name, s in spec.services.items()}
    dependents = clients_by_server(spec)
    ready = [name for name, count in waiting.items() if count == 0]
    heapq.heapify(ready)
    order: list[str] = []
    while ready:
        name = heapq.heappop(ready)
        order.append(name)
        for client in dependents[name]:
            waiting[client] -= 1
            if waiting[client] == 0:
                heapq.heappush(ready, client)
    if len(order) != len(waiting):  # a cycle; the spec checks reject these before we get here
        raise ValueError(f"dependency cycle among {', '.join(sorted(set(waiting) - set(order)))}")
    return order


def resolve(
    spec: AppSpec,
    protect_data: bool,
    target: str,
    placement: Mapping[str, str] | None = None,
    moves: Mapping[str, Move] | None = None,
) -> ResolvedApp:
    """Derive every cross-target fact from a checked spec; each service runs on `target`
    unless `placement` names another, and also on its move's `to` while it moves."""
    services = {}
    clients = clients_by_server(spec)
    for name in start_order(spec):
        svc = spec.services[name]
        placed = (placement or {}).get(name, target)
        endpoints = tuple(
            Endpoint(name, p.name, p.port, p.protocol, p.public, p.host_port) for p in svc.ports
        )
        services[name] = ResolvedService(
            name=name,
            spec=svc,
            target=placed,
            move=(moves or {}).get(name),
            image=normalize(svc.image),
            labels={**resource_labels(spec.app, name, svc.isolation), TARGET: placed},
            clients=tuple(clients[name]),
            endpoints=endpoints,
            health=resolve_health(svc.health),
        )
    return ResolvedApp(
        name=spec.app, services=services, protect_data=protect_data, declared=tuple(spec.services)
    )
