"""Disks come from storage pools, not host block devices."""

from __future__ import annotations

from ...framework import Messages, Params, Resource, control
from ...read import as_list, get
from . import DOMAIN


@control(
    id="libvirt-no-raw-block-devices",
    target="libvirt",
    severity="critical",
    benchmark="libvirt security: storage",
    description="No raw host block device is given to a VM.",
    remediation="Use volumes from a storage pool.",
    isolation=True,
    types=DOMAIN,
)
def no_raw_block_devices(r: Resource, _: Params) -> Messages:
    for disk in as_list(r.props.get("disks")):
        if get(disk, "blockDevice"):
            yield f"uses the raw host block device {get(disk, 'blockDevice')}"
