"""A service on its way into the spec: filled in by an importer, written in the spec's key order."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from .names import PORT_NAME_MAX, UniqueNames, dns_label

# Well-known ports get the name people use for them; others are named by protocol and number.
_WELL_KNOWN = {80: "http", 443: "https", 5432: "postgres", 3306: "mysql", 6379: "redis", 27017: "mongodb"}
_WELL_KNOWN |= {5672: "amqp", 9200: "elasticsearch", 11211: "memcached", 53: "dns", 22: "ssh", 25: "smtp"}


@dataclass
class PortDraft:
    """A port the container listens on; `public` ones are reachable from outside on `host_port`."""

    port: int
    protocol: str = "tcp"
    public: bool = False
    host_port: int | None = None
    name: str | None = None


@dataclass
class ServiceDraft:
    """One spec service. `None` / empty means "not set": the key is left out of the spec."""

    image: str
    command: list[str] | None = None
    env: dict[str, str] = field(default_factory=dict)
    secret_env: dict[str, str] = field(default_factory=dict)
    ports: list[PortDraft] = field(default_factory=list)
    replicas: int | None = None
    cpus: float | str | None = None
    memory: str | None = None
    health: dict[str, Any] | None = None
    volumes: list[dict[str, Any]] = field(default_factory=list)
    tmpfs: list[str] = field(default_factory=list)
    depends_on: list[str] = field(default_factory=list)
    egress: bool = True
    isolation: str | None = None
    user: str | None = None
    read_only_root: bool = False

    def find_port(self, port: int, protocol: str) -> PortDraft | None:
        """The entry for `port`/`protocol`, if there is one."""
        return next((p for p in self.ports if p.port == port and p.protocol == protocol), None)

    def to_spec(self) -> dict[str, Any]:
        """The service as spec data, keys in the spec's order."""
        out: dict[str, Any] = {"image": self.image}
        if self.command is not None:
            out["command"] = list(self.command)
        if self.env:
            out["env"] = dict(sorted(self.env.items()))
        if self.secret_env:
            out["secret_env"] = dict(sorted(self.secret_env.items()))
        if self.ports:
            out["ports"] = _ports(self.ports)
        if self.replicas is not None:
            out["replicas"] = self.replicas
        out["resources"] = {"cpus": 1 if self.cpus is None else self.cpus, "memory": self.memory or "512Mi"}
        if self.health is not None:
            out["health"] = {k: v for k, v in self.health.items() if not (k == "start_period" and v == "0s")}
        if self.volumes:
            out["volumes"] = [dict(v) for v in self.volumes]
        if self.tmpfs:
            out["tmpfs"] = list(self.tmpfs)
        if self.depends_on:
            out["depends_on"] = list(self.depends_on)
        out["egress"] = self.egress
        if self.isolation is not None:
            out["isolation"] = self.isolation
        if self.user is not None:
            out["user"] = self.user
        out["read_only_root"] = self.read_only_root
        return out


def _ports(ports: list[PortDraft]) -> list[dict[str, Any]]:
    names = UniqueNames(PORT_NAME_MAX)
    named = [names.claim(dns_label(p.name, PORT_NAME_MAX, "port")) if p.name else None for p in ports]
    out = []
    for port, given in zip(ports, named, strict=True):
        known = _WELL_KNOWN.get(port.port) if port.protocol == "tcp" else None
        name = given or names.claim(known or f"{port.protocol}-{port.port}")
        entry: dict[str, Any] = {"name": name, "port": port.port}
        if port.protocol != "tcp":
            entry["protocol"] = port.protocol
        if port.public:
            entry["public"] = True
        if port.host_port is not None:
            entry["host_port"] = port.host_port
        out.append(entry)
    return out
