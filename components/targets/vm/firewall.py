"""Who may talk to a service VM, as guest firewall rules. Pure.

Inbound: each client's replica addresses on the service's ports, public ports
from anywhere, SSH from the host when operator keys are set. Outbound: each
dependency's replica addresses on its ports (plus DNS to the host); all of it
when the service has `egress`."""

from __future__ import annotations

from collections.abc import Mapping

from ...cloudinit import Firewall, Rule
from ...resolve import ResolvedApp, ResolvedService
from ...wiring.plan import Wiring


def _ports_by_protocol(service: ResolvedService, public: bool | None = None) -> dict[str, tuple[int, ...]]:
    found: dict[str, list[int]] = {}
    for port in service.spec.ports:
        if public is None or port.public == public:
            found.setdefault(port.protocol, []).append(port.port)
    return {protocol: tuple(sorted(ports)) for protocol, ports in sorted(found.items())}


def plan_firewall(
    app: ResolvedApp,
    service: str,
    addresses: Mapping[str, tuple[str, ...]],
    gateway: str,
    ssh: bool,
    wiring: Wiring | None = None,
) -> Firewall:
    """The firewall of every replica of `service`; `addresses` gives each service's replica
    addresses, `wiring` its peers on other targets (clients' source addresses, servers'
    addresses)."""
    svc = app.services[service]
    wiring = wiring or Wiring()
    remote_sources = [a for peer in wiring.clients.get(service, ()) for a in peer.addresses]
    clients = tuple(
        sorted({*(a for client in svc.clients for a in addresses.get(client, ())), *remote_sources})
    )
    inbound = [Rule(proto, ports, clients) for proto, ports in _ports_by_protocol(svc).items()]
    inbound += [Rule(proto, ports, None) for proto, ports in _ports_by_protocol(svc, public=True).items()]
    if ssh:
        inbound.append(Rule("tcp", (22,), (gateway,)))
    outbound = [
        Rule(proto, ports, addresses.get(dep, ()))
        for dep in svc.spec.depends_on
        for proto, ports in _ports_by_protocol(app.services[dep]).items()
        if app.services[dep].target == svc.target
    ]
    outbound += [
        Rule(proto, tuple(sorted(p.port for p in peer.ports if p.protocol == proto)), peer.addresses)
        for peer in wiring.servers.get(service, ())
        for proto in sorted({p.protocol for p in peer.ports})
    ]
    return Firewall(tuple(inbound), tuple(outbound), egress=svc.spec.egress, dns_server=gateway)
