"""Recorded Kubernetes resources as the manifests the provider would send."""

from __future__ import annotations

from typing import Any

from components.offline.recorder import RecordedResource, reveal
from components.offline.runner import PreviewResult

KINDS = ("Deployment", "StatefulSet", "Service", "Namespace", "Secret", "NetworkPolicy", "PodDisruptionBudget",
         "RuntimeClass")  # fmt: skip


def k8s_resources(result: PreviewResult, kind: str | None = None) -> list[RecordedResource]:
    return [
        r for r in result.resources
        if r.type.startswith("kubernetes:") and (kind is None or r.type.endswith(f":{kind}"))
    ]  # fmt: skip


def manifest(resource: RecordedResource) -> dict[str, Any]:
    """The object as applied: auto-named objects get the name Pulumi would give them."""
    document = reveal(resource.inputs)
    document.setdefault("metadata", {}).setdefault("name", f"{resource.name}-abcd1234")
    return document


def pod_specs(result: PreviewResult) -> dict[str, dict[str, Any]]:
    """Service name -> pod spec of its workload."""
    found = {}
    for r in k8s_resources(result, "Deployment") + k8s_resources(result, "StatefulSet"):
        found[r.inputs["metadata"]["labels"]["hybrid-platform.io/service"]] = r.inputs["spec"]["template"][
            "spec"
        ]
    return found
