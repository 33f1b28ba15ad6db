"""Spec service -> the pod template: container, probes, resources, security. Pure dicts,
written in the Kubernetes API's own field names."""

from __future__ import annotations

from typing import Any

from ... import naming
from ...appspec import ExecProbe, HttpProbe
from ...appspec.units import format_bytes
from ...health import Health
from ...resolve import ResolvedService
from ..hardening import DROP_CAPABILITIES, added_capabilities
from .settings import KubernetesSettings

ISOLATION_NODE_LABEL = "hybrid-platform.io/isolation-{level}"
SECRET_NAME = "{app}-secrets"


def selector(app: str, service: str) -> dict[str, str]:
    """The labels that select a service's pods."""
    return {"hybrid-platform.io/app": app, "hybrid-platform.io/service": service}


def quantity_cpu(millicpus: int) -> str:
    """Milli-CPUs as a Kubernetes quantity: 500 -> "500m", 2000 -> "2"."""
    return str(millicpus // 1000) if millicpus % 1000 == 0 else f"{millicpus}m"


def _handler(health: Health) -> dict[str, Any]:
    probe = health.probe
    if isinstance(probe, HttpProbe):
        return {"httpGet": {"path": probe.path, "port": probe.port}}
    if isinstance(probe, ExecProbe):
        return {"exec": {"command": list(probe.command)}}
    return {"tcpSocket": {"port": probe.port}}


def build_probes(health: Health | None) -> dict[str, Any]:
    """Readiness and liveness from the spec's check; a startup probe covers `start_period`."""
    if health is None:
        return {}
    timing = {
        "periodSeconds": health.interval.seconds,
        "timeoutSeconds": health.timeout.seconds,
        "failureThreshold": health.retries,
    }
    probes = {
        "readinessProbe": {**_handler(health), **timing},
        "livenessProbe": {**_handler(health), **timing},
    }
    if health.start_period.ms:
        probes["startupProbe"] = {**_handler(health), **timing, "failureThreshold": health.startup_checks}
    return probes


def _ids(user: str | None) -> tuple[int | None, int | None]:
    if user is None:
        return None, None
    uid, _, gid = user.partition(":")
    return int(uid), int(gid) if gid else None


def build_pod_spec(service: ResolvedService, app: str, settings: KubernetesSettings) -> dict[str, Any]:
    """The pod spec: restricted security context, limits = requests, tmpfs as memory-backed
    emptyDirs, secrets from the app's Secret, a RuntimeClass for sandbox and vm isolation."""
    spec = service.spec
    uid, gid = _ids(spec.user)
    resources = {"cpu": quantity_cpu(spec.resources.cpus), "memory": format_bytes(spec.resources.memory)}
    env = [{"name": k, "value": v} for k, v in spec.env.items()] + [
        {"name": k, "valueFrom": {"secretKeyRef": {"name": SECRET_NAME.format(app=app), "key": secret}}}
        for k, secret in spec.secret_env.items()
    ]
    mounts = [{"name": naming.tmpfs_volume(i), "mountPath": path} for i, path in enumerate(spec.tmpfs)]
    mounts += [{"name": v.name, "mountPath": v.path} for v in spec.volumes]
    capabilities: dict[str, list[str]] = {"drop": list(DROP_CAPABILITIES)}
    if added := added_capabilities(p.port for p in spec.ports):
        capabilities["add"] = list(added)
    container: dict[str, Any] = {
        "name": service.name,
        "image": service.image,
        "env": env,
        "ports": [
            {"name": p.name, "containerPort": p.port, "protocol": p.protocol.upper()} for p in spec.ports
        ],
        "resources": {"requests": resources, "limits": resources},
        "securityContext": {
            "allowPrivilegeEscalation": False,
            "capabilities": capabilities,
            "readOnlyRootFilesystem": spec.read_only_root,
            "runAsNonRoot": True,
            "privileged": False,
        },
        "volumeMounts": mounts,
        **build_probes(service.health),
    }
    if spec.command:
        container["args"] = list(spec.command)  # like Docker's CMD: the image's entrypoint stays
    pod_security: dict[str, Any] = {"runAsNonRoot": True, "seccompProfile": {"type": "RuntimeDefault"}}
    if uid is not None:
        pod_security["runAsUser"] = uid
    if gid is not None:
        pod_security["runAsGroup"] = gid
    if uid is not None:
        # Volumes are made group-writable for this group: a non-root service can write to
        # storage that a driver creates root-owned (the UID when no GID is given).
        pod_security["fsGroup"] = gid if gid is not None else uid
    pod: dict[str, Any] = {
        "automountServiceAccountToken": False,
        "enableServiceLinks": False,
        "securityContext": pod_security,
        "containers": [container],
        "volumes": [
            {"name": naming.tmpfs_volume(i), "emptyDir": {"medium": "Memory"}}
            for i, _ in enumerate(spec.tmpfs)
        ],
    }
    if spec.isolation != "container":
        # The RuntimeClass's own `scheduling` puts the pod on nodes that offer the runtime
        # (the hybrid target's classes select its labelled agents): no node selector here,
        # which an existing cluster's nodes would not carry.
        pod["runtimeClassName"] = getattr(settings.runtime_classes, spec.isolation)
    return pod
