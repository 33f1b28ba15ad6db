"""Static addresses for replicas on a network of hosts. Pure and deterministic.

The CIDR is split into one equal subnet per host. Inside a subnet, each service
owns a block of `BLOCK` addresses chosen by a hash of its name (collisions probe
to the next free block, services taken in name order), and replica `i` gets the
`i`-th address of its block. So adding a service or a replica does not move
any other replica's address, and a moved address would force a VM replacement.
Replicas of a service are spread round-robin over the hosts.
"""

from __future__ import annotations

import hashlib
import ipaddress
from dataclasses import dataclass

BLOCK = 16
FIRST_BLOCK_OFFSET = 16  # .1 is the host's gateway; .2-.15 are left for the operator


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
    """Where one replica runs: its host, subnet and address."""

    service: str
    replica: int
    subnet: Subnet
    address: str


class AddressingError(ValueError):
    """The CIDR cannot hold the app (too small for the services, or too many replicas)."""


def split(cidr: str, hosts: int) -> list[Subnet]:
    """The CIDR split into one subnet per host (the next power of two of subnets)."""
    network = ipaddress.IPv4Network(cidr)
    extra_bits = max(0, (hosts - 1).bit_length())
    if network.prefixlen + extra_bits > 28:
        raise AddressingError(f"{cidr} is too small to split over {hosts} hosts")
    subnets = list(network.subnets(prefixlen_diff=extra_bits))
    return [Subnet(i, subnets[i]) for i in range(hosts)]


def _blocks(subnet: Subnet) -> int:
    return (subnet.network.num_addresses - FIRST_BLOCK_OFFSET - 1) // BLOCK


def plan_addresses(replicas: dict[str, int], cidr: str, hosts: int) -> dict[tuple[str, int], Placement]:
    """(service, replica) -> Placement for every replica in `replicas` (service -> count)."""
    subnets = split(cidr, hosts)
    blocks = _blocks(subnets[0])
    taken: dict[int, str] = {}
    block_of: dict[str, int] = {}
    for service in sorted(replicas):
        start = int.from_bytes(hashlib.sha256(service.encode()).digest()[:4], "big") % max(blocks, 1)
        for step in range(blocks):
            candidate = (start + step) % blocks
            if candidate not in taken:
                taken[candidate], block_of[service] = service, candidate
                break
        else:
            raise AddressingError(
                f"{cidr} has room for {blocks} services per host; use a larger network cidr"
            )
    placements = {}
    for service, count in replicas.items():
        per_host = -(-count // hosts)
        if per_host > BLOCK:
            raise AddressingError(
                f"service {service}: {count} replicas over {hosts} hosts is more than {BLOCK} per host"
            )
        for replica in range(count):
            subnet = subnets[replica % hosts]
            offset = FIRST_BLOCK_OFFSET + block_of[service] * BLOCK + replica // hosts
            address = str(subnet.network.network_address + offset)
            placements[(service, replica)] = Placement(service, replica, subnet, address)
    return placements
