"""Compose `ports` (short and long syntax, ranges) and `expose`, as the ports of a spec service.

`8080:80` is port 80, public on host port 8080; `80` alone is public on a port the engine
picks; `expose` entries are reachable inside the app only. What the spec has no field for
(a host IP, a range of host ports, Swarm's `mode`) is a warning."""

from __future__ import annotations

import ipaddress
import re
from dataclasses import dataclass
from typing import Any

from .draft import PortDraft, ServiceDraft
from .report import Report
from .source_files import path_join

MAX_RANGE = 100
_RANGE = re.compile(r"^([0-9]+)(?:-([0-9]+))?$")
_LONG_KEYS = {"target", "published", "host_ip", "protocol", "mode", "name", "app_protocol"}


@dataclass(frozen=True)
class Binding:
    """One container port and how it is published."""

    container: int
    protocol: str
    host_port: int | None
    published: bool
    host_ip: str | None = None
    name: str | None = None
    notes: tuple[str, ...] = ()


class PortError(ValueError):
    """A port entry Compose would refuse."""


def add_ports(draft: ServiceDraft, ports: Any, expose: Any, path: str, report: Report) -> None:
    """Add `ports` and `expose` of the service at `path` to `draft`."""
    bindings: list[tuple[str, Binding]] = []
    for key, entries, parse in (("ports", ports, _parse_port), ("expose", expose, _parse_expose)):
        if entries is None:
            continue
        where = path_join(path, key)
        if not isinstance(entries, list):
            report.error(where, 'must be a list, e.g. ["8080:80"]')
            continue
        for i, entry in enumerate(entries):
            try:
                found = parse(entry)
            except PortError as error:
                report.error(path_join(where, i), str(error))
                continue
            bindings += [(path_join(where, i), b) for b in found]
    for where, binding in bindings:
        _add(draft, binding, where, report)


def _add(draft: ServiceDraft, binding: Binding, where: str, report: Report) -> None:
    for note in binding.notes:
        report.warn(where, note)
    if binding.protocol not in ("tcp", "udp"):
        report.warn(
            where, f"protocol {binding.protocol} is not kept: the spec has tcp and udp ports only; dropped"
        )
        return
    if binding.host_ip not in (None, "", "0.0.0.0", "::"):
        report.warn(
            where,
            f"host_ip {binding.host_ip} is not kept: the spec has no per-port address; "
            "the Docker target publishes on docker.bind_address "
            "(default 127.0.0.1), set it in the stack config",
        )
    existing = draft.find_port(binding.container, binding.protocol)
    if existing is None:
        draft.ports.append(
            PortDraft(binding.container, binding.protocol, binding.published, binding.host_port, binding.name)
        )
        return
    if not binding.published:
        return
    if existing.public and existing.host_port != binding.host_port:
        report.warn(
            where,
            f"port {binding.container}/{binding.protocol} is already published on "
            f"{_host(existing.host_port)}; the spec publishes a port once, so host port "
            f"{_host(binding.host_port)} is dropped",
        )
        return
    existing.public, existing.host_port = True, binding.host_port
    existing.name = existing.name or binding.name


def _host(port: int | None) -> str:
    return str(port) if port is not None else "a port the engine picks"


def _parse_expose(entry: Any) -> list[Binding]:
    if isinstance(entry, int) and not isinstance(entry, bool):
        entry = str(entry)
    if not isinstance(entry, str):
        raise PortError(f'{entry!r} is not a port; use e.g. "3000" or "8000-8010/udp"')
    text, protocol = _split_protocol(entry.strip())
    first, last = _bounds(text, entry)
    return [Binding(p, protocol, None, False) for p in _expand(first, last, entry)]


def _parse_port(entry: Any) -> list[Binding]:
    if isinstance(entry, int) and not isinstance(entry, bool):
        entry = str(entry)
    if isinstance(entry, dict):
        return _parse_long(entry)
    if not isinstance(entry, str):
        raise PortError(f'{entry!r} is not a port; use e.g. "8080:80" or {{target: 80, published: 8080}}')
    text, protocol = _split_protocol(entry.strip())
    host_ip, host, container = _split_short(text, entry)
    return _pair(container, host, protocol, host_ip, None, entry)


