"""Each spec rule, with the exact line a user sees."""

from __future__ import annotations

from typing import Any

import pytest

from components.appspec import SpecError, parse_spec
from tests.factory import make_app


def errors(data: Any) -> list[str]:
    with pytest.raises(SpecError) as caught:
        parse_spec(data, "app.yaml")
    return caught.value.lines()


def test_the_base_app_is_valid() -> None:
    spec = parse_spec(make_app(), "app.yaml")
    assert spec.services["db"].volumes[0].size == 2 * 2**30
    assert spec.services["web"].read_only_root is True
    assert spec.services["web"].egress is False
    assert spec.services["web"].isolation == "container"
    assert spec.services["web"].user == "1000:1000"
    assert spec.services["api"].user is None  # non-root is not assumed


@pytest.mark.parametrize(
    ("services", "expected"),
    [
        (
            {"Web": {"image": "x:1"}},
            "app.yaml: services.Web: 'Web' is not a valid service name: use 1-40 lowercase letters, digits and '-', starting with a letter",
        ),
        (
            {"web": {"image": "Bad Image"}},
            "app.yaml: services.web.image: 'Bad Image' is not a valid image reference: use e.g. example/app:1.2.0 or example/app@sha256:<digest>",
        ),
        (
            {"web": {"image": "x:1", "replicas": -1}},
            "app.yaml: services.web.replicas: must be greater than or equal to 0 (got -1)",
        ),
        (
            {"web": {"image": "x:1", "ports": [{"name": "http", "port": 70000}]}},
            "app.yaml: services.web.ports[0].port: must be less than or equal to 65535 (got 70000)",
        ),
        (
            {
                "web": {
                    "image": "x:1",
                    "ports": [{"name": "http", "port": 80, "public": True, "host_port": 0}],
                }
            },
            "app.yaml: services.web.ports[0].host_port: must be greater than or equal to 1 (got 0)",
        ),
        (
            {"web": {"image": "x:1", "ports": [{"name": "http", "port": 80, "host_port": 8080}]}},
            "app.yaml: services.web.ports[0]: host_port is set but public is false; set public: true or remove host_port",
        ),
        (
            {"web": {"image": "x:1", "ports": [{"name": "http", "port": 80, "protocol": "sctp"}]}},
            "app.yaml: services.web.ports[0].protocol: must be 'tcp' or 'udp' (got 'sctp')",
        ),
        (
            {"web": {"image": "x:1", "resources": {"memory": "256MB"}}},
            "app.yaml: services.web.resources.memory: '256MB' is not a size; use e.g. 256Mi or 1Gi",
        ),
        (
            {"web": {"image": "x:1", "resources": {"memory": "1Mi"}}},
            "app.yaml: services.web.resources.memory: must be at least 6Mi (got 1Mi)",
        ),
        (
            {"web": {"image": "x:1", "resources": {"cpus": "lots"}}},
            "app.yaml: services.web.resources.cpus: 'lots' is not a CPU amount; use e.g. 0.5 or 500m",
        ),
        (
            {
                "web": {
                    "image": "x:1",
                    "health": {"http": {"port": 80}, "tcp": {"port": 80}},
                    "ports": [{"name": "h", "port": 80}],
                }
            },
            "app.yaml: services.web.health: set exactly one of http, tcp, exec (found: http, tcp)",
        ),
        (
            {"web": {"image": "x:1", "health": {"interval": "10s"}}},
            "app.yaml: services.web.health: set exactly one of http, tcp, exec (found: none)",
        ),
        (
            {
                "web": {
                    "image": "x:1",
                    "health": {"exec": {"command": ["true"]}, "interval": "soon"},
                }
            },
            "app.yaml: services.web.health.interval: 'soon' is not a duration; use e.g. 10s, 500ms or 1m30s",
        ),
        (
            {"web": {"image": "x:1", "isolation": "kernel"}},
            "app.yaml: services.web.isolation: must be 'container', 'sandbox' or 'vm' (got 'kernel')",
        ),
        (
            {"web": {"image": "x:1", "secret_env": {"PW": "Bad_Name"}}},
            "app.yaml: services.web.secret_env.PW: 'Bad_Name' is not a valid secret name: use 1-63 lowercase letters, digits and '-'",
        ),
        (
            {"web": {"image": "x:1", "env": {"1X": "a"}}},
            "app.yaml: services.web.env.1X: '1X' is not a valid environment variable name: use letters, digits and '_', not starting with a digit",
        ),
        (
            {"web": {"image": "x:1", "user": "root"}},
            "app.yaml: services.web.user: 'root' is not a numeric user; use UID or UID:GID, e.g. 1000:1000",
        ),
        (
            {"web": {"image": "x:1", "volumes": [{"name": "d", "path": "data"}]}},
            "app.yaml: services.web.volumes[0].path: 'data' is not an absolute path below /, without . or .. parts",
        ),
        (
            {"web": {"image": "x:1", "colour": "blue"}},
            "app.yaml: services.web.colour: unknown field; allowed: image, command, env, secret_env, ports, replicas, resources, health, volumes, tmpfs, depends_on, egress, isolation, user, read_only_root",
        ),
        ({"web": {}}, "app.yaml: services.web.image: required field is missing"),
    ],
)
def test_field_rules(services: dict[str, Any], expected: str) -> None:
    assert errors({"app": "shop", "services": services}) == [expected]


