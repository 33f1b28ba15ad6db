"""What the spec declares about a workload, as labels a policy reads on any target."""

from __future__ import annotations

from typing import Any

import pytest

from components import vocabulary as v
from components.targets.declared import declared_labels, workload_facts
from tests.translators import IMAGE, resolve_service


@pytest.mark.parametrize(
    ("fields", "expected"),
    [
        ({}, {}),
        ({"ports": [{"name": "http", "port": 8080}]}, {v.LISTEN_PORTS: "8080/tcp"}),
        (
            {
                "ports": [
                    {"name": "http", "port": 8080, "public": True},
                    {"name": "dns", "port": 53, "protocol": "udp"},
                    {"name": "admin", "port": 9000, "public": True, "host_port": 9090},
                ]
            },
            {v.LISTEN_PORTS: "8080/tcp,53/udp,9000/tcp", v.PUBLIC_PORTS: "8080/tcp,9000/tcp"},
        ),
        # the env names whose values are secrets, sorted; never the secrets' names or values
        ({"secret_env": {"TOKEN": "api-token", "DB_PASSWORD": "db"}}, {v.SECRET_ENV: "DB_PASSWORD,TOKEN"}),
    ],
)
def test_declared_labels_state_ports_public_ports_and_secret_env(
    fields: dict[str, Any], expected: dict[str, str]
) -> None:
    assert declared_labels(resolve_service(**fields)) == expected


def test_workload_facts_of_a_bare_service() -> None:
    assert workload_facts(resolve_service()) == {
        v.WORKLOAD_IMAGE: f"docker.io/{IMAGE}",  # fully qualified, as the engine pulls it
        v.WORKLOAD_READ_ONLY_ROOT: "true",
        v.WORKLOAD_HEALTH: "none",
    }


def test_workload_facts_state_what_a_policy_cannot_read_inside_a_vm() -> None:
    service = resolve_service(
        user="1000:1000",
        read_only_root=False,
        env={"MODE": "prod", "A_FIRST": "1"},
        secret_env={"DB_PASSWORD": "db"},
        ports=[{"name": "http", "port": 80, "public": True}],
        health={"http": {"port": 80}},
    )
    assert workload_facts(service) == {
        v.WORKLOAD_IMAGE: f"docker.io/{IMAGE}",
        v.WORKLOAD_READ_ONLY_ROOT: "false",
        v.WORKLOAD_HEALTH: "http",
        v.WORKLOAD_USER: "1000:1000",
        v.WORKLOAD_ENV: "A_FIRST,MODE",  # plain env names only, sorted
        v.WORKLOAD_CAP_ADD: "NET_BIND_SERVICE",
        v.LISTEN_PORTS: "80/tcp",
        v.PUBLIC_PORTS: "80/tcp",
        v.SECRET_ENV: "DB_PASSWORD",
    }


@pytest.mark.parametrize(
    ("health", "kind"),
    [({"tcp": {"port": 8080}}, "tcp"), ({"exec": {"command": ["true"]}}, "exec"), (None, "none")],
)
def test_the_health_fact_names_the_probe_kind(health: dict[str, Any] | None, kind: str) -> None:
    fields = {"ports": [{"name": "http", "port": 8080}], "health": health}
    assert workload_facts(resolve_service(**fields))[v.WORKLOAD_HEALTH] == kind


def test_no_capability_fact_for_unprivileged_ports() -> None:
    assert v.WORKLOAD_CAP_ADD not in workload_facts(resolve_service(ports=[{"name": "http", "port": 1024}]))


def test_facts_survive_the_domain_description_round_trip() -> None:
    facts = workload_facts(resolve_service(env={"B": "1", "A": "2"}, secret_env={"K": "s"}, user=70))
    assert v.description_labels(v.description(facts)) == facts
    assert v.split(facts[v.WORKLOAD_ENV]) == ["A", "B"]
