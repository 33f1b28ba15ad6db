"""Static addresses for machines on a network of hosts. Pure and deterministic.

The CIDR is split into one equal subnet per host. Inside a subnet, each machine group (a
service's replicas, a group of cluster nodes) owns a block of `BLOCK` addresses, and
machine `i` gets the `i // hosts`-th address of its block on host `i % hosts` (replicas
are spread round-robin over the hosts).

Which block: a pinned one (`libvirt.addresses`), else the block a hash of the group's
name prefers. Two groups can prefer one block; then the group that comes first (pins,
then services in the order the spec lists them, then cluster nodes) keeps it and the
other takes the next free block. So adding a service at the end of the spec, or a
replica, moves no machine, and a group that sits at its preferred block never moves
unless the services before it change and one of them newly prefers its block. A group
that had to fall back (`AddressPlan.fallbacks`) depends on what comes before it: the
preview warns and names the pin that freezes it. Guaranteeing more would need state
kept between runs, which a pin is: a moved address replaces the VM.
"""

from __future__ import annotations

import hashlib
import ipaddress
import math
from collections.abc import Mapping
from dataclasses import dataclass, field

BLOCK = 16
FIRST_BLOCK_OFFSET = 16  # .1 is the host's gateway; .2-.15 are left for the operator
MAX_SPLIT_PREFIX = 28


@dataclass(frozen=True)
class Subnet:
    """One host's share of the CIDR: the network, its gateway (the host) and prefix length."""

    host: int
    network: ipaddress.IPv4Network

    @property
    def gateway(self) -> str:
        """The host's own address on the network; also the DNS server."""
        return str(self.network.network_address + 1)


@dataclass(frozen=True)
class Placement:
    """Where one machine runs: its host, subnet and address."""

    group: str
    index: int
    subnet: Subnet
    address: str


@dataclass(frozen=True)
class AddressPlan:
    """Every machine's placement; `fallbacks` maps a group that could not have its preferred
    block to the group that holds it."""

    placements: dict[tuple[str, int], Placement]
    fallbacks: dict[str, str] = field(default_factory=dict)
    starts: dict[str, str] = field(default_factory=dict)  # group -> its block's first address

    def block_start(self, group: str) -> str:
        """The first address of a group's block on the first host (what a pin names)."""
        return self.starts[group]


class AddressingError(ValueError):
    """The network cannot hold the machines; `key` is the setting (or spec field) to change."""

    def __init__(self, key: str, message: str) -> None:
        super().__init__(message)
        self.key = key


def split(cidr: str, hosts: int) -> list[Subnet]:
    """The CIDR split into one subnet per host (the next power of two of subnets)."""
    network = ipaddress.IPv4Network(cidr)
    extra_bits = max(0, (hosts - 1).bit_length())
    if network.prefixlen + extra_bits > MAX_SPLIT_PREFIX:
        raise AddressingError(
            "libvirt.network.cidr", f"{cidr} is too small to split over {hosts} hosts; use e.g. 10.77.0.0/16"
        )
    subnets = list(network.subnets(prefixlen_diff=extra_bits))
    return [Subnet(i, subnets[i]) for i in range(hosts)]


def blocks_per_host(subnet: Subnet) -> int:
    """How many groups one host's subnet holds."""
    return max(0, (subnet.network.num_addresses - FIRST_BLOCK_OFFSET - 1) // BLOCK)


def preferred_block(group: str, blocks: int) -> int:
    """The block a hash of the group's name prefers."""
    return int.from_bytes(hashlib.sha256(group.encode()).digest()[:4], "big") % max(blocks, 1)


def _pinned_block(group: str, address: str, subnet: Subnet, blocks: int) -> int:
    key = f"libvirt.addresses.{group}"
    try:
        offset = int(ipaddress.IPv4Address(address)) - int(subnet.network.network_address)
    except ValueError:
        raise AddressingError(key, f"{address!r} is not an IPv4 address; use e.g. 10.77.3.16") from None
    block, rest = divmod(offset - FIRST_BLOCK_OFFSET, BLOCK)
    if not 0 <= block < blocks or rest:
        first = subnet.network.network_address + FIRST_BLOCK_OFFSET
        raise AddressingError(
            key,
            f"{address} is not the start of a block of {BLOCK} addresses in {subnet.network}; "
            f"use an address {first} + a multiple of {BLOCK}, e.g. {first + BLOCK}",
        )
    return block


def plan_addresses(
    groups: Mapping[str, int],
    cidr: str,
    hosts: int,
    pins: Mapping[str, str] | None = None,
    count_keys: Mapping[str, str] | None = None,
) -> AddressPlan:
    """(group, index) -> Placement for `groups` (group -> machine count, in priority order).

    A group with more than `BLOCK` machines per host gets one more block per `BLOCK`
    machines (chunk `k` of a group is placed like a group of its own, after every first
    chunk), so growing a group adds blocks and moves none. `count_keys` names where each
    group's count is set, for errors."""
    subnets = split(cidr, hosts)
    blocks = blocks_per_host(subnets[0])
    chunks = {group: max(1, math.ceil(count / hosts / BLOCK)) for group, count in groups.items()}
    if sum(chunks.values()) > blocks:
        biggest = max(chunks, key=lambda g: chunks[g])
        raise AddressingError(
            (count_keys or {}).get(biggest, f"services.{biggest}.replicas")
            if chunks[biggest] > blocks // 2
            else "libvirt.network.cidr",
            f"{cidr} holds {blocks * BLOCK} machines in {blocks} blocks per host and the stack needs "
            f"{sum(chunks.values())} blocks; use a larger network, e.g. 10.77.0.0/16",
        )
    owner: dict[int, str] = {}
    block_of: dict[tuple[str, int], int] = {}
    for group, address in sorted((pins or {}).items()):
        if group not in groups:
            continue
        block = _pinned_block(group, address, subnets[0], blocks)
        if block in owner:
            raise AddressingError(
                f"libvirt.addresses.{group}", f"{address} is also pinned for {owner[block]}"
            )
        owner[block], block_of[(group, 0)] = group, block
    fallbacks: dict[str, str] = {}
    order = [(group, 0) for group in groups] + [
        (group, k) for k in range(1, max(chunks.values(), default=1)) for group in groups if k < chunks[group]
    ]
    for unit in order:
        if unit in block_of:
            continue
        group, k = unit
        start = preferred_block(group if k == 0 else f"{group}#{k}", blocks)
        if start in owner and k == 0:
            fallbacks[group] = owner[start]
        probes = ((start + step) % blocks for step in range(blocks))
        candidate = next(block for block in probes if block not in owner)
        owner[candidate], block_of[unit] = group, candidate
    placements = {}
    for group, count in groups.items():
        for index in range(count):
            subnet = subnets[index % hosts]
            chunk, position = divmod(index // hosts, BLOCK)
            offset = FIRST_BLOCK_OFFSET + block_of[(group, chunk)] * BLOCK + position
            address = str(subnet.network.network_address + offset)
            placements[(group, index)] = Placement(group, index, subnet, address)
    first = subnets[0].network.network_address + FIRST_BLOCK_OFFSET
    starts = {group: str(first + block_of[(group, 0)] * BLOCK) for group in groups}
    return AddressPlan(placements, fallbacks, starts)
