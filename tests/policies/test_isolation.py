"""stack-isolation-vs-target: each service against its target's declared capabilities, then
the facts that decide it there: the RuntimeClass its pods name, the k3s nodes that can run it."""

from __future__ import annotations

import dataclasses
from typing import Any

import pytest

from components import vocabulary as v
from components.targets.docker import capabilities as docker_capabilities
from policies.engine import evaluate
from policies.framework import Resource
from tests.policies.fixtures import CONTAINER_LABELS, SANDBOXED_LABELS, compliant, docker_labels

RUNTIME_CLASS = "kubernetes:node.k8s.io/v1:RuntimeClass"


def findings(resources: dict[str, Resource], config: dict[str, Any] | None = None) -> list[str]:
    return [f.message for f in evaluate(list(resources.values()), config or {}) if f.policy == "stack-isolation-vs-target"]  # fmt: skip


def sandboxed(
    resources: dict[str, Resource], level: str, runtime_class: str | None, target: str = "hybrid"
) -> None:
    """The sandboxed Deployment at `level` on `target`, naming `runtime_class`."""
    labels = {**SANDBOXED_LABELS, v.ISOLATION: level, v.TARGET: target}
    props = resources["sandboxed"].props
    props["metadata"]["labels"] = labels
    props["spec"]["template"]["metadata"]["labels"] = labels
    props["spec"]["template"]["spec"].pop("runtimeClassName", None)
    if runtime_class is not None:
        props["spec"]["template"]["spec"]["runtimeClassName"] = runtime_class


def runtime_class(resources: dict[str, Resource], name: str, handler: str) -> None:
    resources[name] = Resource(
        RUNTIME_CLASS, name, f"urn:{name}", {"metadata": {"name": name}, "handler": handler}
    )


def add_node(resources: dict[str, Resource], name: str, levels: str) -> None:
    """One more k3s agent, serving `levels` (the fixture's agent serves container and sandbox)."""
    node = resources["node"]
    description = v.description({v.APP: "shop", v.K3S_ROLE: "agent", v.NODE_ISOLATION: levels})
    resources[name] = Resource(node.type, name, f"urn:{name}", {**node.props, "description": description})


def test_a_runtime_class_whose_handler_is_runc_is_no_sandbox() -> None:
    resources = compliant()
    resources["gvisor"].props["handler"] = "runc"
    (message,) = findings(resources)
    assert message == "isolation sandbox: RuntimeClass gvisor runs handler runc, which is not sandboxed (runsc, gvisor, kata, kata-qemu, kata-clh, kata-fc)"  # fmt: skip


def test_the_handler_decides_when_the_stack_creates_the_runtime_class() -> None:
    resources = compliant()
    runtime_class(resources, "fast", "kata-qemu")
    add_node(resources, "vm-agent", "vm")
    sandboxed(resources, "vm", "fast")
    assert findings(resources) == []
    sandboxed(resources, "vm", "gvisor")  # a sandbox is not its own kernel
    assert findings(resources) == ["isolation vm: RuntimeClass gvisor runs handler runsc, which is not VM-based (kata, kata-qemu, kata-clh, kata-fc)"]  # fmt: skip


@pytest.mark.parametrize("level", ["sandbox", "vm"])
def test_runtime_classes_named_runc_on_an_existing_cluster_are_refused(level: str) -> None:
    resources = compliant()
    del resources["gvisor"], resources["node"]
    sandboxed(resources, level, "runc", target="kubernetes")
    (message,) = findings(resources)
    assert message.startswith(f"isolation {level}: RuntimeClass runc is not a known ")
    assert message.endswith(f"set kubernetes.runtime_classes.{level}")


def test_known_class_names_pass_on_an_existing_cluster_and_params_extend_them() -> None:
    resources = compliant()
    del resources["gvisor"], resources["node"]
    sandboxed(resources, "sandbox", "gvisor", target="kubernetes")
    assert findings(resources) == []
    sandboxed(resources, "vm", "kata-clh", target="kubernetes")
    assert findings(resources) == []
    sandboxed(resources, "sandbox", "house-sandbox", target="kubernetes")
    assert len(findings(resources)) == 1
    config = {"stack-isolation-vs-target": {"sandboxClasses": ["house-sandbox"]}}
    assert findings(resources, config) == []
    sandboxed(resources, "sandbox", "runc", target="kubernetes")
    assert len(findings(resources, {"stack-isolation-vs-target": {"sandboxClasses": ["runc"]}})) == 1


def test_no_runtime_class_is_the_shared_kernel() -> None:
    resources = compliant()
    sandboxed(resources, "sandbox", None)
    assert findings(resources) == ["isolation sandbox needs a sandboxed RuntimeClass; without runtimeClassName the pods run on the shared kernel"]  # fmt: skip


def test_a_vm_workload_on_a_cluster_without_vm_nodes_stays_pending() -> None:
    resources = compliant()
    runtime_class(resources, "kata", "kata")
    sandboxed(resources, "vm", "kata")
    (message,) = findings(resources)
    assert "stay Pending" in message and "cluster.vm_agents" in message
    add_node(resources, "vm-agent", "vm")
    assert findings(resources) == []


def test_cluster_nodes_only_judge_workloads_on_the_cluster_built_in_the_stack() -> None:
    resources = compliant()
    del resources["gvisor"]
    sandboxed(
        resources, "vm", "kata", target="kubernetes"
    )  # an existing cluster: its nodes are not in the graph
    assert findings(resources) == []


def test_docker_gives_no_vm_isolation() -> None:
    resources = compliant()
    resources["container"].props.update(
        labels=docker_labels(**{**CONTAINER_LABELS, "isolation": "vm"}), runtime="runsc"
    )
    assert findings(resources) == ["isolation vm is more than target docker gives (container, sandbox); place the service on vm, hybrid, kubernetes"]  # fmt: skip


def test_the_verdict_comes_from_the_targets_declared_capabilities(monkeypatch: pytest.MonkeyPatch) -> None:
    resources = compliant()
    resources["container"].props.update(
        labels=docker_labels(**{**CONTAINER_LABELS, "isolation": "vm"}), runtime="runsc"
    )
    declared = docker_capabilities.CAPABILITIES
    widened = dataclasses.replace(declared, isolation={**declared.isolation, "vm": "a microVM runtime"})
    monkeypatch.setattr(docker_capabilities, "CAPABILITIES", widened)
    assert findings(resources) == []


def test_the_target_label_places_the_service() -> None:
    resources = compliant()
    labels = docker_labels(**{**CONTAINER_LABELS, "isolation": "vm", "target": "vm"})
    resources["container"].props.update(labels=labels, runtime="runsc")
    assert findings(resources) == []  # judged as placed on vm, which gives vm
    resources["container"].props.update(labels=docker_labels(**{**CONTAINER_LABELS, "isolation": "vm", "target": "nowhere"}))  # fmt: skip
    assert findings(resources) == []  # a target it does not know is not judged
