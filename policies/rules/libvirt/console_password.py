"""A listening graphics console asks for a password."""

from __future__ import annotations

from collections.abc import Mapping

from ...framework import Messages, Params, Resource, control
from ...read import get, text
from . import DOMAIN

PASSWORD_TYPES = ("vnc", "spice")  # graphics whose <graphics> element takes passwd


@control(
    id="libvirt-console-password",
    target="libvirt",
    severity="medium",
    benchmark="libvirt security: consoles",
    description="A listening VNC or SPICE console has a password.",
    remediation="Leave libvirt.vnc off, or add passwd to <graphics> with the domain's xml.xslt (or vnc_password in the host's qemu.conf, then disable this control).",
    isolation=False,
    types=DOMAIN,
)
def console_password(r: Resource, _: Params) -> Messages:
    graphics = r.props.get("graphics")
    if not isinstance(graphics, Mapping):
        return
    kind = str(graphics.get("type") or "spice").lower()  # the provider's default type is spice
    listening = graphics.get("listenType") not in ("none", None)
    xslt = text(get(r.props, "xml", "xslt")) or ""
    if kind in PASSWORD_TYPES and listening and "passwd" not in xslt:
        where = graphics.get("listenAddress") or "the default address"
        yield f"{kind} console on {where} has no password: whoever reaches it gets the VM's console"
