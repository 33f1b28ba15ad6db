"""The provider's libvirt connection is encrypted."""

from __future__ import annotations

from ...framework import Messages, Params, Resource, control
from ...read import text
from ...resource_types import LIBVIRT_PROVIDER


@control(
    id="libvirt-no-plaintext-tcp",
    target="libvirt",
    severity="critical",
    benchmark="libvirt security: remote access",
    description="The provider does not talk to libvirt over plaintext TCP.",
    remediation="Use qemu+ssh:// or qemu+tls:// URIs.",
    isolation=True,
    types=(LIBVIRT_PROVIDER,),
)
def no_plaintext_tcp(r: Resource, _: Params) -> Messages:
    uri = text(r.props.get("uri")) or ""
    if "+tcp://" in uri.lower():
        yield f"connects to libvirt over plaintext TCP ({uri.split('://')[0]})"
