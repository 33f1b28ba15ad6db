"""`kubernetes`: the cluster the app is deployed on, and how."""

from __future__ import annotations

import ipaddress
from typing import Annotated, Literal

from pydantic import AfterValidator, Field, SecretStr

from ...appspec.base import with_example
from ...appspec.limits import MAX_LIST, MAX_SECRET_LENGTH, at_most
from ...appspec.quoting import shown
from ...appspec.text import TextForm
from ...settings_section import SettingsModel, SettingsSection

RUNTIME_CLASS = r"[a-z0-9](?:[-a-z0-9.]*[a-z0-9])?"

RuntimeClassName = Annotated[
    str,
    TextForm(
        RUNTIME_CLASS,
        title="RuntimeClass name",
        rule="use up to 253 lowercase letters, digits, '-' and '.', "
        "starting and ending with a letter or digit",
        example="gvisor",
        max_length=253,
    ),
]
Namespace = Annotated[
    str,
    TextForm(
        r"[a-z0-9](?:[-a-z0-9]*[a-z0-9])?",
        title="namespace",
        rule="use 1-63 lowercase letters, digits and '-', starting and ending with a letter or digit",
        example="voting",
        max_length=63,
    ),
]
CLUSTER_NAMESPACES = ("default", "kube-system", "kube-public", "kube-node-lease")


def _not_the_clusters(value: str) -> str:
    if value in CLUSTER_NAMESPACES:
        raise ValueError(
            f"{value!r} is the cluster's own namespace: the app's default-deny policy would cover "
            "the cluster's pods; use the app's own, e.g. voting"
        )
    return value


PssVersion = Annotated[
    str,
    TextForm(
        r"latest|v1\.[0-9]{1,3}",
        title="Pod Security Standards version",
        rule="use latest or a Kubernetes minor version",
        example="v1.33",
        max_length=8,
    ),
]


def _ordered_ports(value: str) -> str | None:
    low, high = (int(n) for n in value.split("-"))
    if not 1 <= low <= high <= 65535:
        return "is not a range of ports: LOW and HIGH are 1-65535 and LOW is not above HIGH"
    return None


PortRange = Annotated[
    str,
    TextForm(
        r"[0-9]{1,5}-[0-9]{1,5}",
        title="port range",
        rule="use LOW-HIGH with ports 1-65535",
        example="30000-32767",
        max_length=11,
        also=_ordered_ports,
    ),
]


def _check_cidr(value: str) -> str:
    try:
        ipaddress.IPv4Network(value)
    except ValueError:
        raise ValueError(
            f"{shown(value)} is not an IPv4 network or address; use e.g. 192.168.10.0/24"
        ) from None
    return value


class RuntimeClassNames(SettingsModel):
    """RuntimeClass per isolation level that needs a sandboxed runtime."""

    model_config = with_example(SettingsModel.model_config, {"sandbox": "gvisor", "vm": "kata"})

    sandbox: RuntimeClassName = "gvisor"
    vm: RuntimeClassName = "kata"


class KubernetesSettings(SettingsSection):
    """`kubernetes`: the cluster the app is deployed on and how."""

    key = "kubernetes"
    secret_fields = ("kubeconfig",)
    model_config = with_example(SettingsSection.model_config, {"namespace": "voting"})

    kubeconfig: (
        Annotated[SecretStr, Field(max_length=MAX_SECRET_LENGTH, examples=["<the kubeconfig file's text>"])]
        | None
    ) = None
    namespace: Annotated[Namespace, AfterValidator(_not_the_clusters)] | None = None
    runtime_classes: RuntimeClassNames = RuntimeClassNames()
    public_service_type: Annotated[Literal["LoadBalancer", "NodePort"], Field(examples=["NodePort"])] = (
        "LoadBalancer"
    )
    # Where an existing cluster's pod traffic leaves from (its nodes), for services placed
    # across it and VMs or Docker; /32 entries are also the node addresses clients connect to.
    node_cidrs: Annotated[
        list[Annotated[str, AfterValidator(_check_cidr)]],
        Field(examples=[["192.168.10.0/24"]]),
        at_most(MAX_LIST, "networks"),
    ] = []
    # The cluster's NodePort range (the API server's --service-node-port-range).
    node_port_range: PortRange = "30000-32767"

    @property
    def node_ports(self) -> range:
        """`node_port_range` as a range."""
        low, high = (int(n) for n in self.node_port_range.split("-"))
        return range(low, high + 1)

    # The Pod Security Standards version the namespace enforces: the cluster's minor
    # (`v1.33`), or `latest`. An existing cluster's version is not known in advance.
    pss_version: PssVersion = "latest"


SECTIONS = (KubernetesSettings,)
