"""Stack controls: judged on all resources together, across targets."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from typing import Any

from ..framework import (
    LABEL,
    Resource,
    as_dict,
    as_list,
    control_factory,
    description_labels,
    docker_labels,
    get,
    k8s_labels,
)
from .kubernetes import WORKLOADS, pod_spec

STRENGTH = {"container": 0, "sandbox": 1, "vm": 2}
SECRET_NAME = re.compile(r"(PASSWORD|PASSWD|SECRET|TOKEN|API_?KEY|PRIVATE_?KEY|CREDENTIAL)", re.IGNORECASE)
Findings = Iterable[tuple[str | None, str]]


def _of(resources: list[Resource], *types: str) -> list[Resource]:
    return [r for r in resources if r.type in types]


def _default_deny(resources: list[Resource], _: Mapping[str, Any]) -> Findings:
    denied = set()
    for policy in _of(resources, "kubernetes:networking.k8s.io/v1:NetworkPolicy"):
        spec = as_dict(policy.props.get("spec"))
        types = set(as_list(spec.get("policyTypes")))
        if (
            spec.get("podSelector") == {}
            and types == {"Ingress", "Egress"}
            and not spec.get("ingress")
            and not spec.get("egress")
        ):
            denied.add(get(policy.props, "metadata", "namespace"))
    for namespace in _of(resources, "kubernetes:core/v1:Namespace"):
        name = get(namespace.props, "metadata", "name")
        if name is not None and name not in denied:
            yield namespace.urn, f"namespace {name} has no default-deny NetworkPolicy (ingress and egress)"


def _isolation(resources: list[Resource], _: Mapping[str, Any]) -> Findings:
    for container in _of(resources, "docker:index/container:Container"):
        level = docker_labels(container).get(f"{LABEL}/isolation")
        if level == "vm":
            yield (
                container.urn,
                "isolation vm needs its own kernel; Docker shares the host's: use target vm or hybrid",
            )
    for workload in resources:
        if workload.type not in WORKLOADS:
            continue
        level = k8s_labels(workload).get(f"{LABEL}/isolation")
        if level in ("sandbox", "vm") and not pod_spec(workload).get("runtimeClassName"):
            yield (
                workload.urn,
                f"isolation {level} needs a sandboxed RuntimeClass; the pods run on the shared kernel",
            )


def _shared_networks(resources: list[Resource], _: Mapping[str, Any]) -> Findings:
    members: dict[str, list[dict[str, str]]] = {}
    for container in _of(resources, "docker:index/container:Container"):
        for attachment in as_list(container.props.get("networksAdvanced")):
            name = get(attachment, "name")
            if isinstance(name, str):
                members.setdefault(name, []).append(docker_labels(container))
    for network in _of(resources, "docker:index/network:Network"):
        joined = members.get(str(network.props.get("name")), [])
        apps = {m.get(f"{LABEL}/app") for m in joined}
        tiers = {m.get(f"{LABEL}/isolation") for m in joined}
        if len(apps) > 1:
            yield network.urn, f"joins containers of several apps: {', '.join(sorted(map(str, apps)))}"
        role = docker_labels(network).get(f"{LABEL}/network-role", "")
        owner = docker_labels(network).get(f"{LABEL}/service")
        services = {m.get(f"{LABEL}/service") for m in joined}
        declared_link = role.startswith("from-") and services <= {owner, role[len("from-") :]}
        if len(tiers) > 1 and not declared_link:
            yield (
                network.urn,
                f"joins isolation tiers {', '.join(sorted(map(str, tiers)))} beyond one declared depends_on pair",
            )


def _is_data_volume(r: Resource) -> bool:
    if r.type == "docker:index/volume:Volume":
        return True
    if r.type == "libvirt:index/volume:Volume":
        return not any(r.props.get(k) for k in ("source", "baseVolumeId", "baseVolumeName"))
    if r.type == "kubernetes:apps/v1:StatefulSet":
        return bool(as_list(get(r.props, "spec", "volumeClaimTemplates")))
    return r.type == "kubernetes:core/v1:PersistentVolumeClaim"


def _protected_data(resources: list[Resource], params: Mapping[str, Any]) -> Findings:
    if not params["protectData"]:
        return
    for resource in resources:
        if _is_data_volume(resource) and not resource.protect:
            yield (
                resource.urn,
                "holds persistent data but is not protected; set protect_data: true for this stack",
            )


def _declared(text: Any) -> set[str]:
    return {p for p in str(text or "").split(",") if p}


def _public_ports(resources: list[Resource], _: Mapping[str, Any]) -> Findings:
    for container in _of(resources, "docker:index/container:Container"):
        declared = _declared(docker_labels(container).get(f"{LABEL}/public-ports"))
        for port in as_list(container.props.get("ports")):
            key = f"{get(port, 'internal')}/{get(port, 'protocol') or 'tcp'}"
            if key not in declared:
                yield container.urn, f"publishes {key}, which the spec does not declare public"
    for service in _of(resources, "kubernetes:core/v1:Service"):
        if get(service.props, "spec", "type") not in ("LoadBalancer", "NodePort"):
            continue
        declared = _declared(get(service.props, "metadata", "annotations", f"{LABEL}/public-ports"))
        for port in as_list(get(service.props, "spec", "ports")):
            key = f"{get(port, 'targetPort') or get(port, 'port')}/{str(get(port, 'protocol') or 'TCP').lower()}"
            if key not in declared:
                yield (
                    service.urn,
                    f"exposes {key} outside the cluster, which the spec does not declare public",
                )


def _plaintext_secrets(resources: list[Resource], _: Mapping[str, Any]) -> Findings:
    for container in _of(resources, "docker:index/container:Container"):
        from_secrets = _declared(docker_labels(container).get(f"{LABEL}/secret-env"))
        for entry in as_list(container.props.get("envs")):
            if isinstance(entry, str) and "=" in entry:
                key = entry.split("=", 1)[0]
                if SECRET_NAME.search(key) and key not in from_secrets:
                    yield container.urn, f"{key} is set in plaintext env; move it to secret_env"
    for workload in resources:
        if workload.type not in WORKLOADS:
            continue
        for container in as_list(pod_spec(workload).get("containers")):
            for env in as_list(get(container, "env")):
                if SECRET_NAME.search(str(get(env, "name"))) and "value" in as_dict(env):
                    yield workload.urn, f"{get(env, 'name')} is set in plaintext env; move it to secret_env"
    for domain in _of(resources, "libvirt:index/domain:Domain"):
        for key in description_labels(domain):
            if SECRET_NAME.search(key) and not key.startswith(LABEL):
                yield domain.urn, f"the description carries {key}"


_control = control_factory("stack")

CONTROLS = [
    _control(
        "stack-default-deny",
        "high",
        "Every Kubernetes namespace has a default-deny NetworkPolicy.",
        "Keep the app in a namespace managed by KubernetesApp (it adds default-deny).",
        "NSA/CISA Kubernetes hardening: network separation",
        _default_deny,
    ),
    _control(
        "stack-isolation-vs-target",
        "critical",
        "No service runs on a target weaker than its isolation.",
        "Move the service to a target that gives its isolation (vm: target vm or hybrid with vm_agents).",
        "hybrid-platform isolation",
        _isolation,
    ),
    _control(
        "stack-no-shared-networks",
        "critical",
        "No Docker network joins two apps, or two isolation tiers beyond one declared depends_on pair.",
        "Give each app its own networks; link tiers only per depends_on.",
        "hybrid-platform traffic rule",
        _shared_networks,
    ),
    _control(
        "stack-protected-data",
        "high",
        "Persistent data is protected in stacks that ask for it.",
        "Set hybrid-platform:protect_data: true in the stack.",
        "hybrid-platform data rule",
        _protected_data,
        protectData=False,
    ),
    _control(
        "stack-public-ports-match-spec",
        "high",
        "Every port published outside is a public port of the spec.",
        "Publish ports only through the spec's ports with public: true.",
        "hybrid-platform traffic rule",
        _public_ports,
    ),
    _control(
        "stack-no-plaintext-secrets",
        "critical",
        "No secret-looking value is set in plaintext inputs.",
        "Declare it in secret_env and set it with pulumi config set --secret.",
        "hybrid-platform secrets rule",
        _plaintext_secrets,
    ),
]
