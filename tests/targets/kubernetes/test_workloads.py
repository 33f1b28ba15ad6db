"""The app as Kubernetes workloads, under the mock runtime (kubernetes and hybrid targets)."""

from __future__ import annotations

import itertools
from pathlib import Path
from typing import Any

import kubernetes_validate
import pytest

from components.offline.recorder import Secret
from components.offline.runner import PreviewResult, run_preview
from tests.factory import make_app, preview
from tests.targets.kubernetes.manifests import k8s_resources, manifest, pod_specs

ROOT = Path(__file__).resolve().parents[3]
SECRETS = {"secrets": {"db-password": {"secure": "v1:x"}}}
SPEC = make_app(
    web={"replicas": 3, "health": {"http": {"path": "/healthz", "port": 8080}, "start_period": "30s", "interval": "10s"}},
    worker={"isolation": "sandbox", "replicas": 2, "user": "2000:3000"},
    api={"command": ["serve", "--fast"], "env": {"MODE": "prod"}},
)  # fmt: skip


@pytest.fixture(params=["kubernetes", "hybrid"])
def result(request: pytest.FixtureRequest, tmp_path: Path) -> PreviewResult:
    return preview(tmp_path, SPEC, SECRETS, target=request.param)


def test_every_manifest_is_valid_for_the_pinned_kubernetes_version(result: PreviewResult) -> None:
    resources = k8s_resources(result)
    assert len(resources) >= 15
    for resource in resources:
        kubernetes_validate.validate(manifest(resource), "1.33", strict=True)


def test_the_validator_can_fail() -> None:
    bad = {
        "apiVersion": "apps/v1",
        "kind": "Deployment",
        "metadata": {"name": "x"},
        "spec": {"replicas": "two"},
    }
    with pytest.raises(kubernetes_validate.ValidationError):
        kubernetes_validate.validate(bad, "1.33", strict=True)


def test_namespace_enforces_restricted_pod_security(result: PreviewResult) -> None:
    (namespace,) = k8s_resources(result, "Namespace")
    labels = namespace.inputs["metadata"]["labels"]
    assert namespace.inputs["metadata"]["name"] == "shop"
    for mode in ("enforce", "audit", "warn"):
        assert labels[f"pod-security.kubernetes.io/{mode}"] == "restricted"
        # hybrid pins the version of the k3s it builds; an existing cluster's version is not
        # known in advance, so it enforces `latest` unless kubernetes.pss_version says otherwise
        expected = "v1.33" if "hybrid:hybrid:HybridApp" in namespace.parent + namespace.urn else "latest"
        assert labels[f"pod-security.kubernetes.io/{mode}-version"] == expected
    namespaced = [r for r in k8s_resources(result) if not r.type.endswith((":Namespace", ":RuntimeClass"))]
    assert namespaced and all(r.inputs["metadata"].get("namespace") == "shop" for r in namespaced)


def test_restricted_security_context_on_every_pod(result: PreviewResult) -> None:
    for service, pod in pod_specs(result).items():
        assert pod["securityContext"]["runAsNonRoot"] is True, service
        assert pod["securityContext"]["seccompProfile"] == {"type": "RuntimeDefault"}
        assert pod["automountServiceAccountToken"] is False
        for container in pod["containers"]:
            context = container["securityContext"]
            assert context["allowPrivilegeEscalation"] is False
            assert context["capabilities"] == {"drop": ["ALL"]}
            assert context["readOnlyRootFilesystem"] is True
            assert context["privileged"] is False
            assert container["resources"]["limits"] == container["resources"]["requests"]
    worker = pod_specs(result)["worker"]
    assert worker["securityContext"]["runAsUser"] == 2000 and worker["securityContext"]["fsGroup"] == 3000


