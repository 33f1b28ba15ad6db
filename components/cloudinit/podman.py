"""A service as a systemd unit running its image with Podman, hardened like the Docker target."""

from __future__ import annotations

import json
import shlex
from collections.abc import Mapping, Sequence

from ..appspec import ServiceSpec
from ..appspec.units import cpus_text, go_duration, mib_ceil
from ..probes import probe_test

TMPFS_OPTIONS = "rw,nosuid,nodev"
VOLUMES_DIR = "/srv/hybrid/volumes"


def systemd_quote(arg: str) -> str:
    """One ExecStart word, quoted so systemd passes it through unchanged."""
    escaped = arg.replace("\\", "\\\\").replace('"', '\\"').replace("%", "%%").replace("$", "$$")
    return f'"{escaped}"'


def container_name(service: str) -> str:
    """The Podman container of a service on its VM."""
    return f"hybrid-{service}"


def unit_name(service: str) -> str:
    """The systemd unit that runs a service."""
    return f"hybrid-{service}.service"


def env_file(service: str) -> str:
    """Where the service's environment (secrets included) lives on the VM, mode 0600."""
    return f"/etc/hybrid/{service}.env"


def podman_run_args(service: str, spec: ServiceSpec, labels: Mapping[str, str]) -> list[str]:
    """`podman run` arguments: host network (the VM's firewall is the boundary), the
    spec's limits, hardening, volumes and health check."""
    memory = f"{mib_ceil(spec.resources.memory)}m"
    args = [
        "run", "--rm", "--replace", "--name", container_name(service), "--network", "host",
        "--pull", "never", "--env-file", env_file(service),
        "--memory", memory, "--memory-swap", memory, "--cpus", cpus_text(spec.resources.cpus),
        "--cap-drop", "ALL", "--security-opt", "no-new-privileges",
    ]  # fmt: skip
    if spec.read_only_root:
        args += ["--read-only", "--read-only-tmpfs=false"]
    for path in spec.tmpfs:
        args += ["--tmpfs", f"{path}:{TMPFS_OPTIONS}"]
    if spec.user:
        args += ["--user", spec.user]
    for volume in spec.volumes:
        args += ["--volume", f"{VOLUMES_DIR}/{volume.name}:{volume.path}"]
    if spec.health:
        args += [
            "--health-cmd", podman_health_cmd(probe_test(spec.health)),
            "--health-interval", go_duration(spec.health.interval),
            "--health-timeout", go_duration(spec.health.timeout),
            "--health-retries", str(spec.health.retries),
            "--health-start-period", go_duration(spec.health.start_period),
        ]  # fmt: skip
    for key, value in labels.items():
        args += ["--label", f"{key}={value}"]
    return [*args, spec.image, *(spec.command or [])]


def podman_health_cmd(test: list[str]) -> str:
    """`--health-cmd` text that Podman turns back into `test`. Podman re-splits the raw text
    at whitespace whenever it starts with CMD, JSON array or not (`["CMD", "/check"]` becomes
    the words `["CMD",` and `"/check"]`), and puts CMD in front of a JSON array of two or
    more words itself. So an exec probe goes as that bare array, or as `CMD word` for one
    word; a one-word command with whitespace in it can only go through the shell."""
    kind, *words = test
    if kind != "CMD":
        return json.dumps(test)  # CMD-SHELL arrays are kept whole
    if len(words) > 1:
        return json.dumps(words)
    if not any(c.isspace() for c in words[0]):
        return f"CMD {words[0]}"
    return json.dumps(["CMD-SHELL", shlex.quote(words[0])])


def pull_if_missing(image: str) -> list[str]:
    """The first-boot pull: skipped when the base image already holds `image` (pre-loaded
    images work offline, and a present image is not fetched again)."""
    quoted = shlex.quote(image)
    return ["sh", "-c", f"podman image exists {quoted} || podman pull {quoted}"]


def systemd_unit(service: str, spec: ServiceSpec, labels: Mapping[str, str]) -> str:
    """The unit file: restarts the container whenever it stops."""
    exec_start = " ".join(
        systemd_quote(a) for a in ["/usr/bin/podman", *podman_run_args(service, spec, labels)]
    )
    return "\n".join(
        [
            "[Unit]",
            f"Description=hybrid-platform service {service}",
            "Wants=network-online.target",
            "After=network-online.target nftables.service",
            "",
            "[Service]",
            f"ExecStart={exec_start}",
            f"ExecStop=/usr/bin/podman stop --time 10 {container_name(service)}",
            "Restart=always",
            "RestartSec=5",
            "",
            "[Install]",
            "WantedBy=multi-user.target",
            "",
        ]
    )


def env_lines(env: Mapping[str, str]) -> str:
    """The env file: `KEY=value` per line, as `podman --env-file` reads it."""
    for key, value in env.items():
        if "\n" in value:
            raise ValueError(f"environment value of {key} spans lines; podman env files take one line")
    return "".join(f"{key}={value}\n" for key, value in env.items())


def data_mounts(devices: Sequence[tuple[str, str]]) -> list[tuple[str, str]]:
    """(device, mount point) of each data volume."""
    return [(device, f"{VOLUMES_DIR}/{name}") for name, device in devices]
