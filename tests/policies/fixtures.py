"""A fully compliant stack of resources, shaped like each target's output, as the engine
shows them to policies."""

from __future__ import annotations

import copy
from typing import Any

from components import vocabulary as v
from policies.framework import Resource


def docker_labels(**labels: str) -> list[dict[str, str]]:
    """Docker's label list from `LABEL_NAME=value` keywords of the vocabulary."""
    return [{"label": getattr(v, key.upper()), "value": value} for key, value in labels.items()]


def vm_facts(**changes: str | None) -> str:
    """The description of the compliant service VM with some facts changed (None removes one)."""
    facts = {**VM_FACTS, **{getattr(v, k.upper()): value for k, value in changes.items()}}
    return v.description({k: value for k, value in facts.items() if value is not None})


CONTAINER_LABELS = {"app": "shop", "service": "web", "isolation": "container", "target": "docker", "replica": "0",
                    "listen_ports": "8080/tcp", "public_ports": "8080/tcp", "secret_env": "DB_PASSWORD"}  # fmt: skip
VM_FACTS = {
    v.APP: "shop", v.SERVICE: "db", v.ISOLATION: "vm", v.TARGET: "vm", v.REPLICA: "0",
    v.LISTEN_PORTS: "5432/tcp", v.SECRET_ENV: "POSTGRES_PASSWORD",
    v.WORKLOAD_IMAGE: "docker.io/library/postgres:16.4", v.WORKLOAD_USER: "999:999",
    v.WORKLOAD_READ_ONLY_ROOT: "true", v.WORKLOAD_HEALTH: "exec", v.WORKLOAD_ENV: "POSTGRES_DB,PGDATA",
}  # fmt: skip
PROBE = {"httpGet": {"path": "/healthz", "port": 8080}, "periodSeconds": 10}
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
            "image": "docker.io/example/web:1.0.0",
            "env": [
                {"name": "MODE", "value": "prod"},
                {"name": "DB_PASSWORD", "valueFrom": {"secretKeyRef": {"name": "s", "key": "db"}}},
            ],
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
            "readinessProbe": PROBE,
            "livenessProbe": PROBE,
        }
    ],
    "volumes": [{"name": "tmp", "emptyDir": {"medium": "Memory"}}],
}
K8S_LABELS = {v.APP: "shop", v.SERVICE: "web", v.ISOLATION: "container", v.TARGET: "hybrid"}
SANDBOXED_LABELS = {**K8S_LABELS, v.SERVICE: "render", v.ISOLATION: "sandbox"}
# VNC with a password (the provider has no passwd argument: an XSLT adds it).
PASSWORD_XSLT = "<xsl:template match='graphics'><xsl:copy><xsl:attribute name='passwd'>x</xsl:attribute></xsl:copy></xsl:template>"  # fmt: skip


def workload(labels: dict[str, str], pod: dict[str, Any]) -> dict[str, Any]:
    """A Deployment's props with these labels on it and on its pod template."""
    return {
        "metadata": {"namespace": "shop", "labels": labels},
        "spec": {"replicas": 1, "template": {"metadata": {"labels": labels}, "spec": pod}},
    }


