"""`cluster`: the k3s cluster the `hybrid` target builds on libvirt VMs; and the sections
the target reads besides it (the VMs' `libvirt`, the workloads' `kubernetes`)."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field

from ...appspec.base import with_example
from ...appspec.limits import MAX_TEXT
from ...appspec.text import TextForm
from ...appspec.units import MIB, Bytes, DurationMs, at_least, durations_between
from ...settings_section import SettingsSection
from ..kubernetes.settings import KubernetesSettings
from ..libvirt.settings import LibvirtSettings

K3S_VERSION = r"v1\.[0-9]{1,3}\.[0-9]{1,3}\+k3s[0-9]{1,3}"

K3sVersion = Annotated[
    str,
    TextForm(
        K3S_VERSION,
        title="k3s release",
        rule="use v1.<minor>.<patch>+k3s<n> as k3s names its releases",
        example="v1.33.2+k3s1",
        max_length=32,
    ),
]
InstallSource = Annotated[
    str,
    TextForm(
        r"https://\S+|/\S+",
        title="k3s install source",
        rule="use the https:// URL of install.sh, or an absolute directory on the base image, without spaces",
        example="https://get.k3s.io",
        max_length=MAX_TEXT,
    ),
]


class ClusterSettings(SettingsSection):
    """`cluster`: the k3s cluster the `hybrid` target builds on libvirt VMs."""

    key = "cluster"
    model_config = with_example(SettingsSection.model_config, {"servers": 3, "agents": 2})

    servers: Annotated[Literal[1, 3], Field(examples=[3])] = 1
    agents: Annotated[int, Field(ge=0, le=50, examples=[2])] = 2
    vm_agents: Annotated[int, Field(ge=0, le=50, examples=[0])] = 0
    vcpus: Annotated[int, Field(ge=1, le=64, examples=[2])] = 2
    memory: Annotated[Bytes, at_least(1024 * MIB), Field(examples=["4Gi"])] = 4096 * MIB
    disk: Annotated[Bytes, at_least(8192 * MIB), Field(examples=["40Gi"])] = 40 * 1024 * MIB
    k3s_version: K3sVersion = "v1.33.2+k3s1"
    install_source: InstallSource = "https://get.k3s.io"
    ready_timeout: Annotated[DurationMs, durations_between(60_000, 7_200_000), Field(examples=["15m"])] = (
        900_000
    )

    @property
    def kubernetes_minor(self) -> str:
        """`1.33` of `v1.33.2+k3s1`: the API version the manifests are written for."""
        return ".".join(self.k3s_version[1:].split(".")[:2])


SECTIONS = (LibvirtSettings, ClusterSettings, KubernetesSettings)
