"""Service names inside environment values: `db`, `db:5432`, `http://api:8080`, `redis://cache:6379/0`.

In Compose every service on a network may reach every other; in the spec a service accepts
connections only from the services that list it in `depends_on`. A value that names another
service shows traffic the spec would refuse unless that dependency is declared."""

from __future__ import annotations

import re
from collections.abc import Iterable
from urllib.parse import urlsplit

# A bare value names a host only when the variable says it holds one.
_HOST_WORDS = {"HOST", "HOSTNAME", "HOSTS", "SERVER", "SERVERS", "ADDR", "ADDRESS", "URL", "URI", "DSN"}
_HOST_WORDS |= {"ENDPOINT", "BACKEND", "UPSTREAM", "BROKER", "BROKERS", "SERVICE", "NODES", "PEERS"}
_HOST_PORT = re.compile(r"^([A-Za-z0-9][A-Za-z0-9_.-]*):([0-9]{1,5})(/.*)?$")


def hosts_in(var: str, value: str) -> list[str]:
    """Host names `value` points at, in order: URL hosts, `host:port` pairs (also in
    comma-separated lists), or the whole value when `var` is about a host (`DB_HOST=db`)."""
    hosts: list[str] = []
    for part in (p.strip() for p in value.split(",")):
        host = _host_of(part)
        if host is None and _about_a_host(var) and re.fullmatch(r"[A-Za-z0-9][A-Za-z0-9_.-]*", part):
            host = part
        if host and host not in hosts:
            hosts.append(host)
    return hosts


def services_named(var: str, value: str, services: Iterable[str]) -> list[str]:
    """The services among `services` that `value` points at (host names ignore case)."""
    known = {s.lower(): s for s in services}
    found = [known[h.lower()] for h in hosts_in(var, value) if h.lower() in known]
    return list(dict.fromkeys(found))


def ports_named(var: str, value: str, services: Iterable[str]) -> list[tuple[str, int]]:
    """(service, port) pairs that `value` connects to with an explicit port (`db:3306`,
    `redis://cache:6379/0`), for services among `services`."""
    known = {s.lower(): s for s in services}
    found: list[tuple[str, int]] = []
    for part in (p.strip() for p in value.split(",")):
        host, port = _host_and_port(part)
        if host is not None and port is not None and host.lower() in known:
            found.append((known[host.lower()], port))
    return list(dict.fromkeys(found))


def _host_and_port(part: str) -> tuple[str | None, int | None]:
    if "://" in part:
        try:
            parsed = urlsplit(part)
            return parsed.hostname and _host_of(part), parsed.port
        except ValueError:
            return None, None
    match = _HOST_PORT.match(part)
    if match and 1 <= int(match.group(2)) <= 65535:
        return match.group(1), int(match.group(2))
    return None, None


def replace_host(var: str, value: str, old: str, new: str) -> str:
    """`value` with host `old` replaced by `new` where `hosts_in` finds it, nowhere else."""
    parts = value.split(",")
    for i, part in enumerate(parts):
        stripped = part.strip()
        host = _host_of(stripped)
        if host is None and _about_a_host(var):
            host = stripped
        if host is None or host.lower() != old.lower():
            continue
        if "://" in stripped:
            scheme, _, rest = stripped.partition("://")
            netloc, slash, tail = rest.partition("/")
            userinfo, at, hostport = netloc.rpartition("@")
            replaced = f"{scheme}://{userinfo}{at}{new}{hostport[len(host) :]}{slash}{tail}"
        else:
            replaced = new + stripped[len(host) :]
        parts[i] = part.replace(stripped, replaced, 1)
    return ",".join(parts)


def _host_of(part: str) -> str | None:
    if "://" in part:
        try:
            netloc = urlsplit(part).netloc
        except ValueError:
            return None
        host = netloc.rpartition("@")[2]
        return None if host.startswith("[") else host.split(":")[0] or None
    match = _HOST_PORT.match(part)
    return match.group(1) if match else None


def _about_a_host(var: str) -> bool:
    words = set(re.split(r"[^A-Z0-9]+", var.upper()))
    return bool(words & _HOST_WORDS)
