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


def check_placement(spec: AppSpec, settings: StackSettings) -> list[Problem]:
    """Unknown services in `placement`, and every cross-target edge the settings cannot wire."""
    problems = [
        Problem(
            f"{PROJECT}:placement.{name}",
            f"no such service in the spec; services are: {', '.join(sorted(spec.services))}",
        )
        for name in settings.placement
        if name not in spec.services
    ]
    if problems:
        return problems
    seen: set[str] = set()
    for problem in _edge_problems(spec, settings):
        if problem.path + problem.message not in seen:
            seen.add(problem.path + problem.message)
            problems.append(problem)
    return problems + _exposure_clashes(spec, settings)


def _edge_problems(spec: AppSpec, settings: StackSettings) -> Iterator[Problem]:
    docker = settings.section(DockerSettings)
    kube = settings.section(KubernetesSettings)
    lv = settings.section(LibvirtSettings)
    for client, service in spec.services.items():
        for server in service.depends_on:
            if server not in spec.services:
                continue
            a, b = placed_target(spec, settings, client), placed_target(spec, settings, server)
            if a == b:
                continue
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
        if placed_target(spec, settings, client) != "docker"
        for server in service.depends_on
        if server in spec.services and placed_target(spec, settings, server) == "docker"
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
