"""`build_pod_spec` and `build_probes`, pure: each spec field in the pod template under the
Kubernetes API's own names and units, without the mock runtime."""

from __future__ import annotations

from typing import Any

import pytest

from components.appspec import HealthSpec
from components.health import resolve_health
from components.targets.kubernetes.pods import build_pod_spec, build_probes, quantity_cpu, selector
from components.targets.kubernetes.settings import KubernetesSettings
from tests.translators import IMAGE, resolve_service

SELECTOR = {"hybrid-platform.io/app": "shop", "hybrid-platform.io/service": "svc"}


def pod(settings: KubernetesSettings | None = None, **fields: Any) -> dict[str, Any]:
    return build_pod_spec(resolve_service("kubernetes", **fields), "shop", settings or KubernetesSettings())


def container(**fields: Any) -> dict[str, Any]:
    (only,) = pod(**fields)["containers"]
    result: dict[str, Any] = only
    return result


@pytest.mark.parametrize(
    ("millicpus", "quantity"), [(500, "500m"), (1000, "1"), (2000, "2"), (1500, "1500m"), (1, "1m")]
)
def test_cpu_quantities(millicpus: int, quantity: str) -> None:
    assert quantity_cpu(millicpus) == quantity


def test_the_selector_names_the_app_and_the_service() -> None:
    assert selector("shop", "svc") == SELECTOR


@pytest.mark.parametrize(
    ("resources", "expected"),
    [
        ({}, {"cpu": "1", "memory": "512Mi"}),
        ({"cpus": 0.25, "memory": "1Gi"}, {"cpu": "250m", "memory": "1Gi"}),
        ({"cpus": "1500m", "memory": "300M"}, {"cpu": "1500m", "memory": "300000000"}),
    ],
)
def test_requests_equal_limits_in_kubernetes_quantities(
    resources: dict[str, Any], expected: dict[str, str]
) -> None:
    assert container(resources=resources)["resources"] == {"requests": expected, "limits": expected}


def test_the_restricted_security_context_on_every_pod() -> None:
    spec = pod()
    assert spec["automountServiceAccountToken"] is False
    assert spec["enableServiceLinks"] is False
    assert spec["securityContext"] == {"runAsNonRoot": True, "seccompProfile": {"type": "RuntimeDefault"}}
    assert container()["securityContext"] == {
        "allowPrivilegeEscalation": False,
        "capabilities": {"drop": ["ALL"]},
        "readOnlyRootFilesystem": True,
        "runAsNonRoot": True,
        "privileged": False,
    }
    assert "runtimeClassName" not in spec


@pytest.mark.parametrize(
    ("ports", "capabilities"),
    [
        ([{"name": "http", "port": 8080}], {"drop": ["ALL"]}),
        ([{"name": "high", "port": 1024}], {"drop": ["ALL"]}),
        ([{"name": "http", "port": 80}], {"drop": ["ALL"], "add": ["NET_BIND_SERVICE"]}),
        ([{"name": "dns", "port": 53, "protocol": "udp"}], {"drop": ["ALL"], "add": ["NET_BIND_SERVICE"]}),
    ],
)
def test_net_bind_service_only_below_1024(ports: list[dict[str, Any]], capabilities: dict[str, Any]) -> None:
    assert container(ports=ports)["securityContext"]["capabilities"] == capabilities


@pytest.mark.parametrize(
    ("user", "ids"),
    [
        ("1000:2000", {"runAsUser": 1000, "runAsGroup": 2000, "fsGroup": 2000}),
        ("1000", {"runAsUser": 1000, "fsGroup": 1000}),  # the UID's group owns the volumes
        (70, {"runAsUser": 70, "fsGroup": 70}),
    ],
)
def test_the_user_sets_the_pod_ids(user: str | int, ids: dict[str, int]) -> None:
    assert pod(user=user)["securityContext"] == {
        "runAsNonRoot": True,
        "seccompProfile": {"type": "RuntimeDefault"},
        **ids,
    }


def test_image_ports_env_and_command() -> None:
    found = container(
        ports=[{"name": "http", "port": 8080}, {"name": "dns", "port": 5353, "protocol": "udp"}],
        env={"MODE": "prod", "WORKERS": 4},
        secret_env={"DB_PASSWORD": "db-password"},
        command=["serve", "--port", "8080"],
    )
    assert found["name"] == "svc"
    assert found["image"] == f"docker.io/{IMAGE}"
    assert found["ports"] == [
        {"name": "http", "containerPort": 8080, "protocol": "TCP"},
        {"name": "dns", "containerPort": 5353, "protocol": "UDP"},
    ]
    assert found["env"] == [
        {"name": "MODE", "value": "prod"},
        {"name": "WORKERS", "value": "4"},
        {
            "name": "DB_PASSWORD",
            "valueFrom": {"secretKeyRef": {"name": "shop-secrets", "key": "db-password"}},
        },
    ]
    # like Docker's CMD: the image's entrypoint stays
    assert found["args"] == ["serve", "--port", "8080"]
    assert "command" not in found


