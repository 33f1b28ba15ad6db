"""The resource type tokens controls judge, as the engine names them."""

from __future__ import annotations

from collections.abc import Mapping

DOCKER_CONTAINER = "docker:index/container:Container"
DOCKER_NETWORK = "docker:index/network:Network"
DOCKER_IMAGE = "docker:index/remoteImage:RemoteImage"
DOCKER_VOLUME = "docker:index/volume:Volume"
DOCKER_PROVIDER = "pulumi:providers:docker"

LIBVIRT_DOMAIN = "libvirt:index/domain:Domain"
LIBVIRT_NETWORK = "libvirt:index/network:Network"
LIBVIRT_VOLUME = "libvirt:index/volume:Volume"
LIBVIRT_PROVIDER = "pulumi:providers:libvirt"

K8S_NAMESPACE = "kubernetes:core/v1:Namespace"
K8S_SERVICE = "kubernetes:core/v1:Service"
K8S_PVC = "kubernetes:core/v1:PersistentVolumeClaim"
K8S_STATEFULSET = "kubernetes:apps/v1:StatefulSet"
K8S_NETWORK_POLICY = "kubernetes:networking.k8s.io/v1:NetworkPolicy"
K8S_RUNTIME_CLASS = "kubernetes:node.k8s.io/v1:RuntimeClass"
# Every kind of workload, and where its pod template sits.
K8S_POD_TEMPLATES: Mapping[str, tuple[str, ...]] = {
    "kubernetes:core/v1:Pod": (),
    "kubernetes:apps/v1:Deployment": ("spec", "template"),
    K8S_STATEFULSET: ("spec", "template"),
    "kubernetes:apps/v1:DaemonSet": ("spec", "template"),
    "kubernetes:apps/v1:ReplicaSet": ("spec", "template"),
    "kubernetes:batch/v1:Job": ("spec", "template"),
    "kubernetes:batch/v1:CronJob": ("spec", "jobTemplate", "spec", "template"),
}
K8S_WORKLOADS = tuple(K8S_POD_TEMPLATES)
