"""`Application`: the app as one component: the libvirt fabric its targets share, if any,
and one child component per target in use, wired to each other by value."""

from __future__ import annotations

import dataclasses
import functools
import importlib
from collections.abc import Callable, Mapping, Sequence
from typing import TYPE_CHECKING

import pulumi

from . import naming
from .resolve import ResolvedApp
from .settings import PROJECT, StackSettings
from .targets import module_path
from .targets.base import Endpoints, TargetApp, TargetInputs
from .wiring.pairs import PAIRS
from .wiring.plan import StackWiring, plan_wiring

if TYPE_CHECKING:
    from .targets.libvirt.fabric import LibvirtFabric, MachineGroup


def load_target(name: str) -> type[TargetApp]:
    """The component class of a registered target (imports its provider SDK)."""
    cls: type[TargetApp] = importlib.import_module(module_path(name, "component")).TARGET_APP
    return cls


def placement(app: ResolvedApp) -> dict[str, list[str]]:
    """Target -> the services placed on it, in start order."""
    return {target: app.placed_on(target) for target in app.targets()}


def _endpoints_here(app: ResolvedApp, target: str, found: Endpoints) -> Endpoints:
    """A target's endpoints of the services whose name leads to their copy there."""
    return {service: entry for service, entry in found.items() if app.discovered_on(service) == target}


def _union(maps: Sequence[pulumi.Output[Endpoints]]) -> pulumi.Output[Endpoints]:
    """One Output of the maps' union. (`Output.all` would first copy each map into an Output
    per nested value: thousands for a large app.)"""

    def adding(more: pulumi.Output[Endpoints]) -> Callable[[Endpoints], pulumi.Output[Endpoints]]:
        return lambda done: more.apply(lambda part: {**done, **part})

    found: pulumi.Output[Endpoints] = pulumi.Output.from_input(None).apply(lambda _: {})
    for more in maps:
        found = found.apply(adding(more))
    return found


class Application(pulumi.ComponentResource):
    """Deploys a resolved app; `endpoints` maps each service to how it is reached."""

    endpoints: pulumi.Output[Endpoints]

    def __init__(
        self,
        app: ResolvedApp,
        settings: StackSettings,
        secrets: Mapping[str, pulumi.Output[str]],
        opts: pulumi.ResourceOptions | None = None,
    ) -> None:
        super().__init__("hybrid:app:Application", app.name, None, opts)
        targets = {target: load_target(target) for target in placement(app)}
        inputs = {
            target: TargetInputs(
                naming.target_component(app.name, target),
                target,
                app.on(target),
                tuple(services),
                settings,
                secrets,
            )
            for target, services in placement(app).items()
        }
        groups = [group for target, cls in targets.items() for group in cls.machine_groups(inputs[target])]
        wiring, fabric = self._wire(app, settings, groups)
        # Target-specific stack outputs, such as the hybrid cluster's kubeconfig (a secret).
        self.stack_outputs: dict[str, pulumi.Output[str]] = {}
        # A target whose copy of a moving service the name leads to comes first: what leads
        # the name there on the other targets is then created after that copy is healthy.
        moving = [name for name, s in app.services.items() if s.move]
        leads = {app.discovered_on(name) for name in moving}
        after: dict[str, list[pulumi.Resource]] = {}
        discovered = []
        for target in sorted(targets, key=lambda t: t not in leads):
            part = targets[target](
                dataclasses.replace(
                    inputs[target], fabric=fabric, wiring=wiring.of(target), after=dict(after)
                ),
                opts=pulumi.ResourceOptions(parent=self),
            )
            after.update({n: part.ready.get(n, []) for n in moving if app.discovered_on(n) == target})
            discovered.append(part.endpoints.apply(functools.partial(_endpoints_here, app, target)))
            self.stack_outputs.update(part.stack_outputs)
        self.endpoints = _union(discovered)
        self.register_outputs({"endpoints": self.endpoints})

    def _wire(
        self, app: ResolvedApp, settings: StackSettings, groups: Sequence[MachineGroup]
    ) -> tuple[StackWiring, LibvirtFabric | None]:
        """The addresses of every machine, the wiring between targets, then the one libvirt
        fabric for the machines the targets ask for (None when none does, so a stack
        without VMs never loads the libvirt SDK)."""
        if not groups:
            wiring = plan_wiring(app, settings)
            self._warn_gaps(wiring, settings)
            return wiring, None
        from .targets.libvirt.fabric import LibvirtFabric, plan_machines
        from .targets.libvirt.settings import LibvirtSettings

        machine_groups = list(groups)
        lv = settings.section(LibvirtSettings)
        plan = plan_machines(lv, machine_groups)
        wiring = plan_wiring(app, settings, plan.addresses, plan.gateway)
        self._warn_gaps(wiring, settings)
        fabric = LibvirtFabric(
            naming.child(app.name, "libvirt"),
            app.name,
            lv,
            machine_groups,
            plan,
            extra_dns=wiring.libvirt_dns,
            opts=pulumi.ResourceOptions(parent=self),
        )
        return wiring, fabric

    def _warn_gaps(self, wiring: StackWiring, settings: StackSettings) -> None:
        for name, edges in sorted(wiring.gaps.items()):
            client, server = name.split("->")
            uses = ", ".join(f"{e.client} -> {e.server}" for e in edges)
            accepted = (
                "accepted by the stack"
                if name in settings.accepted_gaps
                else (f"accept it with {PROJECT}:accepted_gaps: [{name}] or place the services on one target")
            )
            pulumi.log.warn(
                f"placement {name} ({uses}): {PAIRS[(client, server)].gap}; {accepted}", resource=self
            )
