"""Which Docker networks the app needs, and who joins them. Pure planning, no Pulumi.

The rule: a service accepts traffic only from the services that depend on it.
A Docker network lets every member reach every other member, so one network
per server with all its clients would let two clients of one database talk to
each other. Hence one network per allowed pair:
- `<server>-from-<client>`, for each `depends_on` edge: joined by the server
  (aliased by its name) and that one client. Always `internal`: no route out of
  the host, so joining a server's network never gives a client egress.
- `<service>-edge`, for a service with `egress` or public ports, or placed across
  targets from a peer: joined by that service alone. Not internal, so ports can be
  published and traffic can leave. Without `egress`, outbound masquerading is switched
  off, so a public service answers on its published ports but cannot reach beyond the
  host; a client of a server on another target keeps masquerading on, because that
  is how its traffic reaches the VMs or nodes (as the Docker host's address), which
  routes it beyond the app too (a declared gap, `components/wiring/pairs.py`).
A service on neither kind runs with `network_mode: none`.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from ... import naming
from ...resolve import ResolvedApp
from ...wiring.plan import Wiring

NO_MASQUERADE = {"com.docker.network.bridge.enable_ip_masquerade": "false"}


@dataclass(frozen=True)
class NetworkPlan:
    """One network: its owner, its members, and how open it is."""

    owner: str
    role: str  # "from-<client>" (owner + that client) or "edge" (owner alone, to the outside)
    members: tuple[str, ...]
    internal: bool
    options: dict[str, str]
    client: str | None = None  # the client of a depends_on pair's network

    def logical_name(self, app: str) -> str:
        """The network's logical resource name."""
        if self.client is None:
            return naming.edge_network_name(app, self.owner)
        return naming.link_network_name(app, self.owner, self.client)


def plan_networks(
    app: ResolvedApp, services: Sequence[str], wiring: Wiring | None = None
) -> list[NetworkPlan]:
    """The networks for `services` (those of `app` placed on Docker); `wiring` gives their
    peers on other targets."""
    wiring = wiring or Wiring()
    plans = []
    here = set(services)
    for name in services:
        svc = app.services[name]
        for client in svc.clients:
            if client in here:
                plans.append(
                    NetworkPlan(
                        name, f"from-{client}", (name, client), internal=True, options={}, client=client
                    )
                )
        reaches_out = svc.spec.egress or name in wiring.servers
        if reaches_out or svc.spec.public_ports or name in wiring.clients:
            options = {} if reaches_out else dict(NO_MASQUERADE)
            plans.append(NetworkPlan(name, "edge", (name,), internal=False, options=options))
    return plans
