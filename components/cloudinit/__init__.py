"""Cloud-init documents as pure functions returning text: user-data, network-config,
meta-data, and the pieces they are made of (firewall, systemd units).
Shared by the VM target and, later, the k3s cluster nodes."""

from .document import cloud_config, meta_data, network_config
from .firewall import Firewall, Rule, render_nftables
from .k3s import ClusterCa, K3sNode, k3s_user_data
from .service import GuestService, service_user_data

__all__ = [
    "ClusterCa",
    "Firewall",
    "GuestService",
    "K3sNode",
    "Rule",
    "cloud_config",
    "k3s_user_data",
    "meta_data",
    "network_config",
    "render_nftables",
    "service_user_data",
]
