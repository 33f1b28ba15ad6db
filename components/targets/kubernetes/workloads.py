"""Deployments, StatefulSets and disruption budgets. Pure dicts in the API's field names."""

from __future__ import annotations

from typing import Any

from ...appspec.units import format_bytes
from ...resolve import ResolvedService
from .pods import build_pod_spec, selector
from .settings import KubernetesSettings


def _template(service: ResolvedService, app: str, settings: KubernetesSettings) -> dict[str, Any]:
    return {"metadata": {"labels": dict(service.labels)}, "spec": build_pod_spec(service, app, settings)}


def build_deployment_spec(service: ResolvedService, app: str, settings: KubernetesSettings) -> dict[str, Any]:
    """A stateless service: rolling updates that never go below the wanted replicas."""
    spec: dict[str, Any] = {
        "replicas": service.spec.replicas,
        "selector": {"matchLabels": selector(app, service.name)},
        "template": _template(service, app, settings),
    }
    if service.spec.replicas > 1:
        spec["strategy"] = {"type": "RollingUpdate", "rollingUpdate": {"maxUnavailable": 0, "maxSurge": 1}}
    return spec


def build_statefulset_spec(
    service: ResolvedService, app: str, settings: KubernetesSettings, headless_service: str
) -> dict[str, Any]:
    """A service with volumes: one claim per volume per replica, kept when the set is
    deleted or scaled down."""
    spec: dict[str, Any] = {
        "replicas": service.spec.replicas,
        "serviceName": headless_service,
        "selector": {"matchLabels": selector(app, service.name)},
        "template": _template(service, app, settings),
        "persistentVolumeClaimRetentionPolicy": {"whenDeleted": "Retain", "whenScaled": "Retain"},
        "volumeClaimTemplates": [
            {
                "metadata": {"name": v.name, "labels": dict(service.labels)},
                "spec": {
                    "accessModes": ["ReadWriteOnce"],
                    "resources": {"requests": {"storage": format_bytes(v.size)}},
                },
            }
            for v in service.spec.volumes
        ],
    }
    if service.spec.replicas > 1:
        spec["updateStrategy"] = {"type": "RollingUpdate", "rollingUpdate": {"maxUnavailable": 1}}
    return spec


def build_pdb_spec(service: ResolvedService, app: str) -> dict[str, Any]:
    """At most one replica away at a time during voluntary disruptions."""
    return {"maxUnavailable": 1, "selector": {"matchLabels": selector(app, service.name)}}
