"""User-data for k3s cluster nodes: config file, optional cluster CA, and the install step."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import yaml

from .document import cloud_config

TLS_DIR = "/var/lib/rancher/k3s/server/tls"
AIRGAP_IMAGES = "/var/lib/rancher/k3s/agent/images"


@dataclass(frozen=True)
class K3sNode:
    """One node: its role, where it is, how it joins, what it is labelled and tainted with."""

    hostname: str
    role: str  # "server" or "agent"
    address: str
    version: str
    install_source: str  # https URL of install.sh, or a directory pre-seeded for an air-gap install
    join_url: str | None  # None for the first server
    cluster_init: bool  # the first server of an HA (embedded etcd) cluster
    tls_sans: tuple[str, ...] = ()
    labels: tuple[str, ...] = ()
    taints: tuple[str, ...] = ()
    ssh_authorized_keys: tuple[str, ...] = ()


@dataclass(frozen=True)
class ClusterCa:
    """The cluster's CAs, placed before k3s first starts so it uses them (PEM text)."""

    server_cert: str
    server_key: str
    client_cert: str
    client_key: str


def k3s_config(node: K3sNode, token: str) -> dict[str, Any]:
    """`/etc/rancher/k3s/config.yaml` of a node."""
    config: dict[str, Any] = {"token": token, "node-name": node.hostname, "node-ip": node.address}
    if node.join_url:
        config["server"] = node.join_url
    if node.cluster_init:
        config["cluster-init"] = True
    if node.role == "server":
        config.update(
            {
                "tls-san": list(node.tls_sans),
                "write-kubeconfig-mode": "0600",
                "secrets-encryption": True,
                "disable": ["traefik"],
            }
        )
    if node.labels:
        config["node-label"] = list(node.labels)
    if node.taints:
        config["node-taint"] = list(node.taints)
    return config


def install_command(node: K3sNode) -> list[str]:
    """Install k3s at the pinned version, from the URL or the pre-seeded air-gap directory."""
    env = f"INSTALL_K3S_VERSION='{node.version}' INSTALL_K3S_EXEC='{node.role}'"
    if node.install_source.startswith("https://"):
        return ["sh", "-c", f"curl -sfL '{node.install_source}' | {env} sh -"]
    source = node.install_source.rstrip("/")
    return [
        "sh",
        "-c",
        f"install -m 0755 '{source}/k3s' /usr/local/bin/k3s && mkdir -p {AIRGAP_IMAGES} && "
        f"cp '{source}'/k3s-airgap-images-* {AIRGAP_IMAGES}/ && "
        f"INSTALL_K3S_SKIP_DOWNLOAD=true {env} sh '{source}/install.sh'",
    ]


def k3s_user_data(node: K3sNode, token: str, ca: ClusterCa | None) -> str:
    """The `#cloud-config` of a node. Holds the join token (and CA keys on the first server):
    the caller keeps it a Pulumi secret."""
    files = [
        {
            "path": "/etc/rancher/k3s/config.yaml",
            "permissions": "0600",
            "content": yaml.safe_dump(k3s_config(node, token), sort_keys=False),
        }
    ]
    if ca is not None:
        for name, content in (
            ("server-ca.crt", ca.server_cert),
            ("server-ca.key", ca.server_key),
            ("client-ca.crt", ca.client_cert),
            ("client-ca.key", ca.client_key),
        ):
            files.append({"path": f"{TLS_DIR}/{name}", "permissions": "0600", "content": content})
    document: dict[str, Any] = {
        "hostname": node.hostname,
        "manage_etc_hosts": True,
        "ssh_pwauth": False,
        "disable_root": True,
        "package_update": False,
        "write_files": files,
        "runcmd": [install_command(node)],
    }
    if node.ssh_authorized_keys:
        document["ssh_authorized_keys"] = list(node.ssh_authorized_keys)
    return cloud_config(document)
