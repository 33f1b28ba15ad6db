"""`HybridApp`: the `hybrid` target. A k3s cluster on libvirt VMs, then the app on it."""

from __future__ import annotations

from collections.abc import Mapping

import pulumi
import pulumi_kubernetes as k8s

from ...resolve import ResolvedApp
from ...settings import StackSettings
from ..base import Endpoints, TargetApp
from ..kubernetes.component import KubernetesApp
from .cluster import ISOLATION_LABEL, VM_TAINT, K3sCluster

HANDLERS = {"sandbox": "runsc", "vm": "kata"}


class HybridApp(TargetApp):
    """Cluster, its provider (usable only after the readiness gate), RuntimeClasses for the
    isolation levels the app uses, and the workloads."""

    type_token = "hybrid:hybrid:HybridApp"

    def deploy(
        self,
        name: str,
        app: ResolvedApp,
        services: list[str],
        settings: StackSettings,
        secrets: Mapping[str, pulumi.Output[str]],
    ) -> pulumi.Input[Endpoints]:
        cluster = K3sCluster(f"{name}-cluster", app.name, settings, pulumi.ResourceOptions(parent=self))
        provider = k8s.Provider(
            f"{name}-provider",
            kubeconfig=cluster.kubeconfig,
            opts=pulumi.ResourceOptions(parent=self, depends_on=[cluster.ready]),
        )
        levels = sorted({app.services[s].spec.isolation for s in services} - {"container"})
        runtime_classes = [self._runtime_class(level, settings, provider) for level in levels]
        workloads = KubernetesApp(
            f"{name}-app",
            app,
            services,
            settings,
            secrets,
            provider,
            depends_on=[cluster.ready, *runtime_classes],
            opts=pulumi.ResourceOptions(parent=self),
        )
        self.stack_outputs["kubeconfig"] = cluster.kubeconfig
        return workloads.endpoints

    def _runtime_class(
        self, level: str, settings: StackSettings, provider: k8s.Provider
    ) -> k8s.node.v1.RuntimeClass:
        name = getattr(settings.kubernetes.runtime_classes, level)
        label, _, value = ISOLATION_LABEL.format(level=level).partition("=")
        scheduling: dict[str, object] = {"nodeSelector": {label: value}}
        if level == "vm":
            key, _, rest = VM_TAINT.partition("=")
            taint_value, _, effect = rest.partition(":")
            scheduling["tolerations"] = [
                {"key": key, "operator": "Equal", "value": taint_value, "effect": effect}
            ]
        return k8s.node.v1.RuntimeClass(
            f"{self._name_prefix()}-runtime-{level}",
            metadata={"name": name},
            handler=HANDLERS[level],
            scheduling=scheduling,
            opts=pulumi.ResourceOptions(parent=self, provider=provider),
        )

    def _name_prefix(self) -> str:
        return str(self._name)


TARGET_APP = HybridApp
