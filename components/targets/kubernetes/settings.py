"""`kubernetes`: the cluster the app is deployed on, and how."""

from __future__ import annotations

import ipaddress
from typing import Annotated, Literal

from pydantic import AfterValidator, Field, SecretStr

from ...settings_section import SettingsModel, SettingsSection

RUNTIME_CLASS = r"^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$"


def _check_range(value: str) -> str:
    low, dash, high = value.partition("-")
    if not (dash and low.isdigit() and high.isdigit() and 1 <= int(low) <= int(high) <= 65535):
        raise ValueError(f"{value!r} is not a port range; use LOW-HIGH, e.g. 30000-32767")
    return value


def _check_cidr(value: str) -> str:
    try:
        ipaddress.IPv4Network(value)
    except ValueError:
        raise ValueError(f"{value!r} is not an IPv4 network or address; use e.g. 192.168.10.0/24") from None
    return value


class RuntimeClassNames(SettingsModel):
    """RuntimeClass per isolation level that needs a sandboxed runtime."""

    sandbox: Annotated[str, Field(pattern=RUNTIME_CLASS)] = "gvisor"
    vm: Annotated[str, Field(pattern=RUNTIME_CLASS)] = "kata"


class KubernetesSettings(SettingsSection):
    """`kubernetes`: the cluster the app is deployed on and how."""

    key = "kubernetes"
    secret_fields = ("kubeconfig",)

    kubeconfig: SecretStr | None = None
    namespace: Annotated[str, Field(pattern=r"^[a-z0-9]([-a-z0-9]*[a-z0-9])?$", max_length=63)] | None = None
    runtime_classes: RuntimeClassNames = RuntimeClassNames()
    public_service_type: Literal["LoadBalancer", "NodePort"] = "LoadBalancer"
    # Where an existing cluster's pod traffic leaves from (its nodes), for services placed
    # across it and VMs or Docker; /32 entries are also the node addresses clients connect to.
    node_cidrs: list[Annotated[str, AfterValidator(_check_cidr)]] = []
    # The cluster's NodePort range (the API server's --service-node-port-range).
    node_port_range: Annotated[str, AfterValidator(_check_range)] = "30000-32767"

    @property
    def node_ports(self) -> range:
        """`node_port_range` as a range."""
        low, high = (int(n) for n in self.node_port_range.split("-"))
        return range(low, high + 1)

    # The Pod Security Standards version the namespace enforces: the cluster's minor
    # (`v1.33`), or `latest`. An existing cluster's version is not known in advance.
    pss_version: Annotated[str, Field(pattern=r"^(latest|v1\.[0-9]+)$")] = "latest"


SECTIONS = (KubernetesSettings,)
