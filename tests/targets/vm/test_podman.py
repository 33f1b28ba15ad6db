"""The Podman translation of a service VM, table by table: no mock runtime needed."""

from __future__ import annotations

import shlex
import subprocess
from pathlib import Path

import pytest

from components.appspec import ServiceSpec
from components.health import resolve_health
from components.targets.vm.podman import env_lines, podman_run_args, run_script_text, systemd_unit

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
    args = podman_run_args("app", spec, "x/y:1", resolve_health(spec.health), {})
    assert (
        args[args.index("--health-interval") + 1] == "1m30s"
        or args[args.index("--health-interval") + 1] == "90s"
    )
    assert args[args.index("--health-retries") + 1] == "3"


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