def test_statefulset_for_services_with_volumes(result: PreviewResult) -> None:
    (sts,) = k8s_resources(result, "StatefulSet")
    assert sts.inputs["metadata"]["name"] == "db"  # claims follow the set's name
    spec = sts.inputs["spec"]
    assert spec["volumeClaimTemplates"][0]["metadata"]["name"] == "data"
    assert spec["volumeClaimTemplates"][0]["spec"]["resources"]["requests"]["storage"] == "2Gi"
    assert spec["persistentVolumeClaimRetentionPolicy"] == {"whenDeleted": "Retain", "whenScaled": "Retain"}
    deployments = {
        r.inputs["metadata"]["labels"]["hybrid-platform.io/service"]
        for r in k8s_resources(result, "Deployment")
    }
    assert deployments == {"web", "api", "worker", "cache"}
    assert all("name" not in r.inputs["metadata"] for r in k8s_resources(result, "Deployment"))  # auto-named


def test_spec_fields_on_the_pod(result: PreviewResult) -> None:
    pods = pod_specs(result)
    web = pods["web"]["containers"][0]
    assert web["image"] == "docker.io/example/web:1.0.0"  # fully qualified, as on every target
    assert web["ports"] == [{"name": "http", "containerPort": 8080, "protocol": "TCP"}]
    assert web["resources"]["limits"] == {"cpu": "1", "memory": "512Mi"}
    assert web["readinessProbe"] == {"httpGet": {"path": "/healthz", "port": 8080}, "periodSeconds": 10,
                                     "timeoutSeconds": 3, "failureThreshold": 3}  # fmt: skip
    assert web["livenessProbe"] == web["readinessProbe"]
    assert web["startupProbe"]["failureThreshold"] == 3 + 3  # 30s start period / 10s, plus the retries
    assert web["volumeMounts"] == [{"name": "tmp-0", "mountPath": "/tmp"}]
    assert pods["web"]["volumes"] == [{"name": "tmp-0", "emptyDir": {"medium": "Memory"}}]
    api = pods["api"]["containers"][0]
    assert api["args"] == ["serve", "--fast"]
    assert {"name": "MODE", "value": "prod"} in api["env"]
    assert {
        "name": "DB_PASSWORD",
        "valueFrom": {"secretKeyRef": {"name": "shop-secrets", "key": "db-password"}},
    } in api["env"]
    cache = pods["cache"]["containers"][0]
    assert cache["readinessProbe"]["tcpSocket"] == {"port": 6379}
    db = pods["db"]["containers"][0]
    assert db["readinessProbe"]["exec"] == {"command": ["pg_isready"]}
    assert {"name": "data", "mountPath": "/var/lib/postgresql/data"} in db["volumeMounts"]
    worker = pods["worker"]
    assert worker["runtimeClassName"] == "gvisor"
    # placement on nodes that offer the runtime is the RuntimeClass's own `scheduling`: an
    # existing cluster's nodes carry none of this project's labels
    assert "nodeSelector" not in worker and "tolerations" not in worker


def test_secret_holds_the_values_as_secrets(result: PreviewResult) -> None:
    (secret,) = k8s_resources(result, "Secret")
    assert secret.inputs["metadata"]["name"] == "shop-secrets"
    assert isinstance(secret.inputs["stringData"], Secret)  # the whole map is a Pulumi secret
    assert secret.inputs["stringData"].value == {"db-password": "offline-secret:db-password"}


def test_rolling_updates_and_disruption_budgets_when_replicated(result: PreviewResult) -> None:
    pdbs = {
        r.inputs["metadata"]["name"]: r.inputs["spec"] for r in k8s_resources(result, "PodDisruptionBudget")
    }
    assert set(pdbs) == {"web", "worker"}
    assert pdbs["web"]["maxUnavailable"] == 1
    for deployment in k8s_resources(result, "Deployment"):
        spec = deployment.inputs["spec"]
        if spec["replicas"] > 1:
            assert spec["strategy"]["rollingUpdate"] == {"maxUnavailable": 0, "maxSurge": 1}
        else:
            assert "strategy" not in spec


def test_services_and_public_ports(result: PreviewResult) -> None:
    services = {r.inputs["metadata"]["name"]: r.inputs["spec"] for r in k8s_resources(result, "Service")}
    assert set(services) == {"web", "web-public", "api", "db", "cache"}
    assert services["db"]["ports"] == [{"name": "pg", "port": 5432, "targetPort": 5432, "protocol": "TCP"}]
    assert services["web-public"]["type"] == "LoadBalancer"
    assert services["web-public"]["ports"] == [
        {"name": "http", "port": 5000, "targetPort": 8080, "protocol": "TCP"}
    ]


