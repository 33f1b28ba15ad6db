"""Rules that relate fields to each other: references, cycles, clashes. Pure, no I/O."""

from __future__ import annotations

import re

from .app import AppSpec
from .errors import Problem
from .service import ServiceSpec


def check_app(spec: AppSpec) -> list[Problem]:
    """Every cross-field problem in the app, each at the exact field path."""
    problems: list[Problem] = []
    for name, service in spec.services.items():
        problems += _check_service(f"services.{name}", service)
        problems += _check_dependencies(spec, name)
    problems += _check_cycles(spec)
    problems += _check_host_ports(spec)
    problems += _check_reserved_names(spec)
    return problems


TMPFS_VOLUME = re.compile(r"tmp-[0-9]+")


def _check_reserved_names(spec: AppSpec) -> list[Problem]:
    """Names the targets generate from other names, taken before a user can take them."""
    problems = []
    for name, service in spec.services.items():
        owner = name.removesuffix("-public")
        if owner != name and owner in spec.services and spec.services[owner].public_ports:
            problems.append(
                Problem(
                    f"services.{name}",
                    f"the name is taken by the Service that publishes {owner}'s public ports on "
                    f"Kubernetes; rename the service, e.g. {owner}-site",
                )
            )
        for i, volume in enumerate(service.volumes):
            if TMPFS_VOLUME.fullmatch(volume.name):
                problems.append(
                    Problem(
                        f"services.{name}.volumes[{i}].name",
                        f"{volume.name!r} is reserved for tmpfs mounts on Kubernetes; "
                        "rename the volume, e.g. data",
                    )
                )
    return problems


def _check_service(path: str, service: ServiceSpec) -> list[Problem]:
    problems = []
    for i, port in enumerate(service.ports):
        earlier = service.ports[:i]
        if port.name in {p.name for p in earlier}:
            problems.append(Problem(f"{path}.ports[{i}].name", f"port name {port.name!r} is used twice"))
        if (port.port, port.protocol) in {(p.port, p.protocol) for p in earlier}:
            problems.append(
                Problem(f"{path}.ports[{i}].port", f"port {port.port}/{port.protocol} is listed twice")
            )
    both = sorted(set(service.env) & set(service.secret_env))
    for env in both:
        problems.append(
            Problem(
                f"{path}.secret_env.{env}",
                f"{env} is also set in env; set it in one of env, secret_env",
            )
        )
    for i, volume in enumerate(service.volumes):
        mounted = service.volumes[:i]
        if volume.name in {v.name for v in mounted}:
            problems.append(
                Problem(f"{path}.volumes[{i}].name", f"volume name {volume.name!r} is used twice")
            )
        if volume.path in {v.path for v in mounted} or volume.path in service.tmpfs:
            problems.append(Problem(f"{path}.volumes[{i}].path", f"path {volume.path} is mounted twice"))
    for i, tmp in enumerate(service.tmpfs):
        if tmp in service.tmpfs[:i]:
            problems.append(Problem(f"{path}.tmpfs[{i}]", f"path {tmp} is listed twice"))
    if service.health is not None:
        problems += _check_probe_port(f"{path}.health", service)
    return problems


def _check_probe_port(path: str, service: ServiceSpec) -> list[Problem]:
    assert service.health is not None
    probe = service.health.probe
    port = getattr(probe, "port", None)
    if port is None:
        return []
    tcp_ports = sorted({p.port for p in service.ports if p.protocol == "tcp"})
    if port in tcp_ports:
        return []
    listed = ", ".join(map(str, tcp_ports)) or "none"
    return [
        Problem(
            f"{path}.{probe.kind}.port",
            f"{port} is not one of the service's tcp ports ({listed}); add it to ports",
        )
    ]


def _check_dependencies(spec: AppSpec, name: str) -> list[Problem]:
    problems = []
    depends_on = spec.services[name].depends_on
    for i, dep in enumerate(depends_on):
        where = f"services.{name}.depends_on[{i}]"
        if dep == name:
            problems.append(Problem(where, "a service cannot depend on itself"))
        elif dep not in spec.services:
            known = ", ".join(sorted(spec.services))
            problems.append(Problem(where, f"unknown service {dep!r}; services are: {known}"))
        elif dep in depends_on[:i]:
            problems.append(Problem(where, f"{dep!r} is listed twice"))
    return problems


def _check_cycles(spec: AppSpec) -> list[Problem]:
    """One problem per dependency cycle, reported at its alphabetically first service."""
    graph = {n: [d for d in s.depends_on if d in spec.services and d != n] for n, s in spec.services.items()}
    problems = []
    for start in sorted(graph):
        cycle = _find_cycle(graph, start)
        if cycle and start == min(cycle):
            chain = " -> ".join([*cycle, cycle[0]])
            problems.append(Problem(f"services.{start}.depends_on", f"dependency cycle: {chain}"))
    return problems


def _find_cycle(graph: dict[str, list[str]], start: str) -> list[str] | None:
    """A cycle through `start`, as the list of services on it, if there is one."""
    stack: list[tuple[str, list[str]]] = [(start, [start])]
    seen: set[str] = set()
    while stack:
        node, path = stack.pop()
        for nxt in sorted(graph[node], reverse=True):
            if nxt == start:
                return path
            if nxt not in seen:
                seen.add(nxt)
                stack.append((nxt, [*path, nxt]))
    return None


def _check_host_ports(spec: AppSpec) -> list[Problem]:
    owners: dict[str, str] = {}
    problems = []
    for name, service in spec.services.items():
        for i, port in enumerate(service.ports):
            if port.host_port is None:
                continue
            key = f"{port.host_port}/{port.protocol}"
            where = f"services.{name}.ports[{i}].host_port"
            if key in owners:
                problems.append(Problem(where, f"host port {key} is already published by {owners[key]}"))
            else:
                owners[key] = where
    return problems
