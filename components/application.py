"""`Application`: the app as one component, with one child component per target in use."""

from __future__ import annotations

import dataclasses
import importlib
from collections.abc import Mapping
from typing import TYPE_CHECKING

import pulumi

from . import naming
from .resolve import ResolvedApp
from .settings import StackSettings
from .targets import module_path
from .targets.base import TargetApp, TargetInputs

if TYPE_CHECKING:
    from .targets.libvirt.fabric import LibvirtFabric


def load_target(name: str) -> type[TargetApp]:
    """The component class of a registered target (imports its provider SDK)."""
    cls: type[TargetApp] = importlib.import_module(module_path(name, "component")).TARGET_APP
    return cls


def placement(app: ResolvedApp) -> dict[str, list[str]]:
    """Target -> the services placed on it, in start order."""
    return {target: app.placed_on(target) for target in app.targets()}


class Application(pulumi.ComponentResource):
    """Deploys a resolved app; `endpoints` maps each service to how it is reached."""

    endpoints: pulumi.Output[dict[str, object]]

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
                naming.target_component(app.name, target), app, tuple(services), settings, secrets
            )
            for target, services in placement(app).items()
        }
        fabric = self._fabric(app, settings, targets, inputs)
        parts = [
            cls(
                dataclasses.replace(inputs[target], fabric=fabric),
                opts=pulumi.ResourceOptions(parent=self),
            )
            for target, cls in targets.items()
        ]
        self.endpoints = pulumi.Output.all(*[p.endpoints for p in parts]).apply(
            lambda maps: {k: v for m in maps for k, v in m.items()}
        )
        # Target-specific stack outputs, such as the hybrid cluster's kubeconfig (a secret).
        self.stack_outputs: dict[str, pulumi.Output[str]] = {
            k: v for p in parts for k, v in p.stack_outputs.items()
        }
        self.register_outputs({"endpoints": self.endpoints})

    def _fabric(
        self,
        app: ResolvedApp,
        settings: StackSettings,
        targets: Mapping[str, type[TargetApp]],
        inputs: Mapping[str, TargetInputs],
    ) -> LibvirtFabric | None:
        """One libvirt fabric for every machine the targets ask for, or None when none does
        (so a stack without VMs never loads the libvirt SDK)."""
        groups = [group for target, cls in targets.items() for group in cls.machine_groups(inputs[target])]
        if not groups:
            return None
        from .targets.libvirt.fabric import LibvirtFabric
        from .targets.libvirt.settings import LibvirtSettings

        return LibvirtFabric(
            naming.child(app.name, "libvirt"),
            app.name,
            settings.section(LibvirtSettings),
            groups,
            opts=pulumi.ResourceOptions(parent=self),
        )
