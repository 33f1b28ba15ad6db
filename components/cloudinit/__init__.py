"""Cloud-init documents as pure functions returning text: user-data, network-config,
meta-data, and the pieces they are made of (firewall, systemd units).
The VM target composes a service VM's user-data from these (`targets/vm/user_data.py`);
k3s nodes' user-data is here."""

from .document import cloud_config, meta_data, network_config
from .firewall import Firewall, Rule, render_nftables
from .k3s import ClusterCa, K3sNode, k3s_user_data

__all__ = [
    "ClusterCa",
    "Firewall",
    "K3sNode",
    "Rule",
    "cloud_config",
    "k3s_user_data",
    "meta_data",
    "network_config",
    "render_nftables",
]
