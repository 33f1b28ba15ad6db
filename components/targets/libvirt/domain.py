"""A machine -> the arguments of its libvirt domain, and a host's network. Pure.

Units as the provider wants them: domain `memory` in MiB, `vcpu` a whole count,
volume `size` in bytes."""

from __future__ import annotations

import ipaddress
import math
from collections.abc import Sequence

import pulumi
import pulumi_libvirt as libvirt

from ... import vocabulary
from ...addressing import Subnet
from ...appspec.units import mib_ceil
from .settings import LibvirtSettings


def vcpus(millicpus: int) -> int:
    """Whole vCPUs, rounded up."""
    return math.ceil(millicpus / 1000)


def memory_mib(memory: int, settings: LibvirtSettings) -> int:
    """The service's limit plus the guest's own overhead (OS, Podman), in MiB."""
    return mib_ceil(memory) + mib_ceil(settings.guest_memory_overhead)


def mac_address(address: str) -> str:
    """QEMU's 52:54:00 prefix and the low 24 bits of the machine's address: unique on any
    network up to a /8, where a hash of names would collide among thousands of VMs."""
    low = int(ipaddress.IPv4Address(address)) & 0xFFFFFF
    return "52:54:00:" + ":".join(f"{b:02x}" for b in low.to_bytes(3, "big"))


def data_device(index: int) -> str:
    """The guest device of the `index`-th data disk: virtio disks after the root disk `vda`
    are `vdb` ... `vdz`, then `vdaa`, `vdab`, ... as the Linux kernel names them."""
    number = index + 1  # vda is the root disk
    letters = ""
    while True:
        number, rest = divmod(number, 26)
        letters = chr(ord("a") + rest) + letters
        if number == 0:
            return f"/dev/vd{letters}"
        number -= 1


def build_network_args(
    app: str, subnet: Subnet, mode: str, dns_hosts: Sequence[tuple[str, str]]
) -> libvirt.NetworkArgs:
    """One host's network: static addressing (no DHCP), DNS answering every service name."""
    return libvirt.NetworkArgs(
        mode=mode,
        addresses=[str(subnet.network)],
        domain=app,
        autostart=True,
        dhcp=libvirt.NetworkDhcpArgs(enabled=False),
        dns=libvirt.NetworkDnsArgs(
            enabled=True,
            local_only=True,
            hosts=[libvirt.NetworkDnsHostArgs(hostname=h, ip=ip) for h, ip in dns_hosts],
        ),
    )


def build_domain_args(
    labels: dict[str, str],
    mac: str,
    vcpu: int,
    memory: int,
    network_id: pulumi.Input[str],
    cloudinit_id: pulumi.Input[str],
    disk_ids: Sequence[pulumi.Input[str]],
    settings: LibvirtSettings,
) -> libvirt.DomainArgs:
    """A domain: `vcpu` CPUs, `memory` MiB, its disks, one NIC, serial console, graphics
    off (or VNC on 127.0.0.1), the labels in its description. Used for service VMs and
    cluster nodes alike.

    The provider gives every domain the guest agent's virtio channel; `qemu_agent` (the
    `guest_agent` setting) makes it also wait for the agent after start and read the
    addresses through it, so it needs `qemu-guest-agent` on the base image."""
    graphics = (
        libvirt.DomainGraphicsArgs(
            type="vnc", listen_type="address", listen_address="127.0.0.1", autoport=True
        )
        if settings.vnc
        else libvirt.DomainGraphicsArgs(type="vnc", listen_type="none")
    )
    return libvirt.DomainArgs(
        type=settings.domain_type,
        vcpu=vcpu,
        memory=memory,
        description=vocabulary.description(labels),
        autostart=True,
        cloudinit=cloudinit_id,
        disks=[libvirt.DomainDiskArgs(volume_id=d) for d in disk_ids],
        network_interfaces=[libvirt.DomainNetworkInterfaceArgs(network_id=network_id, mac=mac)],
        consoles=[libvirt.DomainConsoleArgs(type="pty", target_port="0", target_type="serial")],
        graphics=graphics,
        qemu_agent=True if settings.guest_agent else None,
    )
