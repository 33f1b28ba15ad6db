"""Kubernetes: the app as workloads (`KubernetesApp`), on an existing cluster (`kubernetes`
target) or on the k3s cluster the `hybrid` target builds."""

from .component import ExistingClusterApp, KubernetesApp

__all__ = ["ExistingClusterApp", "KubernetesApp"]
