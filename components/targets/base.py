"""The contract every target fulfils, written once.

A target is a component built from one `TargetInputs`: the resolved app, the services
placed on it, the stack settings and the app's secrets. It exposes each service's
`endpoints` and may add stack outputs (the hybrid cluster's kubeconfig). Subclasses set
`type_token` and implement `deploy`. What the contract carries grows in `TargetInputs`
alone, never in every target's signature.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, ClassVar

import pulumi

from ..resolve import Endpoint, ResolvedApp, ResolvedService
from ..settings import StackSettings
from ..settings_section import Section
from ..wiring.plan import Wiring

if TYPE_CHECKING:
    from .libvirt.fabric import LibvirtFabric, MachineGroup

Endpoints = dict[str, dict[str, object]]  # service -> {target, ports: [{name, port, ...}]}


@dataclass(frozen=True)
class TargetInputs:
    """Everything a target reads: it never reads YAML, stack config or other targets."""

    name: str  # the target component's name; children are named from it
    target: str  # the registered target's name
    app: ResolvedApp
    services: tuple[str, ...]  # the services placed on this target, in start order
    settings: StackSettings
    secrets: Mapping[str, pulumi.Output[str]]
    fabric: LibvirtFabric | None = None  # the stack's libvirt hosts, when a target asked for machines
    wiring: Wiring = field(default_factory=Wiring)  # its services' peers on other targets, as values
    # server -> the resources that exist once its discovered copy on another target is
    # healthy: what leads a name there (host entries, EndpointSlices) is created after them
    after: Mapping[str, Sequence[pulumi.Resource]] = field(default_factory=dict)

    def libvirt(self) -> LibvirtFabric:
        """The stack's libvirt fabric (built because this target declared machine groups)."""
        if self.fabric is None:
            raise RuntimeError("no libvirt fabric: the target declared no machine groups")
        return self.fabric

    def section(self, model: type[Section]) -> Section:
        """One stack-config section (its defaults when the stack does not set it)."""
        return self.settings.section(model)

    def placed(self) -> list[ResolvedService]:
        """The resolved services with a copy here, in start order."""
        return [self.app.services[s] for s in self.services]

    def discovered_here(self, service: str) -> bool:
        """Whether the service's name leads to its copy on this target (during a move, only
        one of its two copies is discovered)."""
        return self.app.discovered_on(service) == self.target


class TargetApp(pulumi.ComponentResource):
    """Base of `DockerApp`, `VmApp`, `HybridApp`, `ExistingClusterApp`."""

    type_token: ClassVar[str]
    endpoints: pulumi.Output[Endpoints]
    stack_outputs: dict[str, pulumi.Output[str]]
    ready: dict[str, list[pulumi.Resource]]  # service -> what exists once its copy here is healthy

    def __init__(self, inputs: TargetInputs, opts: pulumi.ResourceOptions | None = None) -> None:
        super().__init__(self.type_token, inputs.name, {"target": inputs.target}, opts)
        self.stack_outputs = {}
        self.ready = {}
        self.endpoints = output_of(self.deploy(inputs))
        self.register_outputs({"endpoints": self.endpoints})

    @classmethod
    def machine_groups(cls, inputs: TargetInputs) -> list[MachineGroup]:
        """The libvirt machines this target needs on the stack's fabric (none by default)."""
        return []

    def deploy(self, inputs: TargetInputs) -> pulumi.Input[Endpoints]:
        """Declare the target's resources (children of `self`); return the endpoints."""
        raise NotImplementedError


_PLAIN = (str, int, float, bool, type(None))


def _plain(value: object) -> bool:
    if isinstance(value, dict):
        return all(isinstance(k, str) and _plain(v) for k, v in value.items())
    if isinstance(value, list):
        return all(_plain(v) for v in value)
    return isinstance(value, _PLAIN)


def output_of(value: pulumi.Input[Endpoints]) -> pulumi.Output[Endpoints]:
    """`Output.from_input(value)` without its copies: `from_input` makes one Output per nested
    value (thousands for a large app's endpoints), and for an Output, one per nested value of
    its value. Plain data becomes one Output; an Output (whose values this code never nests
    Outputs in) is returned as it is."""
    if isinstance(value, pulumi.Output):
        return value
    if _plain(value):
        return pulumi.Output.from_input(None).apply(lambda _: value)
    return pulumi.Output.from_input(value)


def endpoints_of(
    target: str, service: ResolvedService, public: Callable[[Endpoint], list[str] | None]
) -> dict[str, object]:
    """One service's entry in the `endpoints` output for its copy on `target`; `public`
    gives a public port's outside addresses (None when only the engine knows them)."""
    return {
        "target": target,
        "ports": [e.entry(public(e) if e.public else []) for e in service.endpoints],
    }