COMPLIANT: dict[str, tuple[str, dict[str, Any], bool]] = {
    "container": ("docker:index/container:Container", {
        "image": "docker.io/example/web:1.0.0", "user": "1000:1000", "readOnly": True, "memory": 256, "cpus": "0.5",
        "capabilities": {"drops": ["ALL"]}, "securityOpts": ["no-new-privileges:true"], "restart": "unless-stopped",
        "healthcheck": {"tests": ["CMD", "true"]}, "networksAdvanced": [{"name": "net-a", "aliases": ["web"]}],
        "ports": [{"internal": 8080, "external": 5000, "ip": "127.0.0.1", "protocol": "tcp"}],
        "envs": ["MODE=prod", "DB_PASSWORD=from-a-secret"], "labels": docker_labels(**CONTAINER_LABELS),
    }, False),
    "client": ("docker:index/container:Container", {
        "image": "docker.io/example/api:1.0.0", "user": "1000:1000", "readOnly": True, "memory": 256, "cpus": "0.5",
        "capabilities": {"drops": ["ALL"]}, "securityOpts": ["no-new-privileges"], "restart": "on-failure",
        "maxRetryCount": 3, "healthcheck": {"tests": ["CMD", "true"]}, "runtime": "runsc",
        "networksAdvanced": [{"name": "net-a"}],
        "labels": docker_labels(app="shop", service="api", isolation="sandbox", target="docker"),
    }, False),
    "network": ("docker:index/network:Network", {
        "name": "net-a", "internal": True,
        "labels": docker_labels(app="shop", service="web", isolation="container", network_role="from-api"),
    }, False),
    "volume": ("docker:index/volume:Volume", {"name": "vol-a"}, True),
    "image": ("docker:index/remoteImage:RemoteImage", {"name": "docker.io/example/web:1.0.0"}, False),
    "docker-provider": ("pulumi:providers:docker", {"host": "ssh://deploy@docker-host"}, False),
    "domain": ("libvirt:index/domain:Domain", {
        "vcpu": 2, "memory": 1024, "description": vm_facts(),
        "graphics": {"type": "vnc", "listenType": "address", "listenAddress": "127.0.0.1"},
        "xml": {"xslt": PASSWORD_XSLT},
        "consoles": [{"type": "pty", "targetPort": "0"}], "disks": [{"volumeId": "v-1"}],
        "networkInterfaces": [{"networkId": "n-1"}],
    }, False),
    "node": ("libvirt:index/domain:Domain", {
        "vcpu": 2, "memory": 4096, "graphics": {"type": "vnc", "listenType": "none"},
        "description": v.description({v.APP: "shop", v.K3S_ROLE: "agent", v.NODE_ISOLATION: "container,sandbox"}),
    }, False),
    "libvirt-network": ("libvirt:index/network:Network", {"mode": "nat", "addresses": ["10.77.0.0/24"]}, False),
    "data-disk": ("libvirt:index/volume:Volume", {"size": 1024, "format": "qcow2"}, True),
    "libvirt-provider": ("pulumi:providers:libvirt", {"uri": "qemu+tls://kvm.example/system"}, False),
    "namespace": ("kubernetes:core/v1:Namespace", {"metadata": {"name": "shop"}}, False),
    "deny": ("kubernetes:networking.k8s.io/v1:NetworkPolicy", {
        "metadata": {"name": "default-deny", "namespace": "shop"},
        "spec": {"podSelector": {}, "policyTypes": ["Ingress", "Egress"]},
    }, False),
    "deployment": ("kubernetes:apps/v1:Deployment", workload(K8S_LABELS, POD), False),
    "sandboxed": ("kubernetes:apps/v1:Deployment", workload(SANDBOXED_LABELS, {**POD, "runtimeClassName": "gvisor"}), False),
    "gvisor": ("kubernetes:node.k8s.io/v1:RuntimeClass", {"metadata": {"name": "gvisor"}, "handler": "runsc"}, False),
    "public-service": ("kubernetes:core/v1:Service", {
        "metadata": {"name": "web-public", "namespace": "shop", "annotations": {v.PUBLIC_PORTS: "8080/tcp"}},
        "spec": {"type": "LoadBalancer", "ports": [{"name": "http", "port": 5000, "targetPort": 8080, "protocol": "TCP"}]},
    }, False),
}  # fmt: skip


def compliant() -> dict[str, Resource]:
    """A fresh copy of every compliant resource, by fixture key."""
    return {
        key: Resource(kind, key, f"urn:pulumi:test::p::{kind}::{key}", copy.deepcopy(props), protect)
        for key, (kind, props, protect) in COMPLIANT.items()
    }
