"""Consoles are reached from the host only."""

from __future__ import annotations

from collections.abc import Mapping

from ...framework import Messages, Params, Resource, control
from ...judge import loopback
from ...read import as_list, get, unknown
from . import DOMAIN


@control(
    id="libvirt-console-localhost",
    target="libvirt",
    severity="high",
    benchmark="libvirt security: consoles",
    description="Graphics and serial consoles listen on localhost only.",
    remediation="Leave libvirt.vnc off or bound to 127.0.0.1; reach consoles through SSH tunnels.",
    isolation=True,
    types=DOMAIN,
)
def console_localhost(r: Resource, _: Params) -> Messages:
    graphics = r.props.get("graphics")
    if isinstance(graphics, Mapping) and graphics.get("listenType") == "address":
        address = graphics.get("listenAddress")
        if not unknown(graphics, "listenAddress") and loopback(address or "127.0.0.1") is not True:
            yield f"graphics console listens on {address}"
    for console in as_list(r.props.get("consoles")):
        if get(console, "type") == "tcp" and loopback(get(console, "sourceHost") or "127.0.0.1") is not True:
            yield f"serial console listens on {get(console, 'sourceHost')}"
