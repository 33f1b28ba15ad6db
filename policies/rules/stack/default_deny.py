"""Kubernetes namespaces deny by default."""

from __future__ import annotations

from ...framework import Findings, Params, Resource, control
from ...read import as_dict, as_list, get, of
from ...resource_types import K8S_NAMESPACE, K8S_NETWORK_POLICY


@control(
    id="stack-default-deny",
    target="stack",
    severity="high",
    benchmark="NSA/CISA Kubernetes hardening: network separation",
    description="Every Kubernetes namespace has a default-deny NetworkPolicy.",
    remediation="Keep the app in a namespace managed by KubernetesApp (it adds default-deny).",
    isolation=True,
)
def default_deny(resources: list[Resource], _: Params) -> Findings:
    denied = set()
    for policy in of(resources, K8S_NETWORK_POLICY):
        spec = as_dict(policy.props.get("spec"))
        if (
            spec.get("podSelector") == {}
            and set(as_list(spec.get("policyTypes"))) == {"Ingress", "Egress"}
            and not spec.get("ingress")
            and not spec.get("egress")
        ):
            denied.add(get(policy.props, "metadata", "namespace"))
    for namespace in of(resources, K8S_NAMESPACE):
        name = get(namespace.props, "metadata", "name")
        if name is not None and name not in denied:
            yield namespace.urn, f"namespace {name} has no default-deny NetworkPolicy (ingress and egress)"
