"""`HybridApp`: the `hybrid` target. A k3s cluster on libvirt VMs, then the app on it."""

from __future__ import annotations

import pulumi
import pulumi_kubernetes as k8s

from ... import naming, vocabulary
from ...wiring.plan import worker_addresses
from ..base import Endpoints, TargetApp, TargetInputs
from ..kubernetes.component import KubernetesApp
from ..kubernetes.settings import KubernetesSettings
from ..libvirt.fabric import MachineGroup
from .cluster import K3sCluster, machine_groups
from .settings import ClusterSettings

HANDLERS = {"sandbox": "runsc", "vm": "kata"}


class HybridApp(TargetApp):
    """Cluster, its provider (usable only after the readiness gate), RuntimeClasses for the
    isolation levels the app uses, and the workloads."""

    type_token = "hybrid:hybrid:HybridApp"

    @classmethod
    def machine_groups(cls, inputs: TargetInputs) -> list[MachineGroup]:
        """The cluster's nodes."""
        return machine_groups(inputs.section(ClusterSettings))

    def deploy(self, inputs: TargetInputs) -> pulumi.Input[Endpoints]:
        name, settings = inputs.name, inputs.section(ClusterSettings)
        cluster = K3sCluster(
            naming.child(name, "cluster"),
            inputs.app.name,
            settings,
            inputs.libvirt(),
            pulumi.ResourceOptions(parent=self),
        )
        provider = k8s.Provider(
            naming.child(name, "provider"),
            kubeconfig=cluster.kubeconfig,
            opts=pulumi.ResourceOptions(parent=self, depends_on=[cluster.ready]),
        )
        levels = sorted({s.spec.isolation for s in inputs.placed()} - {"container"})
        runtime_classes = [self._runtime_class(name, level, inputs, provider) for level in levels]
        workloads = KubernetesApp(
            naming.child(name, "app"),
            inputs,
            provider,
            pss_version=f"v{settings.kubernetes_minor}",
            nodes=worker_addresses(inputs.libvirt().addresses),
            load_balancer_on_nodes=True,  # k3s's ServiceLB
            depends_on=[cluster.ready, *runtime_classes],
            opts=pulumi.ResourceOptions(parent=self),
        )
        self.stack_outputs["kubeconfig"] = cluster.kubeconfig
        return workloads.endpoints

    def _runtime_class(
        self, name: str, level: str, inputs: TargetInputs, provider: k8s.Provider
    ) -> k8s.node.v1.RuntimeClass:
        label = vocabulary.isolation_node_label(level)
        scheduling: dict[str, object] = {"nodeSelector": {label.key: label.value}}
        if level == "vm":
            scheduling["tolerations"] = [vocabulary.VM_TAINT.toleration()]
        return k8s.node.v1.RuntimeClass(
            naming.child(name, "runtime", level),
            metadata={"name": getattr(inputs.section(KubernetesSettings).runtime_classes, level)},
            handler=HANDLERS[level],
            scheduling=scheduling,
            opts=pulumi.ResourceOptions(parent=self, provider=provider),
        )


TARGET_APP = HybridApp
