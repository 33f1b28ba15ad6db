"""User-data for a VM that runs one replica of one service."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from ..appspec import ServiceSpec
from .document import cloud_config
from .firewall import Firewall, render_nftables
from .podman import data_mounts, env_file, env_lines, pull_if_missing, systemd_unit, unit_name

BOOTSTRAP_RULES = "/etc/hybrid/bootstrap.nft"


@dataclass(frozen=True)
class GuestService:
    """Everything a service VM's user-data says, except the secret values."""

    service: str
    spec: ServiceSpec
    hostname: str
    labels: Mapping[str, str]
    firewall: Firewall
    data_devices: tuple[tuple[str, str], ...]  # (volume name, guest device), in disk order
    ssh_authorized_keys: tuple[str, ...] = ()


def service_user_data(guest: GuestService, env: Mapping[str, str]) -> str:
    """The `#cloud-config` of one service VM. `env` holds plain and secret values: the
    caller keeps the result a Pulumi secret whenever a secret is in it.

    First boot: data disks are formatted only if they have no filesystem yet, then
    mounted; inbound rules go up before anything listens; the image is pulled; then
    outbound is restricted (unless `egress`) and the service starts."""
    spec, name = guest.spec, guest.service
    mounts = data_mounts(guest.data_devices)
    document: dict[str, Any] = {
        "hostname": guest.hostname,
        "manage_etc_hosts": True,
        "ssh_pwauth": False,
        "disable_root": True,
        "package_update": False,
        "packages": ["podman", "nftables"],
    }
    if guest.ssh_authorized_keys:
        document["ssh_authorized_keys"] = list(guest.ssh_authorized_keys)
    if mounts:
        document["fs_setup"] = [
            {
                "label": f"hybrid{i}",
                "filesystem": "ext4",
                "device": device,
                "partition": "none",
                "overwrite": False,
            }
            for i, (device, _) in enumerate(mounts)
        ]
        document["mounts"] = [
            [device, point, "ext4", "defaults,nofail", "0", "2"] for device, point in mounts
        ]
    document["write_files"] = [
        {"path": env_file(name), "permissions": "0600", "owner": "root:root", "content": env_lines(env)},
        {"path": f"/etc/systemd/system/{unit_name(name)}", "permissions": "0644",
         "content": systemd_unit(name, spec, guest.labels)},
        {"path": BOOTSTRAP_RULES, "permissions": "0600",
         "content": render_nftables(guest.firewall, outbound=False)},
        {"path": "/etc/nftables.conf", "permissions": "0600", "content": render_nftables(guest.firewall)},
    ]  # fmt: skip
    owner = [["chown", spec.user, point] for _, point in mounts] if spec.user else []
    document["runcmd"] = [
        ["nft", "-f", BOOTSTRAP_RULES],
        pull_if_missing(spec.image),
        ["nft", "-f", "/etc/nftables.conf"],
        ["systemctl", "enable", "nftables.service"],
        *owner,
        ["systemctl", "daemon-reload"],
        ["systemctl", "enable", "--now", unit_name(name)],
    ]
    return cloud_config(document)
