"""A fully compliant stack of resources, as the engine shows them to policies."""

from __future__ import annotations

import copy
from typing import Any

from policies.framework import Resource

L = "hybrid-platform.io"


def docker_labels(**labels: str) -> list[dict[str, str]]:
    return [{"label": f"{L}/{k.replace('_', '-')}", "value": v} for k, v in labels.items()]


POD = {
    "automountServiceAccountToken": False,
    "securityContext": {
        "runAsNonRoot": True,
        "runAsUser": 1000,
        "seccompProfile": {"type": "RuntimeDefault"},
    },
    "containers": [
        {
            "name": "web",
            "image": "example/web:1.0.0",
            "env": [{"name": "DB_PASSWORD", "valueFrom": {"secretKeyRef": {"name": "s", "key": "db"}}}],
            "resources": {
                "requests": {"cpu": "500m", "memory": "256Mi"},
                "limits": {"cpu": "500m", "memory": "256Mi"},
            },
            "securityContext": {
                "allowPrivilegeEscalation": False,
                "capabilities": {"drop": ["ALL"]},
                "readOnlyRootFilesystem": True,
                "runAsNonRoot": True,
            },
            "ports": [{"name": "http", "containerPort": 8080, "protocol": "TCP"}],
        }
    ],
    "volumes": [{"name": "tmp", "emptyDir": {"medium": "Memory"}}],
}
K8S_LABELS = {f"{L}/app": "shop", f"{L}/service": "web", f"{L}/isolation": "container"}

COMPLIANT: dict[str, tuple[str, dict[str, Any], bool]] = {
    "container": ("docker:index/container:Container", {
        "image": "sha256:0123", "user": "1000:1000", "readOnly": True, "memory": 256, "cpus": "0.5",
        "capabilities": {"drops": ["ALL"]}, "securityOpts": ["no-new-privileges:true"], "restart": "unless-stopped",
        "healthcheck": {"tests": ["CMD", "true"]}, "networksAdvanced": [{"name": "net-a", "aliases": ["web"]}],
        "ports": [{"internal": 8080, "external": 5000, "ip": "127.0.0.1", "protocol": "tcp"}],
        "envs": ["MODE=prod", "DB_PASSWORD=from-a-secret"],
        "labels": docker_labels(app="shop", service="web", isolation="container", public_ports="8080/tcp",
                                secret_env="DB_PASSWORD"),
    }, False),
    "client": ("docker:index/container:Container", {
        "image": "sha256:0456", "user": "1000:1000", "readOnly": True, "memory": 256, "cpus": "0.5",
        "capabilities": {"drops": ["ALL"]}, "securityOpts": ["no-new-privileges"], "restart": "on-failure",
        "maxRetryCount": 3, "healthcheck": {"tests": ["CMD", "true"]}, "runtime": "runsc",
        "networksAdvanced": [{"name": "net-a"}],
        "labels": docker_labels(app="shop", service="api", isolation="sandbox"),
    }, False),
    "network": ("docker:index/network:Network", {
        "name": "net-a", "internal": True,
        "labels": docker_labels(app="shop", service="web", isolation="container", network_role="from-api"),
    }, False),
    "volume": ("docker:index/volume:Volume", {"name": "vol-a"}, True),
    "image": ("docker:index/remoteImage:RemoteImage", {"name": "example/web:1.0.0"}, False),
    "domain": ("libvirt:index/domain:Domain", {
        "vcpu": 2, "memory": 1024, "description": f"{L}/app=shop {L}/service=db",
        "graphics": {"type": "vnc", "listenType": "address", "listenAddress": "127.0.0.1"},
        "consoles": [{"type": "pty", "targetPort": "0"}], "disks": [{"volumeId": "v-1"}],
        "networkInterfaces": [{"networkId": "n-1"}],
    }, False),
    "libvirt-network": ("libvirt:index/network:Network", {"mode": "nat", "addresses": ["10.77.0.0/24"]}, False),
    "data-disk": ("libvirt:index/volume:Volume", {"size": 1024, "format": "qcow2"}, True),
    "libvirt-provider": ("pulumi:providers:libvirt", {"uri": "qemu+ssh://root@kvm/system"}, False),
    "namespace": ("kubernetes:core/v1:Namespace", {"metadata": {"name": "shop"}}, False),
    "deny": ("kubernetes:networking.k8s.io/v1:NetworkPolicy", {
        "metadata": {"name": "default-deny", "namespace": "shop"},
        "spec": {"podSelector": {}, "policyTypes": ["Ingress", "Egress"]},
    }, False),
    "deployment": ("kubernetes:apps/v1:Deployment", {
        "metadata": {"namespace": "shop", "labels": K8S_LABELS},
        "spec": {"replicas": 1, "template": {"metadata": {"labels": K8S_LABELS}, "spec": POD}},
    }, False),
    "public-service": ("kubernetes:core/v1:Service", {
        "metadata": {"name": "web-public", "namespace": "shop", "annotations": {f"{L}/public-ports": "8080/tcp"}},
        "spec": {"type": "LoadBalancer", "ports": [{"name": "http", "port": 5000, "targetPort": 8080, "protocol": "TCP"}]},
    }, False),
}  # fmt: skip


def compliant() -> dict[str, Resource]:
    """A fresh copy of every compliant resource, by fixture key."""
    return {
        key: Resource(kind, key, f"urn:pulumi:test::p::{kind}::{key}", copy.deepcopy(props), protect)
        for key, (kind, props, protect) in COMPLIANT.items()
    }
