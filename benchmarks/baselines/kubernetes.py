"""The app on an existing Kubernetes cluster, written by hand with `pulumi_kubernetes`: a
restricted namespace, one Secret, default-deny and DNS policies, and per service its
Services, a Deployment (a StatefulSet when it has volumes), a disruption budget when
replicated and a NetworkPolicy allowing exactly its traffic. Manifests as dicts."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pulumi
import pulumi_kubernetes as k8s
import yaml

PREFIX = "hybrid-platform.io"
EVERYWHERE = [{"ipBlock": {"cidr": "0.0.0.0/0"}}]


def cpu(value: float) -> str:
    """0.25 -> "250m", 2 -> "2"."""
    return str(int(value)) if value == int(value) else f"{round(value * 1000)}m"


def seconds(duration: str) -> int:
    """`10s` -> 10."""
    return int(duration.rstrip("s"))


def probes(health: dict[str, Any] | None) -> dict[str, Any]:
    """Readiness, liveness and (with a start period) startup probes."""
    if not health:
        return {}
    if "http" in health:
        handler: dict[str, Any] = {
            "httpGet": {"path": health["http"].get("path", "/"), "port": health["http"]["port"]}
        }
    elif "tcp" in health:
        handler = {"tcpSocket": {"port": health["tcp"]["port"]}}
    else:
        handler = {"exec": {"command": health["exec"]["command"]}}
    interval, retries = seconds(health.get("interval", "10s")), health.get("retries", 3)
    timing = {
        "periodSeconds": interval,
        "timeoutSeconds": seconds(health.get("timeout", "3s")),
        "failureThreshold": retries,
    }
    found = {"readinessProbe": {**handler, **timing}, "livenessProbe": {**handler, **timing}}
    start = seconds(health.get("start_period", "0s"))
    if start:
        found["startupProbe"] = {**handler, **timing, "failureThreshold": -(-start // interval) + retries}
    return found


def program(stacks_dir: Path) -> None:  # noqa: PLR0915 (written straight down, as users do)
    """Declare the app of the stack's spec in its namespace on the cluster of the default kubeconfig."""
    config = pulumi.Config("hybrid-platform")
    spec = yaml.safe_load((stacks_dir / config.require("spec")).read_text())
    secrets = config.require_secret_object("secrets")
    app, services = spec["app"], spec["services"]
    provider = k8s.Provider(f"{app}-kubernetes-provider")
    app_labels = {f"{PREFIX}/app": app, f"{PREFIX}/managed-by": "hybrid-platform"}
    pss = {f"pod-security.kubernetes.io/{m}": "restricted" for m in ("enforce", "audit", "warn")}
    pss |= {f"pod-security.kubernetes.io/{m}-version": "v1.33" for m in ("enforce", "audit", "warn")}
    namespace = k8s.core.v1.Namespace(
        f"{app}-namespace",
        metadata={"name": app, "labels": {**app_labels, **pss}},
        opts=pulumi.ResourceOptions(provider=provider),
    )
    opts = pulumi.ResourceOptions(provider=provider, depends_on=[namespace])

    def secret(name: str) -> pulumi.Output[str]:
        return secrets.apply(lambda values: values[name])

    used = sorted({s for svc in services.values() for s in svc.get("secret_env", {}).values()})
    if used:
        k8s.core.v1.Secret(
            f"{app}-secrets",
            metadata={"namespace": app, "name": f"{app}-secrets", "labels": app_labels},
            type="Opaque",
            string_data={s: secret(s) for s in used},
            opts=opts,
        )
    k8s.networking.v1.NetworkPolicy(
        f"{app}-netpol-default-deny",
        metadata={"namespace": app, "name": "default-deny", "labels": app_labels},
        spec={"podSelector": {}, "policyTypes": ["Ingress", "Egress"]},
        opts=opts,
    )
    dns = {
        "namespaceSelector": {"matchLabels": {"kubernetes.io/metadata.name": "kube-system"}},
        "podSelector": {"matchLabels": {"k8s-app": "kube-dns"}},
    }
    k8s.networking.v1.NetworkPolicy(
        f"{app}-netpol-allow-dns",
        metadata={"namespace": app, "name": "allow-dns", "labels": app_labels},
        spec={
            "podSelector": {},
            "policyTypes": ["Egress"],
            "egress": [
                {"to": [dns], "ports": [{"port": 53, "protocol": "UDP"}, {"port": 53, "protocol": "TCP"}]}
            ],
        },
        opts=opts,
    )
    clients: dict[str, list[str]] = {name: [] for name in services}
    for name, svc in services.items():
        for dep in svc.get("depends_on", []):
            clients[dep].append(name)

    for name, svc in services.items():
        selector = {f"{PREFIX}/app": app, f"{PREFIX}/service": name}
        isolation = svc.get("isolation", "container")
        labels = {**app_labels, f"{PREFIX}/service": name, f"{PREFIX}/isolation": isolation}
        ports = svc.get("ports", [])
        public = [p for p in ports if p.get("public")]
        volumes = svc.get("volumes", [])
        replicas = svc.get("replicas", 1)
        if ports or volumes:
            k8s.core.v1.Service(
                f"{app}-{name}-service",
                metadata={"namespace": app, "name": name, "labels": labels},
                spec={
                    "selector": selector,
                    "ports": [
                        {
                            "name": p["name"],
                            "port": p["port"],
                            "targetPort": p["port"],
                            "protocol": p.get("protocol", "tcp").upper(),
                        }
                        for p in ports
                    ],
                    **({} if ports else {"clusterIP": "None"}),
                },
                opts=opts,
            )
        if public:
            k8s.core.v1.Service(
                f"{app}-{name}-public",
                metadata={
                    "namespace": app,
                    "name": f"{name}-public",
                    "labels": labels,
                    "annotations": {
                        f"{PREFIX}/public-ports": ",".join(
                            f"{p['port']}/{p.get('protocol', 'tcp')}" for p in public
                        )
                    },
                },
                spec={
                    "type": "LoadBalancer",
                    "selector": selector,
                    "ports": [
                        {
                            "name": p["name"],
                            "port": p.get("host_port", p["port"]),
                            "targetPort": p["port"],
                            "protocol": p.get("protocol", "tcp").upper(),
                        }
                        for p in public
                    ],
                },
                opts=opts,
            )
        uid, _, gid = svc["user"].partition(":")
        tmpfs = svc.get("tmpfs", [])
        limits = {"cpu": cpu(svc["resources"]["cpus"]), "memory": svc["resources"]["memory"]}
        container: dict[str, Any] = {
            "name": name,
            "image": svc["image"],
            "env": [{"name": k, "value": v} for k, v in svc.get("env", {}).items()]
            + [
                {"name": k, "valueFrom": {"secretKeyRef": {"name": f"{app}-secrets", "key": s}}}
                for k, s in svc.get("secret_env", {}).items()
            ],
            "ports": [
                {"name": p["name"], "containerPort": p["port"], "protocol": p.get("protocol", "tcp").upper()}
                for p in ports
            ],
            "resources": {"requests": limits, "limits": limits},
            "securityContext": {
                "allowPrivilegeEscalation": False,
                "capabilities": {"drop": ["ALL"]},
                "readOnlyRootFilesystem": True,
                "runAsNonRoot": True,
                "privileged": False,
            },
            "volumeMounts": [{"name": f"tmp-{i}", "mountPath": p} for i, p in enumerate(tmpfs)]
            + [{"name": v["name"], "mountPath": v["path"]} for v in volumes],
            **probes(svc.get("health")),
        }
        if svc.get("command"):
            container["args"] = svc["command"]
        pod: dict[str, Any] = {
            "automountServiceAccountToken": False,
            "enableServiceLinks": False,
            "securityContext": {
                "runAsNonRoot": True,
                "seccompProfile": {"type": "RuntimeDefault"},
                "runAsUser": int(uid),
                "runAsGroup": int(gid),
                "fsGroup": int(gid),
            },
            "containers": [container],
            "volumes": [{"name": f"tmp-{i}", "emptyDir": {"medium": "Memory"}} for i, _ in enumerate(tmpfs)],
        }
        if isolation != "container":
            pod["runtimeClassName"] = "gvisor"
            pod["nodeSelector"] = {f"{PREFIX}/isolation-{isolation}": "true"}
        template = {"metadata": {"labels": labels}, "spec": pod}
        if volumes:
            k8s.apps.v1.StatefulSet(
                f"{app}-{name}-statefulset",
                metadata={"namespace": app, "name": name, "labels": labels},
                spec={
                    "replicas": replicas,
                    "serviceName": name,
                    "selector": {"matchLabels": selector},
                    "template": template,
                    "persistentVolumeClaimRetentionPolicy": {"whenDeleted": "Retain", "whenScaled": "Retain"},
                    "volumeClaimTemplates": [
                        {
                            "metadata": {"name": v["name"], "labels": labels},
                            "spec": {
                                "accessModes": ["ReadWriteOnce"],
                                "resources": {"requests": {"storage": v["size"]}},
                            },
                        }
                        for v in volumes
                    ],
                    **(
                        {"updateStrategy": {"type": "RollingUpdate", "rollingUpdate": {"maxUnavailable": 1}}}
                        if replicas > 1
                        else {}
                    ),
                },
                opts=opts,
            )
        else:
            k8s.apps.v1.Deployment(
                f"{app}-{name}-deployment",
                metadata={"namespace": app, "labels": labels},
                spec={
                    "replicas": replicas,
                    "selector": {"matchLabels": selector},
                    "template": template,
                    **(
                        {
                            "strategy": {
                                "type": "RollingUpdate",
                                "rollingUpdate": {"maxUnavailable": 0, "maxSurge": 1},
                            }
                        }
                        if replicas > 1
                        else {}
                    ),
                },
                opts=opts,
            )
        if replicas > 1:
            k8s.policy.v1.PodDisruptionBudget(
                f"{app}-{name}-pdb",
                metadata={"namespace": app, "name": name, "labels": labels},
                spec={"maxUnavailable": 1, "selector": {"matchLabels": selector}},
                opts=opts,
            )
        own_ports = [{"port": p["port"], "protocol": p.get("protocol", "tcp").upper()} for p in ports]
        ingress: list[dict[str, Any]] = []
        if clients[name] and ports:
            ingress.append(
                {
                    "from": [
                        {"podSelector": {"matchLabels": {f"{PREFIX}/app": app, f"{PREFIX}/service": c}}}
                        for c in sorted(clients[name])
                    ],
                    "ports": own_ports,
                }
            )
        if public:
            ingress.append(
                {
                    "from": EVERYWHERE,
                    "ports": [
                        {"port": p["port"], "protocol": p.get("protocol", "tcp").upper()} for p in public
                    ],
                }
            )
        if svc.get("egress"):
            egress: list[dict[str, Any]] = [{"to": EVERYWHERE}]
        else:
            egress = [
                {
                    "to": [
                        {"podSelector": {"matchLabels": {f"{PREFIX}/app": app, f"{PREFIX}/service": dep}}}
                    ],
                    "ports": [
                        {"port": p["port"], "protocol": p.get("protocol", "tcp").upper()}
                        for p in services[dep]["ports"]
                    ],
                }
                for dep in svc.get("depends_on", [])
                if services[dep].get("ports")
            ]
        k8s.networking.v1.NetworkPolicy(
            f"{app}-netpol-{name}",
            metadata={"namespace": app, "name": name, "labels": labels},
            spec={
                "podSelector": {"matchLabels": selector},
                "policyTypes": ["Ingress", "Egress"],
                "ingress": ingress,
                "egress": egress,
            },
            opts=opts,
        )
    pulumi.export("target", "kubernetes")
    pulumi.export(
        "endpoints",
        {
            name: [
                {"port": p["name"], "address": f"{name}.{app}.svc:{p['port']}", "public": None}
                for p in svc.get("ports", [])
            ]
            for name, svc in services.items()
        },
    )
