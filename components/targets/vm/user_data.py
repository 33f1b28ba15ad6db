"""User-data for a VM that runs one replica of one service."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from shlex import quote
from typing import Any

from ...appspec import ServiceSpec
from ...cloudinit import Firewall, cloud_config, render_nftables
from ...health import Health
from .podman import (
    data_mounts,
    env_file,
    env_lines,
    podman_run_args,
    run_script,
    run_script_text,
    systemd_unit,
    unit_name,
)

BOOTSTRAP_RULES = "/etc/hybrid/bootstrap.nft"


@dataclass(frozen=True)
class GuestService:
    """Everything a service VM's user-data says, except the secret values."""

    service: str
    spec: ServiceSpec
    image: str  # fully qualified
    health: Health | None
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
                # `any`: cloud-init formats the disk only when it holds no file system. With
                # `none` it formats the raw disk on every new instance (a replacement).
                "partition": "any",
                "overwrite": False,
            }
            for i, (device, _) in enumerate(mounts)
        ]
        document["mounts"] = [
            [device, point, "ext4", "defaults,nofail", "0", "2"] for device, point in mounts
        ]
    podman_args = podman_run_args(name, spec, guest.image, guest.health, guest.labels, env_names=list(env))
    document["write_files"] = [
        {"path": env_file(name), "permissions": "0600", "owner": "root:root", "content": env_lines(env)},
        {"path": run_script(name), "permissions": "0700", "owner": "root:root",
         "content": run_script_text(name, podman_args)},
        {"path": f"/etc/systemd/system/{unit_name(name)}", "permissions": "0644",
         "content": systemd_unit(name)},
        {"path": BOOTSTRAP_RULES, "permissions": "0600",
         "content": render_nftables(guest.firewall, outbound=False)},
        {"path": "/etc/nftables.conf", "permissions": "0600", "content": render_nftables(guest.firewall)},
    ]  # fmt: skip
    owner = [["chown", spec.user, point] for _, point in mounts] if spec.user else []
    document["runcmd"] = [
        ["nft", "-f", BOOTSTRAP_RULES],
        ["sh", "-c", f"podman image exists {quote(guest.image)} || podman pull {quote(guest.image)}"],
        ["nft", "-f", "/etc/nftables.conf"],
        ["systemctl", "enable", "nftables.service"],
        *owner,
        ["systemctl", "daemon-reload"],
        ["systemctl", "enable", "--now", unit_name(name)],
    ]
    return cloud_config(document)
