"""NetworkPolicies: deny everything, then allow exactly what the spec says. Pure dicts.

- `default-deny`: no pod sends or receives anything...
- `allow-dns`: ...except DNS to the cluster's resolver;
- one policy per service: in from the pods of the services that depend on it (on
  its ports) and from anywhere on its public ports; out to the pods of its
  dependencies (on their ports), or anywhere when it has `egress`."""

from __future__ import annotations

from typing import Any

from ...resolve import ResolvedApp, ResolvedService
from ...wiring.plan import Peer, Wiring
from .pods import selector

ANYWHERE = [{"ipBlock": {"cidr": "0.0.0.0/0"}}]
# Cloud metadata services answer on the link-local address: never a destination for egress.
METADATA = "169.254.169.254/32"
EGRESS = [{"ipBlock": {"cidr": "0.0.0.0/0", "except": [METADATA]}}]


def _ports(service: ResolvedService, public_only: bool = False) -> list[dict[str, Any]]:
    return [
        {"port": p.port, "protocol": p.protocol.upper()}
        for p in service.spec.ports
        if p.public or not public_only
    ]


def default_deny() -> dict[str, Any]:
    """Selects every pod, allows nothing."""
    return {"podSelector": {}, "policyTypes": ["Ingress", "Egress"]}


def allow_dns() -> dict[str, Any]:
    """Every pod may ask the cluster DNS."""
    dns = {
        "namespaceSelector": {"matchLabels": {"kubernetes.io/metadata.name": "kube-system"}},
        "podSelector": {"matchLabels": {"k8s-app": "kube-dns"}},
    }
    return {
        "podSelector": {},
        "policyTypes": ["Egress"],
        "egress": [
            {"to": [dns], "ports": [{"port": 53, "protocol": "UDP"}, {"port": 53, "protocol": "TCP"}]}
        ],
    }


def _peer_ports(peer: Peer) -> list[dict[str, Any]]:
    return [{"port": p.port, "protocol": p.protocol.upper()} for p in peer.ports]


def _blocks(addresses: tuple[str, ...]) -> list[dict[str, Any]]:
    return [{"ipBlock": {"cidr": a if "/" in a else f"{a}/32"}} for a in addresses]


def build_service_policy(
    app: ResolvedApp, name: str, services: list[str], wiring: Wiring | None = None
) -> dict[str, Any]:
    """What one service's pods may receive and send; `wiring` gives its peers on other
    targets (clients admitted by the addresses their traffic comes from, servers reached
    at their addresses)."""
    svc, wiring = app.services[name], wiring or Wiring()
    ingress = []
    clients = [c for c in svc.clients if c in services]
    if clients and svc.spec.ports:
        ingress.append(
            {
                "from": [{"podSelector": {"matchLabels": selector(app.name, c)}} for c in clients],
                "ports": _ports(svc),
            }
        )
    ingress += [
        {"from": _blocks(peer.addresses), "ports": _peer_ports(peer)}
        for peer in wiring.clients.get(name, ())
        if peer.addresses and peer.ports
    ]
    if svc.spec.public_ports:
        ingress.append({"from": ANYWHERE, "ports": _ports(svc, public_only=True)})
    # Dependencies by pod selector even with egress: an ipBlock does not match pods on
    # several CNIs (Cilium), so `egress` alone would cut a service off its database.
    egress: list[dict[str, Any]] = [
        {
            "to": [{"podSelector": {"matchLabels": selector(app.name, dep)}}],
            "ports": _ports(app.services[dep]),
        }
        for dep in svc.spec.depends_on
        if dep in services and app.services[dep].spec.ports
    ]
    egress += [
        {"to": _blocks(peer.addresses), "ports": _peer_ports(peer)}
        for peer in wiring.servers.get(name, ())
        if peer.addresses and peer.ports
    ]
    if svc.spec.egress:
        egress.append({"to": EGRESS})
    return {
        "podSelector": {"matchLabels": selector(app.name, name)},
        "policyTypes": ["Ingress", "Egress"],
        "ingress": ingress,
        "egress": egress,
    }
