"""One machine on the fabric: a root disk over the base image, a cloud-init disk, extra
disks, and the domain. Shared by service VMs and cluster nodes."""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass

import pulumi
import pulumi_libvirt as libvirt

from ... import naming
from ...cloudinit import network_config
from .domain import build_domain_args
from .fabric import LibvirtFabric


def instance_id(hostname: str, user_data: pulumi.Output[str]) -> pulumi.Output[str]:
    """A new instance-id on every change of user-data, so cloud-init runs its first-boot
    steps on the new VM (and a secret user-data keeps its hash secret too)."""
    return user_data.apply(lambda text: f"{hostname}-{hashlib.sha256(text.encode()).hexdigest()[:12]}")


@dataclass(frozen=True)
class MachineSpec:
    """What one VM needs besides its documents."""

    name: str
    group: str  # its machine group on the fabric
    index: int
    labels: dict[str, str]
    mac: str
    vcpu: int
    memory_mib: int
    root_size: int | None = None


def build_machine(
    parent: pulumi.Resource,
    fabric: LibvirtFabric,
    machine: MachineSpec,
    user_data: pulumi.Input[str],
    meta_data: pulumi.Input[str],
    extra_disks: Sequence[libvirt.Volume] = (),
    after: Sequence[pulumi.Resource] = (),
) -> libvirt.Domain:
    """Cloud-init disk, a root disk over the base image that is replaced with it (each VM
    generation boots clean), and the domain, replaced delete-first: its address and its
    extra disks belong to one VM at a time. The domain is created (and replaced) only
    after `after` (the previous replica's readiness gate)."""
    settings, host = fabric.settings, fabric.host(machine.group, machine.index)
    address = fabric.placement(machine.group, machine.index).address
    child = pulumi.ResourceOptions(parent=parent, provider=host.provider)
    cloudinit = libvirt.CloudInitDisk(
        naming.child(machine.name, "cloudinit"),
        pool=settings.pool,
        user_data=user_data,
        meta_data=meta_data,
        network_config=network_config(
            machine.mac, address, host.subnet.network.prefixlen, host.subnet.gateway, [fabric.domain]
        ),
        opts=child,
    )
    root = libvirt.Volume(
        naming.child(machine.name, "root"),
        pool=settings.pool,
        base_volume_id=host.base.id,
        format="qcow2",
        size=machine.root_size,
        opts=pulumi.ResourceOptions.merge(child, pulumi.ResourceOptions(replace_with=[cloudinit])),
    )
    return libvirt.Domain(
        machine.name,
        build_domain_args(
            labels=machine.labels,
            mac=machine.mac,
            vcpu=machine.vcpu,
            memory=machine.memory_mib,
            network_id=host.network.id,
            cloudinit_id=cloudinit.id,
            disk_ids=[root.id, *(d.id for d in extra_disks)],
            settings=settings,
        ),
        opts=pulumi.ResourceOptions.merge(
            child, pulumi.ResourceOptions(delete_before_replace=True, depends_on=list(after))
        ),
    )