def _parse_long(entry: dict[Any, Any]) -> list[Binding]:
    unknown = sorted(str(k) for k in entry if k not in _LONG_KEYS and not str(k).startswith("x-"))
    if unknown:
        raise PortError(f"unknown key {unknown[0]!r}; allowed: {', '.join(sorted(_LONG_KEYS))}")
    target = entry.get("target")
    if target is None:
        raise PortError("target is missing: the container port, e.g. {target: 80, published: 8080}")
    protocol = str(entry.get("protocol") or "tcp").lower()
    published = entry.get("published")
    name = entry.get("name") or entry.get("app_protocol")
    host_ip = entry.get("host_ip")
    bindings = _pair(
        str(target),
        "" if published is None else str(published),
        protocol,
        str(host_ip) if host_ip else None,
        str(name) if name else None,
        entry,
    )
    if "mode" in entry:
        note = f"mode {entry['mode']} is not kept: each target publishes ports its own way (see the README)"
        bindings = [Binding(**{**b.__dict__, "notes": (*b.notes, note)}) for b in bindings]
    return bindings


def _pair(
    container: str, host: str, protocol: str, host_ip: str | None, name: str | None, entry: Any
) -> list[Binding]:
    first, last = _bounds(container, entry)
    if not host:
        return [Binding(c, protocol, None, True, host_ip, name) for c in _expand(first, last, entry)]
    host_first, host_last = _bounds(host, entry)
    if first == last and host_first != host_last:
        note = (
            f"host port range {host_first}-{host_last} is not kept: the spec publishes on one port; "
            f"{host_first} is used"
        )
        return [Binding(first, protocol, host_first, True, host_ip, name, (note,))]
    if host_last - host_first != last - first:
        raise PortError(
            f"{entry!r}: the host range has {host_last - host_first + 1} ports and the container range "
            f'{last - first + 1}; use ranges of one length, e.g. "9090-9091:8080-8081"'
        )
    containers = _expand(first, last, entry)
    return [
        Binding(c, protocol, host_first + i, True, host_ip, name if first == last else None)
        for i, c in enumerate(containers)
    ]


def _split_protocol(text: str) -> tuple[str, str]:
    ports, slash, protocol = text.rpartition("/")
    return (ports, protocol.lower()) if slash else (text, "tcp")


def _split_short(text: str, entry: str) -> tuple[str | None, str, str]:
    """`[IP:][HOST:]CONTAINER` -> (ip, host, container); IPv6 may be in brackets or bare."""
    if text.startswith("["):
        ip, bracket, rest = text[1:].partition("]")
        if not bracket or not rest.startswith(":") or not _is_ip(ip):
            raise PortError(f'{entry!r} is not a port mapping; use e.g. "[::1]:8080:80"')
        host, colon, container = rest[1:].rpartition(":")
        if not colon:
            raise PortError(f'{entry!r}: a host IP needs a host and a container port, e.g. "[::1]:8080:80"')
        return ip, host, container
    parts = text.split(":")
    if len(parts) == 1:
        return None, "", parts[0]
    if len(parts) == 2:
        return None, parts[0], parts[1]
    ip, host, container = text.rsplit(":", 2)
    if not _is_ip(ip):
        raise PortError(f'{entry!r} is not a port mapping; use e.g. "80", "8080:80", "127.0.0.1:8080:80/udp"')
    return ip, host, container


def _is_ip(text: str) -> bool:
    try:
        ipaddress.ip_address(text)
    except ValueError:
        return False
    return True


def _bounds(text: str, entry: Any) -> tuple[int, int]:
    match = _RANGE.match(text.strip())
    if not match:
        raise PortError(f'{entry!r} is not a port mapping; use e.g. "80", "8080:80", "127.0.0.1:8080:80/udp"')
    first = int(match.group(1))
    last = int(match.group(2)) if match.group(2) else first
    for number in (first, last):
        if not 1 <= number <= 65535:
            raise PortError(f"{entry!r}: port {number} is out of range; ports are 1-65535")
    if last < first:
        raise PortError(f"{entry!r}: the range {first}-{last} ends before it starts")
    return first, last


def _expand(first: int, last: int, entry: Any) -> list[int]:
    if last - first >= MAX_RANGE:
        raise PortError(
            f"{entry!r}: a range of {last - first + 1} ports; import at most {MAX_RANGE} per entry"
        )
    return list(range(first, last + 1))
