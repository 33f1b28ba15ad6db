"""The k3s cluster of the `hybrid` target, under the mock runtime."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from components.offline.recorder import Secret, reveal
from components.offline.runner import PreviewResult
from tests.factory import make_app, preview
from tests.targets.kubernetes.manifests import k8s_resources

SECRETS = {"secrets": {"db-password": {"secure": "v1:x"}}}
GATE = "pulumi-python:dynamic:Resource"


def of_type(result: PreviewResult, kind: str) -> list:  # type: ignore[type-arg]
    return [r for r in result.resources if r.type == kind]


def node_documents(result: PreviewResult) -> dict[str, dict]:  # type: ignore[type-arg]
    """Node name -> (parsed user-data, parsed k3s config)."""
    found = {}
    for disk in of_type(result, "libvirt:index/cloudInitDisk:CloudInitDisk"):
        user_data = yaml.safe_load(reveal(disk.inputs["userData"]))
        config = yaml.safe_load(
            next(f["content"] for f in user_data["write_files"] if f["path"].endswith("config.yaml"))
        )
        found[user_data["hostname"]] = {"user_data": user_data, "config": config, "disk": disk}
    return found


@pytest.fixture
def result(tmp_path: Path) -> PreviewResult:
    config = {**SECRETS, "cluster": {"servers": 3, "agents": 2, "vm_agents": 1}}
    return preview(tmp_path, make_app(worker={"isolation": "vm"}), config, target="hybrid")


def test_cluster_nodes_are_vms_built_from_the_vm_blocks(result: PreviewResult) -> None:
    nodes = node_documents(result)
    assert set(nodes) == {"server-0", "server-1", "server-2", "agent-0", "agent-1", "vm-agent-0"}
    assert len(of_type(result, "libvirt:index/domain:Domain")) == 6
    (cluster,) = of_type(result, "hybrid:k3s:K3sCluster")
    assert [n.parent for n in of_type(result, "hybrid:k3s:Node")] == [cluster.urn] * 6
    for domain in of_type(result, "libvirt:index/domain:Domain"):
        assert domain.inputs["vcpu"] == 2 and domain.inputs["memory"] == 4096
    roots = [v for v in of_type(result, "libvirt:index/volume:Volume") if v.name.endswith("-root")]
    assert len(roots) == 6 and all(v.inputs["size"] == 40 * 2**30 for v in roots)


def test_token_and_ca_are_secrets_and_only_the_first_server_gets_the_ca(result: PreviewResult) -> None:
    (token,) = of_type(result, "random:index/randomPassword:RandomPassword")
    assert token.inputs["length"] == 48
    assert len(of_type(result, "tls:index/selfSignedCert:SelfSignedCert")) == 2  # server and client CAs
    nodes = node_documents(result)
    for name, node in nodes.items():
        assert isinstance(node["disk"].inputs["userData"], Secret), name
        assert node["config"]["token"] == token.outputs["result"]
        tls_files = [f["path"] for f in node["user_data"]["write_files"] if "/tls/" in f["path"]]
        assert bool(tls_files) == (name == "server-0"), name


def test_ha_servers_join_the_first_and_agents_are_labelled_and_tainted(result: PreviewResult) -> None:
    nodes = node_documents(result)
    first = nodes["server-0"]["config"]
    assert first["cluster-init"] is True and "server" not in first
    assert first["secrets-encryption"] is True and first["write-kubeconfig-mode"] == "0600"
    url = f"https://{first['node-ip']}:6443"
    for name in ("server-1", "server-2", "agent-0", "vm-agent-0"):
        assert nodes[name]["config"]["server"] == url
    assert nodes["server-1"]["config"]["node-taint"] == ["CriticalAddonsOnly=true:NoExecute"]
    assert "hybrid-platform.io/isolation-sandbox=true" in nodes["agent-0"]["config"]["node-label"]
    assert nodes["vm-agent-0"]["config"]["node-label"][-1] == "hybrid-platform.io/isolation-vm=true"
    assert nodes["vm-agent-0"]["config"]["node-taint"] == ["hybrid-platform.io/isolation=vm:NoSchedule"]
    install = nodes["agent-0"]["user_data"]["runcmd"][0][-1]
    assert "INSTALL_K3S_VERSION='v1.33.2+k3s1'" in install and "INSTALL_K3S_EXEC='agent'" in install


def test_kubeconfig_is_a_secret_output_and_workloads_wait_for_the_gate(result: PreviewResult) -> None:
    assert isinstance(result.outputs["kubeconfig"], Secret)
    kubeconfig = yaml.safe_load(result.outputs["kubeconfig"].value)
    server = kubeconfig["clusters"][0]["cluster"]["server"]
    (gate,) = of_type(result, GATE)
    assert gate.inputs["server"] == server
    assert gate.inputs["nodes"] == 6
    assert isinstance(gate.inputs["client_key_pem"], Secret)
    domains = {d.urn for d in of_type(result, "libvirt:index/domain:Domain")}
    assert domains <= set(gate.depends_on)  # the gate waits for every VM
    (provider,) = of_type(result, "pulumi:providers:kubernetes")
    assert gate.urn in provider.depends_on
    assert isinstance(provider.inputs["kubeconfig"], Secret)
    workloads = k8s_resources(result)
    assert workloads
    for workload in workloads:
        assert workload.provider.startswith(provider.urn + "::")
        if not workload.type.endswith(":RuntimeClass"):
            assert gate.urn in workload.depends_on, workload.name


def test_runtime_class_for_vm_isolation(result: PreviewResult) -> None:
    (runtime,) = k8s_resources(result, "RuntimeClass")
    assert runtime.inputs["metadata"]["name"] == "kata" and runtime.inputs["handler"] == "kata"
    assert runtime.inputs["scheduling"]["nodeSelector"] == {"hybrid-platform.io/isolation-vm": "true"}


def test_single_server_without_agents_serves_workloads(tmp_path: Path) -> None:
    result = preview(
        tmp_path, make_app(), {**SECRETS, "cluster": {"servers": 1, "agents": 0}}, target="hybrid"
    )
    (node,) = node_documents(result).values()
    assert "node-taint" not in node["config"] and "cluster-init" not in node["config"]
    assert "hybrid-platform.io/isolation-container=true" in node["config"]["node-label"]


def test_air_gap_install_source(tmp_path: Path) -> None:
    config = {**SECRETS, "cluster": {"install_source": "/opt/k3s-airgap", "agents": 0}}
    result = preview(tmp_path, make_app(), config, target="hybrid")
    (node,) = node_documents(result).values()
    command = node["user_data"]["runcmd"][0][-1]
    assert "INSTALL_K3S_SKIP_DOWNLOAD=true" in command and "/opt/k3s-airgap/install.sh" in command
    assert "curl" not in command
