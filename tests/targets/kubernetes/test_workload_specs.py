"""Deployments, StatefulSets and PodDisruptionBudgets, pure: replicas, update strategies
and claims, without the mock runtime."""

from __future__ import annotations

from typing import Any

import pytest

from components.targets.kubernetes.pods import build_pod_spec
from components.targets.kubernetes.settings import KubernetesSettings
from components.targets.kubernetes.workloads import (
    build_deployment_spec,
    build_pdb_spec,
    build_statefulset_spec,
)
from tests.translators import resolve_service

SETTINGS = KubernetesSettings()
SELECTOR = {"matchLabels": {"hybrid-platform.io/app": "shop", "hybrid-platform.io/service": "svc"}}
LABELS = {
    "hybrid-platform.io/app": "shop",
    "hybrid-platform.io/managed-by": "hybrid-platform",
    "hybrid-platform.io/service": "svc",
    "hybrid-platform.io/isolation": "container",
    "hybrid-platform.io/target": "kubernetes",
}
VOLUMES = [{"name": "data", "path": "/var/lib/data", "size": "2Gi"}, {"name": "logs", "path": "/var/log/app"}]


def deployment(**fields: Any) -> dict[str, Any]:
    return build_deployment_spec(resolve_service("kubernetes", **fields), "shop", SETTINGS)


def statefulset(**fields: Any) -> dict[str, Any]:
    return build_statefulset_spec(
        resolve_service("kubernetes", volumes=VOLUMES, **fields), "shop", SETTINGS, "svc"
    )


def test_a_deployment_runs_the_replicas_of_the_pod_template() -> None:
    service = resolve_service("kubernetes", replicas=1, env={"MODE": "prod"})
    assert build_deployment_spec(service, "shop", SETTINGS) == {
        "replicas": 1,
        "selector": SELECTOR,
        "template": {"metadata": {"labels": LABELS}, "spec": build_pod_spec(service, "shop", SETTINGS)},
    }


@pytest.mark.parametrize("replicas", [0, 1])
def test_a_single_replica_keeps_the_default_strategy(replicas: int) -> None:
    found = deployment(replicas=replicas)
    assert found["replicas"] == replicas
    assert "strategy" not in found


def test_replicated_deployments_never_go_below_the_wanted_replicas() -> None:
    assert deployment(replicas=3)["strategy"] == {
        "type": "RollingUpdate",
        "rollingUpdate": {"maxUnavailable": 0, "maxSurge": 1},
    }


def test_a_statefulset_claims_each_volume_per_replica_and_keeps_the_claims() -> None:
    found = statefulset(replicas=1)
    assert found["serviceName"] == "svc"
    assert found["selector"] == SELECTOR
    assert found["template"]["metadata"] == {"labels": LABELS}
    assert found["persistentVolumeClaimRetentionPolicy"] == {"whenDeleted": "Retain", "whenScaled": "Retain"}
    assert found["volumeClaimTemplates"] == [
        {
            "metadata": {"name": "data", "labels": LABELS},
            "spec": {"accessModes": ["ReadWriteOnce"], "resources": {"requests": {"storage": "2Gi"}}},
        },
        {
            "metadata": {"name": "logs", "labels": LABELS},
            "spec": {"accessModes": ["ReadWriteOnce"], "resources": {"requests": {"storage": "1Gi"}}},
        },
    ]
    assert "updateStrategy" not in found


def test_claims_are_mounted_under_their_volume_names() -> None:
    (container,) = statefulset()["template"]["spec"]["containers"]
    assert container["volumeMounts"] == [
        {"name": "data", "mountPath": "/var/lib/data"},
        {"name": "logs", "mountPath": "/var/log/app"},
    ]


def test_replicated_statefulsets_update_one_replica_at_a_time() -> None:
    found = statefulset(replicas=3)
    assert found["replicas"] == 3
    assert found["updateStrategy"] == {"type": "RollingUpdate", "rollingUpdate": {"maxUnavailable": 1}}


def test_a_disruption_budget_lets_one_replica_go_at_a_time() -> None:
    assert build_pdb_spec(resolve_service("kubernetes", replicas=3), "shop") == {
        "maxUnavailable": 1,
        "selector": SELECTOR,
    }
