"""sVirt confinement stays as libvirt sets it."""

from __future__ import annotations

from ...framework import Messages, Params, Resource, control
from ...read import get, text
from . import DOMAIN


@control(
    id="libvirt-no-seclabel-override",
    target="libvirt",
    severity="critical",
    benchmark="libvirt security: sVirt",
    description="No XSLT disables or rewrites the domain's security label.",
    remediation="Remove the xml.xslt that touches <seclabel>.",
    isolation=True,
    types=DOMAIN,
)
def no_seclabel_override(r: Resource, _: Params) -> Messages:
    if "seclabel" in (text(get(r.props, "xml", "xslt")) or ""):
        yield "an XSLT rewrites the domain's security label (sVirt/AppArmor confinement)"
