"""9p host shares are read-only and mapped."""

from __future__ import annotations

from ...framework import Messages, Params, Resource, control
from ...read import as_list, get
from . import DOMAIN


@control(
    id="libvirt-no-writable-shares",
    target="libvirt",
    severity="high",
    benchmark="libvirt security: 9p",
    description="No writable or passthrough 9p host share.",
    remediation="Remove filesystems, or make them readonly with mapped access.",
    isolation=True,
    types=DOMAIN,
)
def no_writable_shares(r: Resource, _: Params) -> Messages:
    for share in as_list(r.props.get("filesystems")):
        if get(share, "readonly") is False:
            yield f"shares the host directory {get(share, 'source')} writable"
        if get(share, "accessmode") == "passthrough":
            yield f"shares {get(share, 'source')} with passthrough access (host uid/gid)"
