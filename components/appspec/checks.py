"""Rules that relate fields to each other: references, cycles, clashes. Pure, no I/O.

Every rule is linear (or n log n) in the size of the app: each list is indexed once in a
set or dict, and cycles are found with one walk over the whole dependency graph.

The rules also run on a spec that did not fully parse: a service whose field is invalid
(that problem is reported already) is checked on its other fields, and a rule that needs
the broken field skips the service. So one mistake is reported once, and every other
problem in the file is reported with it.
"""

from __future__ import annotations

import re
from collections import deque
from collections.abc import Collection, Iterator, Mapping
from dataclasses import dataclass

from .app import AppSpec
from .errors import Loc, Problem, format_path, problem_at
from .service import ServiceSpec

TMPFS_VOLUME = re.compile(r"tmp-[0-9]+")


@dataclass(frozen=True)
class ParsedService:
    """A service as far as it parsed: `broken` names the fields that did not (their
    defaults stand in for them in `spec`)."""

    spec: ServiceSpec
    broken: frozenset[str] = frozenset()

    def usable(self, *fields: str) -> bool:
        """Whether every one of `fields` parsed."""
        return self.broken.isdisjoint(fields)


def check_app(spec: AppSpec) -> list[Problem]:
    """Every cross-field problem in the app, each at the exact field path."""
    return check_services({name: ParsedService(s) for name, s in spec.services.items()}, spec.services)


def check_services(services: Mapping[str, ParsedService], names: Collection[str]) -> list[Problem]:
    """Every cross-field problem among `services` (those that parsed, fully or partly);
    `names` are all the app's service names, bodies valid or not, for references."""
    known = names if isinstance(names, set | frozenset | dict) else set(names)
    problems: list[Problem] = []
    for name, parsed in services.items():
        problems += _check_service(("services", name), parsed)
        problems += _check_dependencies(name, parsed, known)
    problems += _check_cycles(services)
    problems += _check_host_ports(services)
    problems += _check_reserved_names(services)
    return problems


def _check_reserved_names(services: Mapping[str, ParsedService]) -> list[Problem]:
    """Names the targets generate from other names, taken before a user can take them."""
    problems = []
    for name, parsed in services.items():
        owner = name.removesuffix("-public")
        owner_parsed = services.get(owner)
        if (
            owner != name
            and owner_parsed is not None
            and owner_parsed.usable("ports")
            and owner_parsed.spec.public_ports
        ):
            problems.append(
                problem_at(
                    ("services", name),
                    f"the name is taken by the Service that publishes {owner}'s public ports on "
                    f"Kubernetes; rename the service, e.g. {owner}-site",
                )
            )
        if not parsed.usable("volumes"):
            continue
        for i, volume in enumerate(parsed.spec.volumes):
            if TMPFS_VOLUME.fullmatch(volume.name):
                problems.append(
                    problem_at(
                        ("services", name, "volumes", i, "name"),
                        f"{volume.name!r} is reserved for tmpfs mounts on Kubernetes; "
                        "rename the volume, e.g. data",
                    )
                )
    return problems


def _check_service(loc: Loc, parsed: ParsedService) -> list[Problem]:
    service = parsed.spec
    problems = []
    if parsed.usable("ports"):
        problems += _check_ports(loc, service)
    if parsed.usable("env", "secret_env"):
        for env in sorted(service.env.keys() & service.secret_env.keys()):
            problems.append(
                problem_at(
                    (*loc, "secret_env", env),
                    f"{env} is also set in env; set it in one of env, secret_env",
                )
            )
    if parsed.usable("volumes"):
        problems += _check_volumes(loc, service, set(service.tmpfs) if parsed.usable("tmpfs") else set())
    if parsed.usable("tmpfs"):
        listed: set[str] = set()
        for i, tmp in enumerate(service.tmpfs):
            if tmp in listed:
                problems.append(problem_at((*loc, "tmpfs", i), f"path {tmp} is listed twice"))
            listed.add(tmp)
    if service.health is not None and parsed.usable("health", "ports"):
        problems += _check_probe_port((*loc, "health"), service)
    return problems


def _check_ports(loc: Loc, service: ServiceSpec) -> list[Problem]:
    problems = []
    names: set[str] = set()
    numbers: set[tuple[int, str]] = set()
    for i, port in enumerate(service.ports):
        if port.name in names:
            problems.append(problem_at((*loc, "ports", i, "name"), f"port name {port.name!r} is used twice"))
        if (port.port, port.protocol) in numbers:
            problems.append(
                problem_at((*loc, "ports", i, "port"), f"port {port.port}/{port.protocol} is listed twice")
            )
        names.add(port.name)
        numbers.add((port.port, port.protocol))
    return problems


