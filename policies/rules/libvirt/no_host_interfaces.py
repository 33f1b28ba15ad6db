"""A VM's NIC stays on the app's network."""

from __future__ import annotations

from ...framework import Messages, Params, Resource, control
from ...read import as_list, get
from . import DOMAIN


@control(
    id="libvirt-no-host-interfaces",
    target="libvirt",
    severity="high",
    benchmark="libvirt security: network isolation",
    description="No macvtap, VEPA or passthrough NIC; bridges only onto allowed ones.",
    remediation="Use the app's libvirt network; list deliberate bridges in allowedBridges.",
    isolation=True,
    types=DOMAIN,
    allowedBridges=[],
)
def no_host_interfaces(r: Resource, params: Params) -> Messages:
    for nic in as_list(r.props.get("networkInterfaces")):
        for kind in ("macvtap", "vepa", "passthrough"):
            if get(nic, kind):
                yield f"attaches a {kind} interface on the host device {get(nic, kind)}"
        bridge = get(nic, "bridge")
        if bridge and bridge not in params["allowedBridges"]:
            yield f"attaches to the host bridge {bridge}, which is not allowed"
