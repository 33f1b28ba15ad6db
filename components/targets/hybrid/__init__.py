"""The `hybrid` target: a k3s cluster on libvirt VMs, and the app as workloads on it."""

from .cluster import K3sCluster
from .component import HybridApp

__all__ = ["HybridApp", "K3sCluster"]