def _selects(policy: dict[str, Any], service: str) -> bool:
    labels = policy["podSelector"].get("matchLabels")
    return labels is None or labels.get("hybrid-platform.io/service") == service


def _peers(rules: list[dict[str, Any]], key: str) -> set[str]:
    return {
        peer["podSelector"]["matchLabels"]["hybrid-platform.io/service"]
        for rule in rules
        for peer in rule.get(key, [])
        if "podSelector" in peer and "namespaceSelector" not in peer
    }


def test_network_policies_allow_exactly_the_depends_on_pairs(result: PreviewResult) -> None:
    policies = [r.inputs["spec"] for r in k8s_resources(result, "NetworkPolicy")]
    deny = [
        p
        for p in policies
        if p["podSelector"] == {} and p["policyTypes"] == ["Ingress", "Egress"] and "ingress" not in p
    ]
    assert len(deny) == 1  # default deny in and out for the namespace
    deps = {name: set(svc.get("depends_on", [])) for name, svc in SPEC["services"].items()}
    egress_anywhere = {name for name, svc in SPEC["services"].items() if svc.get("egress")}
    for client, server in itertools.permutations(deps, 2):
        ingress_ok = any(
            client in _peers(p.get("ingress", []), "from") for p in policies if _selects(p, server)
        )
        egress_ok = client in egress_anywhere or any(
            server in _peers(p.get("egress", []), "to") for p in policies if _selects(p, client)
        )
        allowed = ingress_ok and egress_ok
        assert allowed == (server in deps[client]), f"{client} -> {server}"
        assert ingress_ok == (server in deps[client]), f"ingress {client} -> {server}"
    web = next(
        p
        for p in policies
        if p["podSelector"].get("matchLabels", {}).get("hybrid-platform.io/service") == "web"
    )
    assert {
        "from": [{"ipBlock": {"cidr": "0.0.0.0/0"}}],
        "ports": [{"port": 8080, "protocol": "TCP"}],
    } in web["ingress"]
    api = next(
        p
        for p in policies
        if p["podSelector"].get("matchLabels", {}).get("hybrid-platform.io/service") == "api"
    )
    # egress: true keeps the dependency rules (an ipBlock misses pods on some CNIs) and never
    # reaches the cloud metadata address
    assert api["egress"][-1] == {"to": [{"ipBlock": {"cidr": "0.0.0.0/0", "except": ["169.254.169.254/32"]}}]}
    assert [
        p["to"][0]["podSelector"]["matchLabels"]["hybrid-platform.io/service"] for p in api["egress"][:-1]
    ] == ["db", "cache"]
    dns = next(p for p in policies if p["podSelector"] == {} and p["policyTypes"] == ["Egress"])
    assert dns["egress"][0]["ports"] == [{"port": 53, "protocol": "UDP"}, {"port": 53, "protocol": "TCP"}]


def test_existing_cluster_uses_the_configured_kubeconfig(tmp_path: Path) -> None:
    config = {**SECRETS, "kubernetes": {"kubeconfig": {"secure": "v1:kc"}, "namespace": "shop-prod"}}
    result = preview(tmp_path, make_app(), config, target="kubernetes")
    (provider,) = [r for r in result.resources if r.type == "pulumi:providers:kubernetes"]
    assert isinstance(provider.inputs["kubeconfig"], Secret)
    assert provider.inputs["kubeconfig"].value == "offline-placeholder"
    for resource in k8s_resources(result):
        assert resource.provider.startswith(provider.urn + "::")
    assert {r.inputs["metadata"]["name"] for r in k8s_resources(result, "Namespace")} == {"shop-prod"}


def test_shipped_prod_stack_is_hybrid() -> None:
    result = run_preview(ROOT / "stacks", "prod")
    assert result.outputs["target"] == "hybrid"
    assert isinstance(result.outputs["kubeconfig"], Secret)
    for resource in k8s_resources(result):
        kubernetes_validate.validate(manifest(resource), "1.33", strict=True)