def test_app_name_and_services_required() -> None:
    assert errors({"app": "Shop!", "services": {}}) == [
        "app.yaml: app: 'Shop!' is not a valid app name: use 1-40 lowercase letters, digits and '-', starting with a letter",
        "app.yaml: services: must have at least 1 entry",
    ]
    assert errors(["not", "a", "mapping"]) == [
        "app.yaml: the spec must be a mapping with keys app and services"
    ]
    assert errors({"app": "a" * 41, "services": {"x": {"image": "x:1"}}})[0].startswith(
        "app.yaml: app: 'aaaa"
    )


def test_relations() -> None:
    data = make_app(
        web={"depends_on": ["api", "nope", "web", "api"]},
        api={
            "ports": [{"name": "http", "port": 8080}, {"name": "http", "port": 8080}],
            "env": {"DB_PASSWORD": "x"},
        },
        cache={"ports": [{"name": "redis", "port": 6379, "public": True, "host_port": 5000}]},
        db={"health": {"tcp": {"port": 9999}}, "tmpfs": ["/var/lib/postgresql/data"]},
    )
    assert errors(data) == [
        "app.yaml: services.web.depends_on[1]: unknown service 'nope'; services are: api, cache, db, web, worker",
        "app.yaml: services.web.depends_on[2]: a service cannot depend on itself",
        "app.yaml: services.web.depends_on[3]: 'api' is listed twice",
        "app.yaml: services.api.ports[1].name: port name 'http' is used twice",
        "app.yaml: services.api.ports[1].port: port 8080/tcp is listed twice",
        "app.yaml: services.api.secret_env.DB_PASSWORD: DB_PASSWORD is also set in env; set it in one of env, secret_env",
        "app.yaml: services.db.volumes[0].path: path /var/lib/postgresql/data is mounted twice",
        "app.yaml: services.db.health.tcp.port: 9999 is not one of the service's tcp ports (5432); add it to ports",
        "app.yaml: services.cache.ports[0].host_port: host port 5000/tcp is already published by services.web.ports[0].host_port",
    ]


def test_dependency_cycle_is_reported_once() -> None:
    data = make_app(db={"depends_on": ["api"]})
    assert errors(data) == ["app.yaml: services.api.depends_on: dependency cycle: api -> db -> api"]


def test_units_are_parsed_once() -> None:
    spec = parse_spec(
        make_app(
            web={
                "resources": {"cpus": "250m", "memory": "1.5Gi"},
                "health": {"http": {"port": 8080}, "interval": "1m30s", "timeout": "500ms"},
            }
        ),
        "app.yaml",
    )
    web = spec.services["web"]
    assert web.resources.cpus == 250
    assert web.resources.memory == 1536 * 2**20
    assert web.health is not None and web.health.interval == 90_000 and web.health.timeout == 500


def test_env_scalars_become_text() -> None:
    spec = parse_spec(make_app(web={"env": {"PORT": 8080, "DEBUG": False, "RATIO": 0.5}}), "app.yaml")
    assert spec.services["web"].env == {"PORT": "8080", "DEBUG": "false", "RATIO": "0.5"}
