"""A network's forward mode."""

from __future__ import annotations

from ...framework import Messages, Params, Resource, control
from ...read import unknown
from ...resource_types import LIBVIRT_NETWORK


@control(
    id="libvirt-network-mode",
    target="libvirt",
    severity="high",
    benchmark="libvirt security: network isolation",
    description="Networks are none, nat or route; bridges only onto allowed ones.",
    remediation="Set libvirt.network.mode to nat, none or route.",
    isolation=True,
    types=(LIBVIRT_NETWORK,),
    allowedBridges=[],
)
def network_mode(r: Resource, params: Params) -> Messages:
    if unknown(r.props, "mode"):
        return
    mode = r.props.get("mode") or "nat"
    if mode == "bridge":
        if r.props.get("bridge") not in params["allowedBridges"]:
            yield f"bridges onto {r.props.get('bridge')}, which is not an allowed bridge"
    elif mode not in ("none", "nat", "route"):
        yield f"network mode {mode} is not none, nat or route"
