"""libvirt building blocks shared by service VMs and cluster nodes: the per-host provider,
network and base image, and one machine (root disk, cloud-init disk, extra disks, domain)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import pulumi
import pulumi_libvirt as libvirt

from ...addressing import Placement, Subnet, split
from ...cloudinit import network_config
from ...settings import LibvirtSettings
from .domain import build_domain_args, build_network_args


@dataclass(frozen=True)
class Host:
    """One libvirt host: its provider, the app's network there, and the base image volume."""

    index: int
    provider: libvirt.Provider
    network: libvirt.Network
    base: libvirt.Volume
    subnet: Subnet


def dns_entries(placements: dict[tuple[str, int], Placement]) -> list[tuple[str, str]]:
    """Every machine under its group name (round robin) and its own `<group>-<n>`."""
    entries = []
    for (group, index), placement in sorted(placements.items()):
        entries += [(group, placement.address), (f"{group}-{index}", placement.address)]
    return entries


def build_hosts(
    owner: pulumi.Resource, name: str, domain: str, settings: LibvirtSettings, dns: Sequence[tuple[str, str]]
) -> list[Host]:
    """A provider, network and base volume on every configured host."""
    uris = settings.host_uris
    hosts = []
    for index, (uri, subnet) in enumerate(zip(uris, split(settings.network.cidr, len(uris)), strict=True)):
        suffix = f"-h{index}" if len(uris) > 1 else ""
        provider = libvirt.Provider(
            f"{name}-provider{suffix}", uri=uri, opts=pulumi.ResourceOptions(parent=owner)
        )
        opts = pulumi.ResourceOptions(parent=owner, provider=provider)
        network = libvirt.Network(
            f"{name}-network{suffix}",
            build_network_args(domain, subnet, settings.network.mode, dns),
            opts=opts,
        )
        base = libvirt.Volume(
            f"{name}-base{suffix}", pool=settings.pool, source=settings.base_image, format="qcow2", opts=opts
        )
        hosts.append(Host(index, provider, network, base, subnet))
    return hosts


@dataclass(frozen=True)
class MachineSpec:
    """What one VM needs besides its documents."""

    name: str
    labels: dict[str, str]
    mac: str
    vcpu: int
    memory_mib: int
    address: str
    root_size: int | None = None


def build_machine(
    parent: pulumi.Resource,
    machine: MachineSpec,
    host: Host,
    user_data: pulumi.Input[str],
    meta_data: pulumi.Input[str],
    search: list[str],
    extra_disks: Sequence[libvirt.Volume],
    settings: LibvirtSettings,
) -> libvirt.Domain:
    """Cloud-init disk, a root disk over the base image that is replaced with it (each VM
    generation boots clean), and the domain, replaced delete-first: its address and its
    extra disks belong to one VM at a time."""
    child = pulumi.ResourceOptions(parent=parent)
    cloudinit = libvirt.CloudInitDisk(
        f"{machine.name}-cloudinit",
        pool=settings.pool,
        user_data=user_data,
        meta_data=meta_data,
        network_config=network_config(
            machine.mac, machine.address, host.subnet.network.prefixlen, host.subnet.gateway, search
        ),
        opts=child,
    )
    root = libvirt.Volume(
        f"{machine.name}-root",
        pool=settings.pool,
        base_volume_id=host.base.id,
        format="qcow2",
        size=machine.root_size,
        opts=pulumi.ResourceOptions(parent=parent, replace_with=[cloudinit]),
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
        opts=pulumi.ResourceOptions(parent=parent, delete_before_replace=True),
    )