def _check_volumes(loc: Loc, service: ServiceSpec, tmpfs: set[str]) -> list[Problem]:
    problems = []
    names: set[str] = set()
    paths: set[str] = set()
    for i, volume in enumerate(service.volumes):
        if volume.name in names:
            problems.append(
                problem_at((*loc, "volumes", i, "name"), f"volume name {volume.name!r} is used twice")
            )
        if volume.path in paths or volume.path in tmpfs:
            problems.append(problem_at((*loc, "volumes", i, "path"), f"path {volume.path} is mounted twice"))
        names.add(volume.name)
        paths.add(volume.path)
    return problems


def _check_probe_port(loc: Loc, service: ServiceSpec) -> list[Problem]:
    assert service.health is not None
    probe = service.health.probe
    port = getattr(probe, "port", None)
    if port is None:
        return []
    tcp_ports = {p.port for p in service.ports if p.protocol == "tcp"}
    if port in tcp_ports:
        return []
    listed = ", ".join(map(str, sorted(tcp_ports))) or "none"
    return [
        problem_at(
            (*loc, probe.kind, "port"),
            f"{port} is not one of the service's tcp ports ({listed}); add it to ports",
        )
    ]


def _check_dependencies(name: str, parsed: ParsedService, names: Collection[str]) -> list[Problem]:
    if not parsed.usable("depends_on"):
        return []
    problems = []
    listed: set[str] = set()
    for i, dep in enumerate(parsed.spec.depends_on):
        where = ("services", name, "depends_on", i)
        if dep == name:
            problems.append(problem_at(where, "a service cannot depend on itself"))
        elif dep not in names:
            known = ", ".join(sorted(names))
            problems.append(problem_at(where, f"unknown service {dep!r}; services are: {known}"))
        elif dep in listed:
            problems.append(problem_at(where, f"{dep!r} is listed twice"))
        listed.add(dep)
    return problems


def _check_cycles(services: Mapping[str, ParsedService]) -> list[Problem]:
    """One problem per group of services that depend on each other in a circle, reported
    at its alphabetically first service with one cycle through it."""
    graph = {
        name: sorted({d for d in p.spec.depends_on if d in services and d != name and _has_deps(services[d])})
        for name, p in services.items()
        if _has_deps(p)
    }
    problems = []
    for component in _strongly_connected(graph):
        if len(component) < 2:
            continue
        start = min(component)
        chain = " -> ".join([*_cycle_through(graph, start, set(component)), start])
        problems.append(problem_at(("services", start, "depends_on"), f"dependency cycle: {chain}"))
    return problems


def _has_deps(parsed: ParsedService) -> bool:
    return parsed.usable("depends_on")


def _strongly_connected(graph: Mapping[str, list[str]]) -> Iterator[list[str]]:
    """Tarjan's algorithm without recursion: each group of mutually reachable nodes, once."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    for root in graph:
        if root in index:
            continue
        index[root] = low[root] = len(index)
        stack.append(root)
        on_stack.add(root)
        work = [(root, iter(graph[root]))]
        while work:
            node, children = work[-1]
            for child in children:
                if child not in index:
                    index[child] = low[child] = len(index)
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(graph[child])))
                    break
                if child in on_stack:
                    low[node] = min(low[node], index[child])
            else:
                work.pop()
                if work:
                    parent = work[-1][0]
                    low[parent] = min(low[parent], low[node])
                if low[node] == index[node]:
                    component = []
                    while True:
                        member = stack.pop()
                        on_stack.discard(member)
                        component.append(member)
                        if member == node:
                            break
                    yield component


def _cycle_through(graph: Mapping[str, list[str]], start: str, members: set[str]) -> list[str]:
    """A shortest cycle from `start` back to it inside one strongly connected group."""
    came_from: dict[str, str] = {}
    queue = deque([start])
    while queue:
        node = queue.popleft()
        for nxt in graph[node]:
            if nxt == start:
                path = [node]
                while path[-1] != start:
                    path.append(came_from[path[-1]])
                return path[::-1]
            if nxt in members and nxt not in came_from:
                came_from[nxt] = node
                queue.append(nxt)
    raise AssertionError(f"{start} is on no cycle of its group")


def _check_host_ports(services: Mapping[str, ParsedService]) -> list[Problem]:
    owners: dict[str, str] = {}
    problems = []
    for name, parsed in services.items():
        if not parsed.usable("ports"):
            continue
        for i, port in enumerate(parsed.spec.ports):
            if port.host_port is None:
                continue
            key = f"{port.host_port}/{port.protocol}"
            where: Loc = ("services", name, "ports", i, "host_port")
            if key in owners:
                problems.append(problem_at(where, f"host port {key} is already published by {owners[key]}"))
            else:
                owners[key] = format_path(where)
    return problems
