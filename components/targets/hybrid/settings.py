"""`cluster`: the k3s cluster the `hybrid` target builds on libvirt VMs; and the sections
the target reads besides it (the VMs' `libvirt`, the workloads' `kubernetes`)."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field

from ...appspec.units import MIB, Bytes, DurationMs, at_least
from ...settings_section import SettingsSection
from ..kubernetes.settings import KubernetesSettings
from ..libvirt.settings import LibvirtSettings

K3S_VERSION = r"^v1\.[0-9]+\.[0-9]+\+k3s[0-9]+$"


class ClusterSettings(SettingsSection):
    """`cluster`: the k3s cluster the `hybrid` target builds on libvirt VMs."""

    key = "cluster"

    servers: Literal[1, 3] = 1
    agents: Annotated[int, Field(ge=0, le=50)] = 2
    vm_agents: Annotated[int, Field(ge=0, le=50)] = 0
    vcpus: Annotated[int, Field(ge=1, le=64)] = 2
    memory: Annotated[Bytes, at_least(1024 * MIB)] = 4096 * MIB
    disk: Annotated[Bytes, at_least(8192 * MIB)] = 40 * 1024 * MIB
    k3s_version: Annotated[str, Field(pattern=K3S_VERSION)] = "v1.33.2+k3s1"
    install_source: Annotated[str, Field(pattern=r"^(https://\S+|/\S+)$")] = "https://get.k3s.io"
    ready_timeout: Annotated[DurationMs, Field(ge=60_000, le=7_200_000)] = 900_000

    @property
    def kubernetes_minor(self) -> str:
        """`1.33` of `v1.33.2+k3s1`: the API version the manifests are written for."""
        return ".".join(self.k3s_version[1:].split(".")[:2])


SECTIONS = (LibvirtSettings, ClusterSettings, KubernetesSettings)
