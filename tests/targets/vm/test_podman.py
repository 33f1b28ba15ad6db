"""The Podman translation of a service VM, table by table: no mock runtime needed."""

from __future__ import annotations

import itertools
import json
import shlex
import subprocess
from pathlib import Path

import pytest

from components.appspec import ServiceSpec
from components.health import resolve_health
from components.targets.vm.podman import (
    data_mounts,
    env_lines,
    podman_run_args,
    run_script_text,
    systemd_quote,
    systemd_unit,
)

PEM = "-----BEGIN PRIVATE KEY-----\nMIIB'quoted'$HOME`x`\n-----END PRIVATE KEY-----\n"


def service(**fields: object) -> ServiceSpec:
    return ServiceSpec.model_validate({"image": "docker.io/example/app:1", **fields})


@pytest.mark.parametrize(
    ("fields", "expected"),
    [
        ({}, ["--cap-drop", "ALL", "--security-opt", "no-new-privileges", "--read-only"]),
        ({"ports": [{"name": "http", "port": 80}]}, ["--cap-add", "NET_BIND_SERVICE"]),
        ({"read_only_root": False, "user": "70:70"}, ["--user", "70:70"]),
        (
            {"resources": {"cpus": 0.25, "memory": "64Mi"}},
            ["--memory", "64m", "--memory-swap", "64m", "--cpus", "0.25"],
        ),
        ({"tmpfs": ["/run"]}, ["--tmpfs", "/run:rw,nosuid,nodev"]),
        ({"volumes": [{"name": "data", "path": "/data"}]}, ["--volume", "/srv/hybrid/volumes/data:/data"]),
    ],
)
def test_spec_fields_become_podman_arguments(fields: dict[str, object], expected: list[str]) -> None:
    args = podman_run_args("app", service(**fields), "docker.io/example/app:1", None, {})
    joined = " ".join(args)
    assert " ".join(expected) in joined
    assert args[-1] == "docker.io/example/app:1"


def test_no_capability_is_added_for_unprivileged_ports() -> None:
    args = podman_run_args("app", service(ports=[{"name": "http", "port": 8080}]), "x/y:1", None, {})
    assert "--cap-add" not in args


def test_health_becomes_podman_health_flags_in_go_durations() -> None:
    spec = service(
        ports=[{"name": "http", "port": 8080}], health={"tcp": {"port": 8080}, "interval": "1m30s"}
    )
    health = resolve_health(spec.health)
    args = podman_run_args("app", spec, "x/y:1", health, {})
    flags = dict(itertools.pairwise(args))
    assert flags["--health-interval"] == "90s"
    assert flags["--health-timeout"] == "3s"
    assert flags["--health-start-period"] == "0s"
    assert flags["--health-retries"] == "3"
    assert health is not None and json.loads(flags["--health-cmd"]) == health.engine_test


def test_every_env_value_reaches_podman_exactly_through_the_shell(tmp_path: Path) -> None:
    """A multi-line value (a PEM key, quotes, `$`, backticks) arrives byte for byte."""
    env = {"KEY": PEM, "EMPTY": "", "PLAIN": "a b  c"}
    env_file = tmp_path / "app.env"
    env_file.write_text(env_lines(env))
    probe = f"set -a; . {shlex.quote(str(env_file))}; set +a; exec env -0"
    run = subprocess.run(["/bin/sh", "-c", probe], capture_output=True, check=True, env={})
    seen = dict(item.split("=", 1) for item in run.stdout.decode().split("\0") if "=" in item)
    assert {k: seen[k] for k in env} == env


def test_the_run_script_loads_the_environment_and_names_no_value() -> None:
    args = podman_run_args("app", service(), "x/y:1", None, {}, env_names=["KEY"])
    script = run_script_text("app", args)
    assert script.splitlines()[2:5] == ["set -a", ". /etc/hybrid/app.env", "set +a"]
    exec_line = shlex.split(script.splitlines()[-1])
    assert exec_line[exec_line.index("--env") + 1] == "KEY"  # the name only: the value is in the env file
    assert 'ExecStart="/etc/hybrid/app.run"' in systemd_unit("app")


def test_the_container_runs_on_the_host_network_from_the_preloaded_image() -> None:
    args = podman_run_args("api", service(command=["serve", "--port", "80"]), "x/y:1", None, {"k": "v=1"})
    assert args[:9] == [
        "run",
        "--rm",
        "--replace",
        "--name",
        "hybrid-api",
        "--network",
        "host",
        "--pull",
        "never",
    ]
    assert ("--label", "k=v=1") in itertools.pairwise(args)
    assert args[-4:] == ["x/y:1", "serve", "--port", "80"]  # the command after the image, as CMD
    assert "--user" not in args and "--health-cmd" not in args


def test_a_writable_root_drops_the_read_only_flags() -> None:
    args = podman_run_args("app", service(read_only_root=False), "x/y:1", None, {})
    assert "--read-only" not in args and "--read-only-tmpfs=false" not in args


@pytest.mark.parametrize(
    ("arg", "quoted"),
    [
        ("/etc/hybrid/app.run", '"/etc/hybrid/app.run"'),
        ("100%", '"100%%"'),  # systemd specifiers
        ("$HOME", '"$$HOME"'),  # systemd variables
        ('say "hi"', '"say \\"hi\\""'),
        ("a\\b", '"a\\\\b"'),
    ],
)
def test_systemd_quote_escapes_what_systemd_would_expand(arg: str, quoted: str) -> None:
    assert systemd_quote(arg) == quoted


def test_data_disks_mount_under_the_volumes_directory() -> None:
    assert data_mounts([("data", "/dev/vdb"), ("logs", "/dev/vdc")]) == [
        ("/dev/vdb", "/srv/hybrid/volumes/data"),
        ("/dev/vdc", "/srv/hybrid/volumes/logs"),
    ]


@pytest.mark.parametrize(
    ("test", "flag"),
    [
        (["CMD", "/app/healthcheck"], "CMD /app/healthcheck"),  # one word: Podman splits it back to itself
        (["CMD", "pg_isready", "-U", "voting"], '["pg_isready", "-U", "voting"]'),  # Podman adds CMD
        (["CMD", "/opt/my check"], '["CMD-SHELL", "\'/opt/my check\'"]'),
        (["CMD-SHELL", "nc -z 127.0.0.1 80 || exit 1"], '["CMD-SHELL", "nc -z 127.0.0.1 80 || exit 1"]'),
    ],
)
def test_health_commands_survive_podmans_splitting(test: list[str], flag: str) -> None:
    from components.targets.vm.podman import podman_health_cmd

    assert podman_health_cmd(test) == flag
