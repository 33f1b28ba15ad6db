"""The admin kubeconfig of the cluster, built from what Pulumi made: no SSH to a node."""

from __future__ import annotations

import base64

import yaml


def _b64(text: str) -> str:
    return base64.b64encode(text.encode()).decode()


def render_kubeconfig(name: str, server: str, ca_cert: str, client_cert: str, client_key: str) -> str:
    """A kubeconfig with one cluster, one user (client certificate) and one context."""
    return yaml.safe_dump(
        {
            "apiVersion": "v1",
            "kind": "Config",
            "clusters": [
                {"name": name, "cluster": {"server": server, "certificate-authority-data": _b64(ca_cert)}}
            ],
            "users": [
                {
                    "name": f"{name}-admin",
                    "user": {
                        "client-certificate-data": _b64(client_cert),
                        "client-key-data": _b64(client_key),
                    },
                }
            ],
            "contexts": [{"name": name, "context": {"cluster": name, "user": f"{name}-admin"}}],
            "current-context": name,
        },
        sort_keys=False,
    )
