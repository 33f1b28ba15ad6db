"""`build_container_args` and `container_labels`, field by field, without the mock runtime:
each spec field lands on its provider argument in the unit pulumi-docker expects."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import pytest

from components import vocabulary as v
from components.targets.docker.container import (
    Attachment,
    Mount,
    build_container_args,
    container_labels,
)
from components.targets.docker.settings import DockerSettings
from tests.translators import plain, resolve_service

HTTP = {"name": "http", "port": 8080}


def container(
    fields: dict[str, Any],
    replica: int = 0,
    networks: Sequence[Attachment] = (),
    mounts: Sequence[Mount] = (),
    secret_env: Sequence[str] = (),
    settings: DockerSettings | None = None,
) -> dict[str, Any]:
    """The container arguments of one replica of a service with `fields`, as plain data."""
    args = build_container_args(
        resolve_service(**fields),
        replica,
        "registry.example/app@sha256:abc",
        networks,
        mounts,
        secret_env,
        settings or DockerSettings(),
    )
    result: dict[str, Any] = plain(args)
    return result


@pytest.mark.parametrize(
    ("fields", "expected"),
    [
        # memory in MiB, rounded up (the provider multiplies by 1024*1024); swap = memory: none
        ({"resources": {"memory": "256Mi"}}, {"memory": 256, "memory_swap": 256}),
        ({"resources": {"memory": "1Gi"}}, {"memory": 1024, "memory_swap": 1024}),
        ({"resources": {"memory": "300M"}}, {"memory": 287, "memory_swap": 287}),
        ({}, {"memory": 512, "memory_swap": 512, "cpus": "1"}),
        # cpus as decimal text
        ({"resources": {"cpus": 0.5}}, {"cpus": "0.5"}),
        ({"resources": {"cpus": "250m"}}, {"cpus": "0.25"}),
        ({"resources": {"cpus": "1500m"}}, {"cpus": "1.5"}),
        ({"resources": {"cpus": 2}}, {"cpus": "2"}),
        ({"resources": {"cpus": "1m"}}, {"cpus": "0.001"}),
        # command replaces CMD; user passes through; the root stays read-only unless asked
        ({"command": ["serve", "--port", "8080"]}, {"command": ["serve", "--port", "8080"]}),
        ({"user": "1000:1000"}, {"user": "1000:1000", "read_only": True}),
        ({"user": 70}, {"user": "70"}),
        ({"read_only_root": False}, {"read_only": False}),
        # tmpfs: every path with the shared hardened options
        (
            {"tmpfs": ["/tmp", "/run/app"]},
            {"tmpfs": {"/tmp": "rw,nosuid,nodev", "/run/app": "rw,nosuid,nodev"}},
        ),
        # the sandbox runtime for anything above container isolation
        ({"isolation": "sandbox"}, {"runtime": "runsc"}),
        ({"isolation": "vm"}, {"runtime": "runsc"}),
    ],
)
def test_spec_fields_become_container_arguments(fields: dict[str, Any], expected: dict[str, Any]) -> None:
    args = container(fields)
    assert {key: args.get(key) for key in expected} == expected


@pytest.mark.parametrize(
    ("fields", "absent"),
    [
        ({}, {"command", "user", "tmpfs", "runtime", "healthcheck", "wait_timeout", "ports", "volumes"}),
        ({"isolation": "container"}, {"runtime"}),
        ({"ports": [HTTP]}, {"ports"}),  # a port that is not public is not published
    ],
)
def test_unset_fields_leave_the_argument_unset(fields: dict[str, Any], absent: set[str]) -> None:
    assert absent.isdisjoint(container(fields))


def test_the_hardening_is_on_every_container() -> None:
    args = container({})
    assert args["capabilities"] == {"drops": ["ALL"]}
    assert args["security_opts"] == ["no-new-privileges:true"]
    assert args["restart"] == "unless-stopped"
    assert args["read_only"] is True
    assert args["wait"] is False  # nothing to wait for without a health check
    assert "name" not in args  # auto-named, so a replacement is created before the old one goes


@pytest.mark.parametrize(
    ("ports", "adds"),
    [
        ([], None),
        ([{"name": "http", "port": 8080}], None),
        ([{"name": "high", "port": 1024}], None),
        ([{"name": "low", "port": 1023}], ["NET_BIND_SERVICE"]),
        ([{"name": "http", "port": 80, "public": True}], ["NET_BIND_SERVICE"]),
        ([{"name": "dns", "port": 53, "protocol": "udp"}], ["NET_BIND_SERVICE"]),
        ([{"name": "http", "port": 8080}, {"name": "https", "port": 443}], ["NET_BIND_SERVICE"]),
    ],
)
def test_net_bind_service_is_added_only_for_ports_below_1024(
    ports: list[dict[str, Any]], adds: list[str] | None
) -> None:
    assert container({"ports": ports})["capabilities"] == {
        "drops": ["ALL"],
        **({"adds": adds} if adds else {}),
    }


def test_the_sandbox_runtime_comes_from_the_settings() -> None:
    settings = DockerSettings(sandbox_runtime="kata-qemu")
    assert container({"isolation": "sandbox"}, settings=settings)["runtime"] == "kata-qemu"
    assert "runtime" not in container({"isolation": "container"}, settings=settings)


def test_plain_env_first_then_the_secret_entries_as_given() -> None:
    args = container({"env": {"MODE": "prod", "WORKERS": 4, "EMPTY": ""}}, secret_env=["DB_PASSWORD=s"])
    assert args["envs"] == ["MODE=prod", "WORKERS=4", "EMPTY=", "DB_PASSWORD=s"]
    assert container({})["envs"] == []


def test_health_check_in_go_durations_and_a_wait_long_enough_for_it() -> None:
    health = {
        "http": {"path": "/healthz", "port": 8080},
        "interval": "15s",
        "timeout": "1500ms",
        "retries": 4,
        "start_period": "1m30s",
    }
    args = container({"ports": [HTTP], "health": health})
    check = args["healthcheck"]
    assert {k: check[k] for k in ("interval", "timeout", "retries", "start_period")} == {
        "interval": "15s",
        "timeout": "1500ms",
        "retries": 4,
        "start_period": "90s",
    }
    assert check["tests"][0] == "CMD-SHELL" and "http://127.0.0.1:8080/healthz" in check["tests"][1]
    assert args["wait"] is True
    # start period + (retries + 1) * (interval + timeout) = 90 + 5 * 16.5 = 172.5 s, rounded up
    assert args["wait_timeout"] == 173


def test_exec_health_check_runs_the_command_without_a_shell() -> None:
    args = container({"health": {"exec": {"command": ["pg_isready", "-U", "app"]}}})
    assert args["healthcheck"]["tests"] == ["CMD", "pg_isready", "-U", "app"]
    assert args["healthcheck"]["start_period"] == "0s"
    assert args["wait_timeout"] == 60  # never below a minute


PUBLIC = {"name": "http", "port": 8080, "public": True, "host_port": 5000}
RANDOM = {"name": "admin", "port": 9000, "public": True}


@pytest.mark.parametrize(
    ("replica", "expected"),
    [
        (
            0,
            [
                {"internal": 8080, "external": 5000, "ip": "127.0.0.1", "protocol": "tcp"},
                {"internal": 9000, "ip": "127.0.0.1", "protocol": "tcp"},
            ],
        ),
        # one host port can be bound once: later replicas publish only random host ports
        (1, [{"internal": 9000, "ip": "127.0.0.1", "protocol": "tcp"}]),
        (2, [{"internal": 9000, "ip": "127.0.0.1", "protocol": "tcp"}]),
    ],
)
def test_host_ports_are_bound_by_replica_0_only(replica: int, expected: list[dict[str, Any]]) -> None:
    args = container(
        {"replicas": 3, "ports": [PUBLIC, RANDOM, HTTP | {"name": "inner", "port": 7000}]}, replica
    )
    assert args["ports"] == expected


def test_a_fixed_host_port_alone_is_not_published_by_later_replicas() -> None:
    assert "ports" not in container({"replicas": 2, "ports": [PUBLIC]}, replica=1)


def test_public_ports_bind_the_configured_address_and_keep_their_protocol() -> None:
    settings = DockerSettings(bind_address="10.1.2.3")
    dns = {"name": "dns", "port": 5353, "protocol": "udp", "public": True, "host_port": 53}
    assert container({"ports": [dns]}, settings=settings)["ports"] == [
        {"internal": 5353, "external": 53, "ip": "10.1.2.3", "protocol": "udp"}
    ]


def test_without_networks_the_container_has_no_network() -> None:
    args = container({})
    assert args["network_mode"] == "none"
    assert "networks_advanced" not in args


def test_each_attachment_joins_its_network_with_its_aliases() -> None:
    networks = [Attachment("net-db-from-api", ("db",)), Attachment("net-db-edge", ())]
    args = container({}, networks=networks)
    assert "network_mode" not in args
    assert args["networks_advanced"] == [
        {"name": "net-db-from-api", "aliases": ["db"]},
        {"name": "net-db-edge"},  # no aliases: the argument is left unset
    ]


def test_each_mount_becomes_a_named_volume() -> None:
    mounts = [Mount("vol-data", "/var/lib/data"), Mount("vol-logs", "/var/log/app")]
    assert container({}, mounts=mounts)["volumes"] == [
        {"volume_name": "vol-data", "container_path": "/var/lib/data"},
        {"volume_name": "vol-logs", "container_path": "/var/log/app"},
    ]


def test_labels_name_the_app_service_replica_and_what_the_spec_declares() -> None:
    fields = {
        "isolation": "sandbox",
        "ports": [HTTP, {"name": "dns", "port": 53, "protocol": "udp", "public": True}],
        "secret_env": {"TOKEN": "api-token", "DB_PASSWORD": "db-password"},
    }
    expected = {
        v.APP: "shop",
        v.MANAGED_BY: "hybrid-platform",
        v.SERVICE: "svc",
        v.ISOLATION: "sandbox",
        v.TARGET: "docker",
        v.REPLICA: "2",
        v.LISTEN_PORTS: "8080/tcp,53/udp",
        v.PUBLIC_PORTS: "53/udp",
        v.SECRET_ENV: "DB_PASSWORD,TOKEN",
    }
    assert container_labels(resolve_service(**fields), 2) == expected
    args = container(fields | {"replicas": 3}, replica=2)
    assert {label["label"]: label["value"] for label in args["labels"]} == expected


def test_labels_of_a_bare_service_declare_nothing() -> None:
    assert container_labels(resolve_service(), 0) == {
        v.APP: "shop",
        v.MANAGED_BY: "hybrid-platform",
        v.SERVICE: "svc",
        v.ISOLATION: "container",
        v.TARGET: "docker",
        v.REPLICA: "0",
    }


def test_the_image_is_passed_through() -> None:
    assert container({})["image"] == "registry.example/app@sha256:abc"
