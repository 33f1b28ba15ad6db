"""Whether a stack can place its services where `placement` says: every problem one line
naming the setting that would fix it."""

from __future__ import annotations

import ipaddress
from collections.abc import Iterator

from ..appspec import AppSpec, Problem
from ..settings import PROJECT, StackSettings
from ..targets.docker.settings import DockerSettings
from ..targets.kubernetes.settings import KubernetesSettings
from ..targets.libvirt.settings import LibvirtSettings
from .pairs import KUBERNETES, LIBVIRT, pair

LOCAL_LIBVIRT = ("qemu:///system",)


def placed_target(spec: AppSpec, settings: StackSettings, service: str) -> str:
    """Where a service runs: its placement, else the stack's target."""
    return settings.placement.get(service, settings.target)


def copies(spec: AppSpec, settings: StackSettings, service: str) -> tuple[str, ...]:
    """The targets a service runs on: its placement, and its move's `to` while it moves."""
    move = settings.moves.get(service)
    placed = placed_target(spec, settings, service)
    return (placed, move.to) if move and move.to != placed else (placed,)


def check_placement(spec: AppSpec, settings: StackSettings) -> list[Problem]:
    """Unknown services in `placement` and `moves`, moves that cannot be made, and every
    cross-target edge (between any copies of two services) the settings cannot wire."""
    known = ", ".join(sorted(spec.services))
    problems = [
        Problem(f"{PROJECT}:{key}.{name}", f"no such service in the spec; services are: {known}")
        for key, names in (("placement", settings.placement), ("moves", settings.moves))
        for name in names
        if name not in spec.services
    ]
    if problems:
        return problems
    problems += _move_problems(spec, settings)
    seen: set[str] = set()
    for problem in _edge_problems(spec, settings):
        if problem.path + problem.message not in seen:
            seen.add(problem.path + problem.message)
            problems.append(problem)
    return problems + _exposure_clashes(spec, settings)


def _move_problems(spec: AppSpec, settings: StackSettings) -> Iterator[Problem]:
    for name, move in sorted(settings.moves.items()):
        placed = placed_target(spec, settings, name)
        if move.to == placed:
            yield Problem(
                f"{PROJECT}:moves.{name}.to",
                f"{name} already runs on {placed}; name another target, or remove the move to finish it "
                f"(placement: {{{name}: {placed}}})",
            )
        elif spec.services[name].volumes and move.data != "fresh":
            yield Problem(
                f"{PROJECT}:moves.{name}",
                f"{name} has volumes and a move copies no data: the new copy starts empty. Set data: fresh "
                "for a store that replicates itself; otherwise follow the cold move in README, "
                '"Moving a service" (stop, copy the volume, start)',
            )
        if move.to == "vm" and not settings.section(LibvirtSettings).guest_agent:
            yield Problem(
                f"{PROJECT}:libvirt.guest_agent",
                f"moving {name} to vm needs the readiness gate that waits for the new copy through the "
                "QEMU guest agent; set libvirt.guest_agent: true (qemu-guest-agent on the base image)",
            )


def _edge_problems(spec: AppSpec, settings: StackSettings) -> Iterator[Problem]:
    docker = settings.section(DockerSettings)
    kube = settings.section(KubernetesSettings)
    lv = settings.section(LibvirtSettings)
    edges = [
        (client, server, a, b)
        for client, service in spec.services.items()
        for server in service.depends_on
        if server in spec.services
        for a in copies(spec, settings, client)
        for b in copies(spec, settings, server)
        if a != b
    ]
    for client, server, a, b in edges:
        where = f"{client} on {a} depends on {server} on {b}"
        if pair(a, b) is None:
            yield Problem(
                f"{PROJECT}:placement",
                f"{where}: two Kubernetes clusters are not wired to each other; place both on one",
            )
            continue
        targets = {a, b}
        if "docker" in targets and targets & set(LIBVIRT):
            if docker.host is not None and not docker.host.startswith("unix://"):
                yield Problem(
                    f"{PROJECT}:docker.host",
                    f"{where}: Docker must run on the libvirt host to reach its network; "
                    "unset docker.host (the local daemon) or place both on one target",
                )
            if (lv.hosts is not None and len(lv.hosts) > 1) or lv.host_uris[0] not in LOCAL_LIBVIRT:
                yield Problem(
                    f"{PROJECT}:libvirt.uri",
                    f"{where}: Docker reaches VMs on the local libvirt host only; use one host at "
                    "qemu:///system or place both on one target",
                )
        if "kubernetes" in targets and targets & {"vm", "docker"}:
            if not kube.node_cidrs:
                yield Problem(
                    f"{PROJECT}:kubernetes.node_cidrs",
                    f"{where}: set the addresses the cluster's nodes send from, e.g. [192.168.10.0/24]",
                )
            elif b == "kubernetes" and not node_addresses(kube):
                yield Problem(
                    f"{PROJECT}:kubernetes.node_cidrs",
                    f"{where}: list the node addresses clients connect to as /32 entries, "
                    "e.g. [192.168.10.11/32]",
                )
        if "kubernetes" in targets and "docker" in targets and docker.host_address is None:
            yield Problem(
                f"{PROJECT}:docker.host_address",
                f"{where}: set the address the cluster reaches the Docker host at, e.g. 192.168.10.5",
            )
        if a == "kubernetes" and b == "vm" and lv.network.mode != "route":
            yield Problem(
                f"{PROJECT}:libvirt.network.mode",
                f"{where}: the cluster's nodes reach VMs only on a routed network; set route",
            )


def node_addresses(kube: KubernetesSettings) -> list[str]:
    """The node addresses clients connect to: the /32 entries of `kubernetes.node_cidrs`."""
    return [str(ipaddress.IPv4Network(c).network_address) for c in kube.node_cidrs if c.endswith("/32")]


def _exposure_clashes(spec: AppSpec, settings: StackSettings) -> list[Problem]:
    """Docker servers with clients elsewhere publish their ports on one host address: two of
    them cannot share a port there."""
    exposed = {
        server
        for client, service in spec.services.items()
        if copies(spec, settings, client) != ("docker",)
        for server in service.depends_on
        if server in spec.services and "docker" in copies(spec, settings, server)
    }
    owner: dict[tuple[int, str], str] = {}
    problems = []
    for server in sorted(exposed):
        for port in spec.services[server].ports:
            key = (port.port, port.protocol)
            if key in owner:
                problems.append(
                    Problem(
                        f"{PROJECT}:placement",
                        f"{server} and {owner[key]} on docker both serve clients on other targets on "
                        f"{port.port}/{port.protocol}, which they reach on one Docker host address; "
                        "change one port or place one elsewhere",
                    )
                )
            else:
                owner[key] = server
    return problems


__all__ = ["KUBERNETES", "check_placement", "node_addresses", "placed_target"]
