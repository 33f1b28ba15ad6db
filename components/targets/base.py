"""The contract every target fulfils, written once.

A target is a component built from the resolved app, the services placed on it, the
stack settings and the app's secrets; it exposes each service's `endpoints` and may add
stack outputs (the hybrid cluster's kubeconfig). Subclasses set `type_token` and
implement `deploy`."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import ClassVar

import pulumi

from ..resolve import ResolvedApp
from ..settings import StackSettings

Endpoints = dict[str, list[dict[str, object]]]


class TargetApp(pulumi.ComponentResource):
    """Base of `DockerApp`, `VmApp`, `HybridApp`, `ExistingClusterApp`."""

    type_token: ClassVar[str]
    endpoints: pulumi.Output[Endpoints]
    stack_outputs: dict[str, pulumi.Output[str]]

    def __init__(
        self,
        name: str,
        app: ResolvedApp,
        services: Sequence[str],
        settings: StackSettings,
        secrets: Mapping[str, pulumi.Output[str]],
        opts: pulumi.ResourceOptions | None = None,
    ) -> None:
        super().__init__(self.type_token, name, None, opts)
        self.stack_outputs = {}
        self.endpoints = pulumi.Output.from_input(self.deploy(name, app, list(services), settings, secrets))
        self.register_outputs({"endpoints": self.endpoints})

    def deploy(
        self,
        name: str,
        app: ResolvedApp,
        services: list[str],
        settings: StackSettings,
        secrets: Mapping[str, pulumi.Output[str]],
    ) -> pulumi.Input[Endpoints]:
        """Declare the target's resources (children of `self`); return the endpoints."""
        raise NotImplementedError
