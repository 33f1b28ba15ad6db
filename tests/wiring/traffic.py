"""Who can reach whom, computed from a recorded graph alone: Docker networks, host entries
and published ports; VM firewalls (nftables) and libvirt DNS; Kubernetes Services,
EndpointSlices and NetworkPolicies. A model of the engines' rules, small enough to read:

- a Docker container reaches a Docker server by the alias on a network they share; it
  reaches another target through a host entry (discovery) and a non-internal network
  that masquerades (path), and its traffic arrives from the Docker host's address;
- a VM reaches what its output chain allows (everything with egress), resolving names
  through the network's DNS; its traffic arrives from its own address;
- a pod reaches pods its NetworkPolicies' egress allows and the target's ingress admits;
  it reaches another target through a Service with an EndpointSlice (discovery) and an
  egress ipBlock (path), and its traffic arrives from the nodes' addresses;
- a VM admits what its input chain accepts; a pod what its ingress admits (an ipBlock
  for traffic from outside the cluster, which arrives on a LoadBalancer Service); a
  Docker server admits whoever reaches an address its port is published on.
"""

from __future__ import annotations

import ipaddress
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

import yaml

from components import vocabulary
from components.offline.recorder import RecordedResource, reveal
from components.offline.runner import PreviewResult

DOCKER_CONTAINER = "docker:index/container:Container"
DOCKER_NETWORK = "docker:index/network:Network"
DOMAIN = "libvirt:index/domain:Domain"
CLOUDINIT = "libvirt:index/cloudInitDisk:CloudInitDisk"
LIBVIRT_NETWORK = "libvirt:index/network:Network"
K8S_POLICY = "kubernetes:networking.k8s.io/v1:NetworkPolicy"
K8S_SERVICE = "kubernetes:core/v1:Service"
K8S_SLICE = "kubernetes:discovery.k8s.io/v1:EndpointSlice"
K8S_WORKLOADS = ("kubernetes:apps/v1:Deployment", "kubernetes:apps/v1:StatefulSet")
NO_MASQUERADE = "com.docker.network.bridge.enable_ip_masquerade"


def _inside(address: str, peers: Iterable[str] | None) -> bool:
    """Whether an address is in a set of addresses and networks (None: any)."""
    if peers is None:
        return True
    ip = ipaddress.IPv4Address(address)
    return any(ip in ipaddress.IPv4Network(p, strict=False) for p in peers)


@dataclass
class Chain:
    """The accept rules of one nftables chain: (peers or None for any, protocol, ports)."""

    rules: list[tuple[list[str] | None, str, set[int]]] = field(default_factory=list)
    open: bool = False  # no such chain: everything passes

    def allows(self, address: str, port: int, protocol: str) -> bool:
        return self.open or any(
            proto == protocol and port in ports and _inside(address, peers)
            for peers, proto, ports in self.rules
        )


def parse_chain(ruleset: str, name: str) -> Chain:
    if f"chain {name}" not in ruleset:
        return Chain(open=True)
    body = ruleset.split(f"chain {name}", 1)[1].split("\n  }", 1)[0]
    chain = Chain()
    for line in body.splitlines():
        match = re.match(r"\s*(?:ip [sd]addr \{ ([^}]*) \} )?(tcp|udp) dport \{ ([^}]*) \} accept", line)
        if match:
            peers = [p.strip() for p in match.group(1).split(",")] if match.group(1) else None
            chain.rules.append((peers, match.group(2), {int(p) for p in match.group(3).split(",")}))
    return chain


@dataclass
class Vm:
    service: str
    address: str
    inbound: Chain
    outbound: Chain


@dataclass
class Container:
    service: str
    networks: list[RecordedResource]
    aliases: dict[str, set[str]]  # network name -> aliases there
    hosts: dict[str, str]
    published: list[tuple[str, int, str]]  # (address, port, protocol)


@dataclass
class Pod:
    service: str
    ingress: list[dict[str, Any]]
    egress: list[dict[str, Any]]


def _label(resource: RecordedResource, key: str) -> str | None:
    if resource.type == DOCKER_CONTAINER:
        return {i["label"]: i["value"] for i in resource.inputs.get("labels", [])}.get(key)
    if resource.type == DOMAIN:
        return vocabulary.description_labels(resource.inputs.get("description")).get(key)
    return (resource.inputs.get("metadata") or {}).get("labels", {}).get(key)


