"""A service as a systemd unit running its image with Podman, hardened like the Docker target.

The environment (plain and secret values) lives in a shell file of single-quoted
assignments, mode 0600, which the unit's run script sources before `exec podman run`
with `--env NAME` per variable: Podman then takes each value from its own environment.
Single quotes keep every byte, newlines included, so a PEM key works as on Docker and
Kubernetes (Podman's `--env-file` and systemd's `EnvironmentFile` take one line per
value), and no value appears in a process's arguments."""

from __future__ import annotations

import json
import shlex
from collections.abc import Iterable, Mapping, Sequence

from ...appspec import ServiceSpec
from ...appspec.units import cpus_text, mib_ceil
from ...health import Health
from ..hardening import DROP_CAPABILITIES, NO_NEW_PRIVILEGES, TMPFS_OPTIONS, added_capabilities

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


def run_script(service: str) -> str:
    """The script the unit runs: loads the environment, then execs Podman. Mode 0700."""
    return f"/etc/hybrid/{service}.run"


def podman_run_args(
    service: str,
    spec: ServiceSpec,
    image: str,
    health: Health | None,
    labels: Mapping[str, str],
    env_names: Iterable[str] = (),
) -> list[str]:
    """`podman run` arguments: host network (the VM's firewall is the boundary), the
    spec's limits, hardening, volumes and health check."""
    memory = f"{mib_ceil(spec.resources.memory)}m"
    args = [
        "run", "--rm", "--replace", "--name", container_name(service), "--network", "host",
        "--pull", "never",
        "--memory", memory, "--memory-swap", memory, "--cpus", cpus_text(spec.resources.cpus),
    ]  # fmt: skip
    args += [arg for cap in DROP_CAPABILITIES for arg in ("--cap-drop", cap)]
    args += [arg for cap in added_capabilities(p.port for p in spec.ports) for arg in ("--cap-add", cap)]
    args += ["--security-opt", NO_NEW_PRIVILEGES]
    if spec.read_only_root:
        args += ["--read-only", "--read-only-tmpfs=false"]
    for path in spec.tmpfs:
        args += ["--tmpfs", f"{path}:{TMPFS_OPTIONS}"]
    if spec.user:
        args += ["--user", spec.user]
    for volume in spec.volumes:
        args += ["--volume", f"{VOLUMES_DIR}/{volume.name}:{volume.path}"]
    if health:
        args += [
            "--health-cmd", podman_health_cmd(health.engine_test),
            "--health-interval", health.interval.go,
            "--health-timeout", health.timeout.go,
            "--health-retries", str(health.retries),
            "--health-start-period", health.start_period.go,
        ]  # fmt: skip
    for key, value in labels.items():
        args += ["--label", f"{key}={value}"]
    for name in env_names:
        args += ["--env", name]  # the value comes from the run script's environment
    return [*args, image, *(spec.command or [])]


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


def run_script_text(service: str, podman_args: Sequence[str]) -> str:
    """The run script: source the env file (every assignment exported), exec Podman."""
    return "\n".join(
        [
            "#!/bin/sh",
            f"# hybrid-platform: runs service {service}; its environment is in {env_file(service)}",
            "set -a",
            f". {env_file(service)}",
            "set +a",
            "exec " + shlex.join(["/usr/bin/podman", *podman_args]),
            "",
        ]
    )


def systemd_unit(service: str) -> str:
    """The unit file: runs the service's run script, restarts the container whenever it stops."""
    exec_start = systemd_quote(run_script(service))
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
    """The env file: `KEY='value'` per variable, single-quoted for /bin/sh (exact bytes)."""
    return "".join(f"{key}={shlex.quote(value) if value else chr(39) * 2}\n" for key, value in env.items())


def data_mounts(devices: Sequence[tuple[str, str]]) -> list[tuple[str, str]]:
    """(device, mount point) of each data volume."""
    return [(device, f"{VOLUMES_DIR}/{name}") for name, device in devices]


def readiness_check(service: str, has_health: bool) -> str:
    """The shell line that succeeds once a service VM is ready: its unit active and, when
    the spec has a health check, Podman's check passing."""
    line = f"systemctl is-active --quiet {unit_name(service)}"
    return f"{line} && podman healthcheck run {container_name(service)}" if has_health else line
