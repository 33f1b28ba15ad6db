"""The contract every target fulfils, written once.

A target is a component built from one `TargetInputs`: the resolved app, the services
placed on it, the stack settings and the app's secrets. It exposes each service's
`endpoints` and may add stack outputs (the hybrid cluster's kubeconfig). Subclasses set
`type_token` and implement `deploy`. What the contract carries grows in `TargetInputs`
alone, never in every target's signature.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
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

    def libvirt(self) -> LibvirtFabric:
        """The stack's libvirt fabric (built because this target declared machine groups)."""
        if self.fabric is None:
            raise RuntimeError("no libvirt fabric: the target declared no machine groups")
        return self.fabric

    def section(self, model: type[Section]) -> Section:
        """One stack-config section (its defaults when the stack does not set it)."""
        return self.settings.section(model)

    def placed(self) -> list[ResolvedService]:
        """The resolved services placed here, in start order."""
        return [self.app.services[s] for s in self.services]


class TargetApp(pulumi.ComponentResource):
    """Base of `DockerApp`, `VmApp`, `HybridApp`, `ExistingClusterApp`."""

    type_token: ClassVar[str]
    endpoints: pulumi.Output[Endpoints]
    stack_outputs: dict[str, pulumi.Output[str]]

    def __init__(self, inputs: TargetInputs, opts: pulumi.ResourceOptions | None = None) -> None:
        super().__init__(self.type_token, inputs.name, {"target": inputs.target}, opts)
        self.stack_outputs = {}
        self.endpoints = pulumi.Output.from_input(self.deploy(inputs))
        self.register_outputs({"endpoints": self.endpoints})

    @classmethod
    def machine_groups(cls, inputs: TargetInputs) -> list[MachineGroup]:
        """The libvirt machines this target needs on the stack's fabric (none by default)."""
        return []

    def deploy(self, inputs: TargetInputs) -> pulumi.Input[Endpoints]:
        """Declare the target's resources (children of `self`); return the endpoints."""
        raise NotImplementedError


def endpoints_of(
    service: ResolvedService, public: Callable[[Endpoint], list[str] | None]
) -> dict[str, object]:
    """One service's entry in the `endpoints` output; `public` gives a public port's outside
    addresses (None when only the engine knows them)."""
    return {
        "target": service.target,
        "ports": [e.entry(public(e) if e.public else []) for e in service.endpoints],
    }
