"""A routed network puts the guests on the host's LAN."""

from __future__ import annotations

from ...framework import Messages, Params, Resource, control
from ...resource_types import LIBVIRT_NETWORK


@control(
    id="libvirt-no-routed-network",
    target="libvirt",
    severity="low",
    benchmark="libvirt security: network isolation",
    description="Networks are not routed onto the host's LAN (advisory: route is a deliberate choice).",
    remediation="Use libvirt.network.mode nat (or none) unless the guests must be reachable from the LAN; then firewall the route on the host.",
    isolation=False,
    advisory=True,
    types=(LIBVIRT_NETWORK,),
)
def no_routed_network(r: Resource, _: Params) -> Messages:
    if r.props.get("mode") == "route":
        yield "network mode route: the guests' addresses are routed onto the host's LAN, reachable without NAT"
