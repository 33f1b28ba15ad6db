"""Helpers for reading a recorded VM graph."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import yaml

from components.offline.recorder import RecordedResource, Secret, reveal
from components.offline.runner import PreviewResult

DOMAIN = "libvirt:index/domain:Domain"
VOLUME = "libvirt:index/volume:Volume"
CLOUDINIT = "libvirt:index/cloudInitDisk:CloudInitDisk"
NETWORK = "libvirt:index/network:Network"
REPLICA = "hybrid:vm:VmReplica"
SECRETS = {"secrets": {"db-password": {"secure": "v1:x"}}}


@dataclass
class Vm:
    """One replica's recorded resources and parsed documents."""

    service: str
    replica: int
    component: RecordedResource
    domain: RecordedResource
    cloudinit: RecordedResource
    user_data: dict[str, Any]
    network_config: dict[str, Any]

    @property
    def address(self) -> str:
        return str(self.network_config["ethernets"]["primary"]["addresses"][0]).split("/")[0]

    def file(self, path: str) -> str:
        return next(f["content"] for f in self.user_data["write_files"] if f["path"] == path)


def of_type(result: PreviewResult, kind: str) -> list[RecordedResource]:
    return [r for r in result.resources if r.type == kind]


def vms(result: PreviewResult) -> list[Vm]:
    """Every replica, with its documents parsed (secrets revealed: they are placeholders)."""
    found = []
    for component in of_type(result, REPLICA):
        children = [r for r in result.resources if r.parent == component.urn]
        domain = next(r for r in children if r.type == DOMAIN)
        cloudinit = next(r for r in children if r.type == CLOUDINIT)
        labels = dict(word.split("=", 1) for word in domain.inputs["description"].split())
        found.append(
            Vm(
                labels["hybrid-platform.io/service"],
                int(labels["hybrid-platform.io/replica"]),
                component,
                domain,
                cloudinit,
                yaml.safe_load(reveal(cloudinit.inputs["userData"])),
                yaml.safe_load(cloudinit.inputs["networkConfig"]),
            )
        )
    return found


def is_secret(value: Any) -> bool:
    return isinstance(value, Secret)