def test_without_command_the_image_decides() -> None:
    assert "args" not in container()


def test_tmpfs_is_a_memory_backed_empty_dir_and_volumes_are_claims() -> None:
    spec = pod(
        tmpfs=["/tmp", "/run"],
        volumes=[{"name": "data", "path": "/var/lib/data"}],
        read_only_root=False,
    )
    assert spec["volumes"] == [
        {"name": "tmp-0", "emptyDir": {"medium": "Memory"}},
        {"name": "tmp-1", "emptyDir": {"medium": "Memory"}},
    ]  # the claim comes from the StatefulSet's volumeClaimTemplates
    (found,) = spec["containers"]
    assert found["volumeMounts"] == [
        {"name": "tmp-0", "mountPath": "/tmp"},
        {"name": "tmp-1", "mountPath": "/run"},
        {"name": "data", "mountPath": "/var/lib/data"},
    ]
    assert found["securityContext"]["readOnlyRootFilesystem"] is False


@pytest.mark.parametrize(
    ("isolation", "runtime_class"), [("container", None), ("sandbox", "gvisor"), ("vm", "kata")]
)
def test_sandbox_and_vm_isolation_ask_for_their_runtime_class(
    isolation: str, runtime_class: str | None
) -> None:
    assert pod(isolation=isolation).get("runtimeClassName") == runtime_class


def test_runtime_classes_come_from_the_settings() -> None:
    settings = KubernetesSettings.model_validate({"runtime_classes": {"sandbox": "runsc", "vm": "kata-fc"}})
    assert pod(settings, isolation="sandbox")["runtimeClassName"] == "runsc"
    assert pod(settings, isolation="vm")["runtimeClassName"] == "kata-fc"
    assert "nodeSelector" not in pod(settings, isolation="vm")  # the RuntimeClass schedules


def probes(**fields: Any) -> dict[str, Any]:
    return build_probes(resolve_health(HealthSpec.model_validate(fields)))


@pytest.mark.parametrize(
    ("probe", "handler"),
    [
        ({"http": {"path": "/healthz", "port": 8080}}, {"httpGet": {"path": "/healthz", "port": 8080}}),
        ({"tcp": {"port": 6379}}, {"tcpSocket": {"port": 6379}}),
        (
            {"exec": {"command": ["pg_isready", "-U", "app"]}},
            {"exec": {"command": ["pg_isready", "-U", "app"]}},
        ),
    ],
)
def test_readiness_and_liveness_use_the_spec_check(probe: dict[str, Any], handler: dict[str, Any]) -> None:
    expected = {**handler, "periodSeconds": 10, "timeoutSeconds": 3, "failureThreshold": 3}
    assert probes(**probe) == {"readinessProbe": expected, "livenessProbe": expected}


def test_probe_timing_in_whole_seconds_rounded_up() -> None:
    found = probes(tcp={"port": 80}, interval="1500ms", timeout="200ms", retries=5)
    assert {
        k: found["livenessProbe"][k] for k in ("periodSeconds", "timeoutSeconds", "failureThreshold")
    } == {
        "periodSeconds": 2,
        "timeoutSeconds": 1,
        "failureThreshold": 5,
    }


def test_a_start_period_adds_a_startup_probe_that_covers_it() -> None:
    found = probes(http={"port": 8080}, interval="10s", retries=3, start_period="1m30s")
    assert found["startupProbe"] == {
        "httpGet": {"path": "/", "port": 8080},
        "periodSeconds": 10,
        "timeoutSeconds": 3,
        "failureThreshold": 12,  # 9 intervals of start period, then the 3 retries
    }
    assert found["livenessProbe"]["failureThreshold"] == 3


def test_no_health_no_probes() -> None:
    assert build_probes(None) == {}
    assert {"readinessProbe", "livenessProbe", "startupProbe"}.isdisjoint(container())


def test_the_pod_carries_the_probes() -> None:
    found = container(ports=[{"name": "http", "port": 8080}], health={"tcp": {"port": 8080}})
    assert found["readinessProbe"]["tcpSocket"] == {"port": 8080}
    assert found["livenessProbe"]["tcpSocket"] == {"port": 8080}
