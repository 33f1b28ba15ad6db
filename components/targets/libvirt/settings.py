"""`libvirt`: where VMs run, what they boot and the network they share."""

from __future__ import annotations

import ipaddress
from typing import Annotated, Literal

from pydantic import AfterValidator, Field

from ...appspec.names import ServiceName
from ...appspec.units import MIB, Bytes, at_least
from ...settings_section import SettingsModel, SettingsSection

# A Debian cloud image with cloud-init; see README "Base images".
DEFAULT_BASE_IMAGE = "/var/lib/libvirt/images/debian-12-genericcloud-amd64.qcow2"
LIBVIRT_URI = r"^[a-z0-9+]+://[^\s]*$"


def _check_cidr(value: str) -> str:
    try:
        network = ipaddress.IPv4Network(value)
    except ValueError:
        raise ValueError(f"{value!r} is not an IPv4 network; use e.g. 10.77.0.0/16") from None
    if network.prefixlen > 26:
        raise ValueError(f"{value} is too small; use a /26 or larger, e.g. 10.77.0.0/16")
    return value


class LibvirtNetworkSettings(SettingsModel):
    """`libvirt.network`: the stack's network; `none` isolates it from everything but the host."""

    # A /16: 4,094 blocks of 16 per host, room for hundreds of services with few collisions.
    cidr: Annotated[str, AfterValidator(_check_cidr)] = "10.77.0.0/16"
    mode: Literal["nat", "none", "route"] = "nat"


class LibvirtSettings(SettingsSection):
    """`libvirt`: where VMs run and what they boot."""

    key = "libvirt"

    uri: Annotated[str, Field(pattern=LIBVIRT_URI)] = "qemu:///system"
    hosts: Annotated[list[Annotated[str, Field(pattern=LIBVIRT_URI)]], Field(min_length=1)] | None = None
    pool: Annotated[str, Field(min_length=1)] = "default"
    base_image: Annotated[str, Field(min_length=1)] = DEFAULT_BASE_IMAGE
    network: LibvirtNetworkSettings = LibvirtNetworkSettings()
    # Pins: service -> the first address of its block (see components/addressing.py).
    addresses: dict[ServiceName, str] = {}
    domain_type: Literal["kvm", "qemu"] = "kvm"
    guest_memory_overhead: Annotated[Bytes, at_least(64 * MIB)] = 256 * MIB
    vnc: bool = False
    ssh_authorized_keys: list[Annotated[str, Field(pattern=r"^(ssh|ecdsa|sk)-[a-z0-9@.-]+ \S+")]] = []

    @property
    def host_uris(self) -> list[str]:
        """The libvirt URI of every host, in placement order."""
        return self.hosts or [self.uri]
