"""Services: a ClusterIP Service per service (its name is the DNS name clients use), and a
LoadBalancer or NodePort Service for public ports. Pure dicts."""

from __future__ import annotations

from typing import Any

from ...resolve import ResolvedService
from ...wiring.plan import Peer
from .pods import selector

NODE_PORTS = range(30000, 32768)


def build_service_spec(service: ResolvedService, app: str, peers: bool = False) -> dict[str, Any]:
    """In-cluster access on every port; headless when the service has no ports (a
    StatefulSet still needs a governing Service). With `peers` (clients on other targets) it
    is a LoadBalancer on the spec's ports, which the cluster's load balancer answers on the
    nodes' addresses (k3s's ServiceLB does), keeping the client's address (`Local`) for the
    NetworkPolicy that admits it."""
    ports = [
        {"name": p.name, "port": p.port, "targetPort": p.port, "protocol": p.protocol.upper()}
        for p in service.spec.ports
    ]
    spec: dict[str, Any] = {"selector": selector(app, service.name), "ports": ports}
    if not ports:
        spec["clusterIP"] = "None"
    elif peers:
        spec.update({"type": "LoadBalancer", "externalTrafficPolicy": "Local"})
    return spec


def build_peer_service_spec(peer: Peer) -> dict[str, Any]:
    """A Service without selector for a server on another target: its name resolves in the
    cluster, and the EndpointSlice below gives its addresses."""
    return {"ports": [{"name": p.name, "port": p.port, "protocol": p.protocol.upper()} for p in peer.ports]}


def build_endpoint_slice(peer: Peer) -> dict[str, Any]:
    """The addresses and ports of a server on another target (the fields besides metadata)."""
    return {
        "addressType": "IPv4",
        "endpoints": [{"addresses": [address]} for address in peer.addresses],
        "ports": [{"name": p.name, "port": p.port, "protocol": p.protocol.upper()} for p in peer.ports],
    }


def node_port_problems(service: ResolvedService, node_ports: range) -> list[str]:
    """A NodePort Service takes a `host_port` as its nodePort only inside the cluster's range."""
    return [
        f"services.{service.name}.ports[{i}].host_port {p.host_port} is outside "
        f"kubernetes.node_port_range {node_ports.start}-{node_ports.stop - 1}; pick a host_port in it, "
        "change the range to the cluster's, or use public_service_type LoadBalancer"
        for i, p in enumerate(service.spec.ports)
        if p.public and p.host_port is not None and p.host_port not in node_ports
    ]


def build_public_service_spec(
    service: ResolvedService, app: str, service_type: str, node_ports: range = NODE_PORTS
) -> dict[str, Any] | None:
    """Public ports from outside the cluster: a LoadBalancer on the spec's `host_port` (or the
    port), or a NodePort Service whose nodePort is the `host_port` (in `node_ports`; outside
    it `node_port_problems` stops the run) or one the cluster picks."""
    public = service.spec.public_ports
    if not public:
        return None
    ports = []
    for p in public:
        port: dict[str, Any] = {"name": p.name, "targetPort": p.port, "protocol": p.protocol.upper()}
        if service_type == "LoadBalancer":
            port["port"] = p.host_port or p.port
        else:
            port["port"] = p.port
            if p.host_port in node_ports:
                port["nodePort"] = p.host_port
        ports.append(port)
    return {"type": service_type, "selector": selector(app, service.name), "ports": ports}