class Graph:
    """The recorded graph, read as the engines would enforce it."""

    def __init__(self, result: PreviewResult, ports: dict[str, list[tuple[int, str]]]) -> None:
        self.ports = ports  # service -> its (port, protocol)
        resources = list(result.resources)
        networks = {r.outputs.get("name"): r for r in resources if r.type == DOCKER_NETWORK}
        self.containers: dict[str, Container] = {}
        for c in (r for r in resources if r.type == DOCKER_CONTAINER):
            service = _label(c, vocabulary.SERVICE)
            if service is None or _label(c, vocabulary.REPLICA) != "0":
                continue
            attached = c.inputs.get("networksAdvanced", [])
            self.containers[service] = Container(
                service,
                [networks[a["name"]] for a in attached],
                {a["name"]: set(a.get("aliases") or []) for a in attached},
                {h["host"]: h["ip"] for h in c.inputs.get("hosts", [])},
                [
                    (p["ip"], p.get("external") or p["internal"], p.get("protocol", "tcp"))
                    for p in c.inputs.get("ports", [])
                ],
            )
        self.vms: dict[str, Vm] = {}
        self.node_addresses: list[str] = []  # where pod traffic leaves a cluster from
        for domain in (r for r in resources if r.type == DOMAIN):
            disk = _cloudinit_of(domain, resources)
            config = yaml.safe_load(disk.inputs["networkConfig"])
            address = config["ethernets"]["primary"]["addresses"][0].split("/")[0]
            if _label(domain, vocabulary.K3S_ROLE):
                self.node_addresses.append(address)
                continue
            service = _label(domain, vocabulary.SERVICE)
            if service is None or _label(domain, vocabulary.REPLICA) != "0":
                continue
            user_data = yaml.safe_load(reveal(disk.inputs["userData"]))
            ruleset = next(
                f["content"] for f in user_data["write_files"] if f["path"] == "/etc/nftables.conf"
            )
            self.vms[service] = Vm(
                service, address, parse_chain(ruleset, "input"), parse_chain(ruleset, "output")
            )
        self.dns: dict[str, set[str]] = {}
        for network in (r for r in resources if r.type == LIBVIRT_NETWORK):
            for host in network.inputs.get("dns", {}).get("hosts", []):
                self.dns.setdefault(host["hostname"], set()).add(host["ip"])
        self.gateway = next(
            (str(ipaddress.IPv4Network(n.inputs["addresses"][0]).network_address + 1)
             for n in resources if n.type == LIBVIRT_NETWORK), None)  # fmt: skip
        self.pods: dict[str, Pod] = {}
        policies = {r.inputs["metadata"]["name"]: r.inputs["spec"] for r in resources if r.type == K8S_POLICY}
        for workload in (r for r in resources if r.type in K8S_WORKLOADS):
            service = _label(workload, vocabulary.SERVICE)
            assert service is not None
            spec = policies[service]
            self.pods[service] = Pod(service, spec.get("ingress", []), spec.get("egress", []))
        self.k8s_services = {
            r.inputs["metadata"]["name"]: r.inputs["spec"] for r in resources if r.type == K8S_SERVICE
        }
        self.slices = {
            r.inputs["metadata"]["labels"]["kubernetes.io/service-name"]: [a for e in r.inputs["endpoints"] for a in e["addresses"]]
            for r in resources if r.type == K8S_SLICE
        }  # fmt: skip
        self.docker_address: str | None = self.gateway  # where the Docker host's traffic comes from

    # -- who is where
    def target_of(self, service: str) -> str:
        if service in self.containers:
            return "docker"
        if service in self.vms:
            return "vm"
        return "kubernetes"

    def addresses_of(self, server: str) -> list[str]:
        """The addresses a peer on another target connects to."""
        if server in self.vms:
            return [self.vms[server].address]
        if server in self.containers:
            return [a for a, _, _ in self.containers[server].published]
        return self.node_addresses if self.k8s_services.get(server, {}).get("type") == "LoadBalancer" else []

    # -- the model
    def reaches(self, client: str, server: str, port: int, protocol: str) -> bool:
        """Whether `client` can open a connection to `server` on `port` (by name)."""
        a, b = self.target_of(client), self.target_of(server)
        if a == b == "docker":
            mine = {n.urn for n in self.containers[client].networks}
            return any(n.urn in mine and server in self.containers[server].aliases[n.outputs["name"]]
                       for n in self.containers[server].networks)  # fmt: skip
        if a == b == "kubernetes":
            return self._pod_egress_to_pod(client, server, port, protocol) and self._pod_ingress_from_pod(
                server, client, port, protocol
            )
        if a == b == "vm":
            target = self.vms[server].address
            return (
                target in self.dns.get(server, set())
                and self.vms[client].outbound.allows(target, port, protocol)
                and self.vms[server].inbound.allows(self.vms[client].address, port, protocol)
            )
        addresses, source = self._discover(client, server, a)
        return any(
            self._path(client, a, address, port, protocol)
            and self._admits(server, b, source, address, port, protocol)
            for address in addresses
        )

    def _discover(self, client: str, server: str, a: str) -> tuple[list[str], list[str]]:
        """(addresses the client's name lookup gives, addresses its traffic comes from)."""
        if a == "docker":
            found = self.containers[client].hosts.get(server)
            return ([found] if found else []), [self.docker_address or ""]
        if a == "vm":
            return sorted(self.dns.get(server, set())), [self.vms[client].address]
        is_peer = server in self.k8s_services and "selector" not in self.k8s_services[server]
        return (self.slices.get(server, []) if is_peer else []), self.node_addresses

    def _path(self, client: str, a: str, address: str, port: int, protocol: str) -> bool:
        if a == "docker":
            return any(not n.inputs.get("internal") and (n.inputs.get("options") or {}).get(NO_MASQUERADE) != "false"
                       for n in self.containers[client].networks)  # fmt: skip
        if a == "vm":
            return self.vms[client].outbound.allows(address, port, protocol)
        return any(
            _port_ok(rule, port, protocol) and any("ipBlock" in peer and _inside(address, [peer["ipBlock"]["cidr"]]) for peer in rule.get("to", []))
            for rule in self.pods[client].egress
        )  # fmt: skip

    def _admits(
        self, server: str, b: str, sources: list[str], address: str, port: int, protocol: str
    ) -> bool:
        if not sources:
            return False
        if b == "vm":
            return address == self.vms[server].address and all(
                self.vms[server].inbound.allows(s, port, protocol) for s in sources
            )
        if b == "docker":
            return (address, port, protocol) in self.containers[server].published
        on_nodes = (
            self.k8s_services.get(server, {}).get("type") == "LoadBalancer" and address in self.node_addresses
        )
        return on_nodes and all(
            any(_port_ok(rule, port, protocol) and any("ipBlock" in p and _inside(s, [p["ipBlock"]["cidr"]]) for p in rule.get("from", []))
                for rule in self.pods[server].ingress)
            for s in sources
        )  # fmt: skip

    def _pod_egress_to_pod(self, client: str, server: str, port: int, protocol: str) -> bool:
        return any(
            _port_ok(r, port, protocol) and any(_selects(p, server) for p in r.get("to", []))
            for r in self.pods[client].egress
        )

    def _pod_ingress_from_pod(self, server: str, client: str, port: int, protocol: str) -> bool:
        return any(
            _port_ok(r, port, protocol) and any(_selects(p, client) for p in r.get("from", []))
            for r in self.pods[server].ingress
        )

    def allowed_pairs(self) -> set[tuple[str, str]]:
        """Every (client, server) with a connection possible on some port of the server."""
        services = set(self.containers) | set(self.vms) | set(self.pods)
        return {
            (c, s)
            for c in services
            for s in services
            if c != s and any(self.reaches(c, s, port, proto) for port, proto in self.ports.get(s, []))
        }


def _port_ok(rule: dict[str, Any], port: int, protocol: str) -> bool:
    ports = rule.get("ports")
    return ports is None or any(
        p.get("port") == port and p.get("protocol", "TCP") == protocol.upper() for p in ports
    )


def _selects(peer: dict[str, Any], service: str) -> bool:
    labels = (peer.get("podSelector") or {}).get("matchLabels", {})
    return labels.get(vocabulary.SERVICE) == service


def _cloudinit_of(domain: RecordedResource, resources: list[RecordedResource]) -> RecordedResource:
    (disk,) = [r for r in resources if r.parent == domain.parent and r.type == CLOUDINIT]
    return disk
