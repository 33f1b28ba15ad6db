"""The stack's libvirt fabric: per host a provider, the stack's one network and the base
image volume, with one address plan for every machine on it (service VMs and cluster
nodes alike), so the `vm` and `hybrid` targets of one stack share a network instead of
planning the same CIDR twice."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

import pulumi
import pulumi_libvirt as libvirt

from ... import naming
from ...addressing import AddressingError, Placement, Subnet, plan_addresses, split
from ...appspec import Problem, SpecError
from ...settings import PROJECT
from .domain import build_network_args
from .settings import LibvirtSettings


@dataclass(frozen=True)
class Host:
    """One libvirt host: its provider, the stack's network there, and the base image volume."""

    index: int
    provider: libvirt.Provider
    network: libvirt.Network
    base: libvirt.Volume
    subnet: Subnet


@dataclass(frozen=True)
class MachineGroup:
    """Machines a target needs on the fabric: a service's replicas, or a group of cluster
    nodes. `key` is unique on the fabric; `dns` gives the names machine `i` answers to."""

    key: str
    count: int
    dns: Callable[[int], tuple[str, ...]]
    count_key: str  # where the count is set, for errors: `services.web.replicas`, `cluster.agents`


@dataclass(frozen=True)
class MachinePlan:
    """Where every machine of the stack sits: computed before any resource exists, so the
    wiring between targets can use the addresses as values."""

    placements: dict[tuple[str, int], Placement]
    addresses: dict[str, tuple[str, ...]]  # group -> its machines' addresses, sorted
    gateway: str  # the first host's address on the network (what VMs route and resolve through)
    fallbacks: dict[str, str]  # group -> why and how to freeze its address


def plan_machines(settings: LibvirtSettings, groups: Sequence[MachineGroup]) -> MachinePlan:
    """The address plan of `groups`; a limit reached is a `SpecError` naming the key."""
    try:
        plan = plan_addresses(
            {g.key: g.count for g in groups},
            settings.network.cidr,
            len(settings.host_uris),
            pins=settings.addresses,
            count_keys={g.key: g.count_key for g in groups},
        )
    except AddressingError as error:
        key = error.key if error.key.startswith("services.") else f"{PROJECT}:{error.key}"
        raise SpecError(f"Pulumi.{pulumi.get_stack()}.yaml", [Problem(key, str(error))]) from None
    addresses = {
        g.key: tuple(sorted(plan.placements[(g.key, i)].address for i in range(g.count))) for g in groups
    }
    gateway = split(settings.network.cidr, len(settings.host_uris))[0].gateway
    fallbacks = {
        group: f"its preferred address block is taken by {holder}, so its address depends on the "
        f"services listed before it; freeze it with libvirt.addresses.{group}: {plan.block_start(group)}"
        for group, holder in plan.fallbacks.items()
    }
    return MachinePlan(plan.placements, addresses, gateway, fallbacks)


class LibvirtFabric(pulumi.ComponentResource):
    """The hosts of a stack and where each machine sits on them. `extra_dns` adds names of
    services placed on other targets (name, address) to the network's DNS."""

    def __init__(
        self,
        name: str,
        domain: str,
        settings: LibvirtSettings,
        groups: Sequence[MachineGroup],
        plan: MachinePlan,
        extra_dns: Sequence[tuple[str, str]] = (),
        opts: pulumi.ResourceOptions | None = None,
    ) -> None:
        super().__init__("hybrid:libvirt:Fabric", name, None, opts)
        self.settings = settings
        self.domain = domain
        for group, warning in sorted(plan.fallbacks.items()):
            pulumi.log.warn(f"{group}: {warning}", resource=self)
        self.placements = plan.placements
        self.addresses = plan.addresses
        dns = sorted(
            [
                (hostname, self.placements[(g.key, i)].address)
                for g in groups
                for i in range(g.count)
                for hostname in g.dns(i)
            ]
            + list(extra_dns)
        )
        self.hosts = self._hosts(name, dns)
        self.register_outputs({})

    def placement(self, key: str, index: int) -> Placement:
        """Where machine `index` of group `key` runs."""
        return self.placements[(key, index)]

    def host(self, key: str, index: int) -> Host:
        """The host of machine `index` of group `key`."""
        return self.hosts[self.placement(key, index).subnet.host]

    def _hosts(self, name: str, dns: Sequence[tuple[str, str]]) -> list[Host]:
        settings = self.settings
        uris = settings.host_uris
        hosts = []
        for index, (uri, subnet) in enumerate(
            zip(uris, split(settings.network.cidr, len(uris)), strict=True)
        ):
            suffix = (f"h{index}",) if len(uris) > 1 else ()
            provider = libvirt.Provider(
                naming.child(name, "provider", *suffix), uri=uri, opts=pulumi.ResourceOptions(parent=self)
            )
            opts = pulumi.ResourceOptions(parent=self, provider=provider)
            network = libvirt.Network(
                naming.child(name, "network", *suffix),
                build_network_args(self.domain, subnet, settings.network.mode, dns),
                opts=opts,
            )
            base = libvirt.Volume(
                naming.child(name, "base", *suffix),
                pool=settings.pool,
                source=settings.base_image,
                format="qcow2",
                opts=opts,
            )
            hosts.append(Host(index, provider, network, base, subnet))
        return hosts
