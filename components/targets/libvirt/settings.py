"""`libvirt`: where VMs run, what they boot and the network they share."""

from __future__ import annotations

import ipaddress
from typing import Annotated, Literal

from pydantic import AfterValidator, Field

from ...appspec.base import with_example
from ...appspec.limits import MAX_LIST, MAX_SERVICES, MAX_TEXT, at_most
from ...appspec.names import ServiceName
from ...appspec.text import TextForm
from ...appspec.units import MIB, Bytes, at_least
from ...settings_section import SettingsModel, SettingsSection

# A Debian cloud image with cloud-init; see README "Base images".
DEFAULT_BASE_IMAGE = "/var/lib/libvirt/images/debian-12-genericcloud-amd64.qcow2"
LIBVIRT_URI = r"[a-z0-9+]+://\S*"

LibvirtUri = Annotated[
    str,
    TextForm(
        LIBVIRT_URI,
        title="libvirt connection URI",
        rule="use a driver, '://' and the host and path, without spaces",
        example="qemu:///system",
        max_length=MAX_TEXT,
    ),
]
# One line of `authorized_keys`: type, base64 key, optional comment. One key per entry:
# a line break would add a second key nobody reviewed.
SshKey = Annotated[
    str,
    TextForm(
        r"(?:ssh|ecdsa|sk)-[a-z0-9@.-]+ [A-Za-z0-9+/]+={0,3}(?: [^\r\n]*)?",
        title="SSH public key",
        rule="use one line as in authorized_keys: the key type, the base64 key, then an optional comment",
        example="ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIA operator@example",
        max_length=16 * 1024,
    ),
]
# Paths and names libvirt is given as they are: printable text on one line.
LibvirtText = Annotated[
    str,
    TextForm(
        r"[^\x00-\x1f\x7f]+",
        title="name or path",
        rule="use printable text on one line",
        example="default",
        max_length=MAX_TEXT,
    ),
]


def _check_cidr(value: str) -> str:
    try:
        network = ipaddress.IPv4Network(value)
    except ValueError:
        raise ValueError(f"{value[:60]!r} is not an IPv4 network; use e.g. 10.77.0.0/16") from None
    if network.prefixlen > 26:
        raise ValueError(f"{value} is too small; use a /26 or larger, e.g. 10.77.0.0/16")
    return value


class LibvirtNetworkSettings(SettingsModel):
    """`libvirt.network`: the stack's network; `none` isolates it from everything but the host."""

    model_config = with_example(SettingsModel.model_config, {"cidr": "10.77.0.0/16", "mode": "nat"})

    # A /16: 4,094 blocks of 16 per host, room for hundreds of services with few collisions.
    cidr: Annotated[str, AfterValidator(_check_cidr), Field(examples=["10.77.0.0/16"])] = "10.77.0.0/16"
    mode: Annotated[Literal["nat", "none", "route"], Field(examples=["nat"])] = "nat"


class LibvirtSettings(SettingsSection):
    """`libvirt`: where VMs run and what they boot."""

    key = "libvirt"
    model_config = with_example(SettingsSection.model_config, {"uri": "qemu:///system"})

    uri: LibvirtUri = "qemu:///system"
    hosts: (
        Annotated[
            list[LibvirtUri],
            at_most(MAX_LIST, "hosts"),
            Field(min_length=1, examples=[["qemu+ssh://host1/system", "qemu+ssh://host2/system"]]),
        ]
        | None
    ) = None
    pool: LibvirtText = "default"
    base_image: Annotated[LibvirtText, Field(examples=[DEFAULT_BASE_IMAGE])] = DEFAULT_BASE_IMAGE
    network: LibvirtNetworkSettings = LibvirtNetworkSettings()
    # Pins: service -> the first address of its block (see components/addressing.py).
    addresses: Annotated[
        dict[ServiceName, str], Field(examples=[{"db": "10.77.3.16"}]), at_most(MAX_SERVICES, "services")
    ] = {}
    domain_type: Annotated[Literal["kvm", "qemu"], Field(examples=["qemu"])] = "kvm"
    guest_memory_overhead: Annotated[Bytes, at_least(64 * MIB), Field(examples=["256Mi"])] = 256 * MIB
    vnc: Annotated[bool, Field(examples=[False])] = False
    # The QEMU guest agent: pulumi up waits for it after start (qemu_agent), and VMs get a
    # readiness gate through it (health-gated moves and one-replica-at-a-time updates).
    # Needs qemu-guest-agent on the base image.
    guest_agent: Annotated[bool, Field(examples=[True])] = False
    ssh_authorized_keys: Annotated[
        list[SshKey],
        Field(examples=[["ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIA operator@example"]]),
        at_most(MAX_LIST, "SSH keys"),
    ] = []

    @property
    def host_uris(self) -> list[str]:
        """The libvirt URI of every host, in placement order."""
        return self.hosts or [self.uri]
