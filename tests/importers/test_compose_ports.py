"""Every Compose port syntax, as the spec's ports (and the warning when something is dropped)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from tests.importers.helpers import WEB, one, problems


@pytest.mark.parametrize(
    ("ports", "expected", "warnings"),
    [
        (["80"], [{"name": "http", "port": 80, "public": True}], []),
        ([80], [{"name": "http", "port": 80, "public": True}], []),
        (["8080:80"], [{"name": "http", "port": 80, "public": True, "host_port": 8080}], []),
        (
            ["127.0.0.1:8080:80"],
            [{"name": "http", "port": 80, "public": True, "host_port": 8080}],
            [
                "services.web.ports[0]: host_ip 127.0.0.1 is not kept: the spec has no per-port address; the Docker target publishes on docker.bind_address (default 127.0.0.1), set it in the stack config"
            ],
        ),
        (["0.0.0.0:8080:80"], [{"name": "http", "port": 80, "public": True, "host_port": 8080}], []),
        (
            ["[::1]:6001:6001"],
            [{"name": "tcp-6001", "port": 6001, "public": True, "host_port": 6001}],
            [
                "services.web.ports[0]: host_ip ::1 is not kept: the spec has no per-port address; the Docker target publishes on docker.bind_address (default 127.0.0.1), set it in the stack config"
            ],
        ),
        (
            ["::1:6000:6000"],
            [{"name": "tcp-6000", "port": 6000, "public": True, "host_port": 6000}],
            [
                "services.web.ports[0]: host_ip ::1 is not kept: the spec has no per-port address; the Docker target publishes on docker.bind_address (default 127.0.0.1), set it in the stack config"
            ],
        ),
        (
            ["5353:53/udp"],
            [{"name": "udp-53", "port": 53, "protocol": "udp", "public": True, "host_port": 5353}],
            [],
        ),
        (
            ["53:53/udp", "53:53/tcp"],
            [
                {"name": "udp-53", "port": 53, "protocol": "udp", "public": True, "host_port": 53},
                {"name": "dns", "port": 53, "public": True, "host_port": 53},
            ],
            [],
        ),
        (
            ["3000-3002"],
            [
                {"name": "tcp-3000", "port": 3000, "public": True},
                {"name": "tcp-3001", "port": 3001, "public": True},
                {"name": "tcp-3002", "port": 3002, "public": True},
            ],
            [],
        ),
        (
            ["9090-9091:8080-8081"],
            [
                {"name": "tcp-8080", "port": 8080, "public": True, "host_port": 9090},
                {"name": "tcp-8081", "port": 8081, "public": True, "host_port": 9091},
            ],
            [],
        ),
        (
            ["8000-9000:80"],
            [{"name": "http", "port": 80, "public": True, "host_port": 8000}],
            [
                "services.web.ports[0]: host port range 8000-9000 is not kept: the spec publishes on one port; 8000 is used"
            ],
        ),
        (
            [{"target": 80, "published": "8080", "host_ip": "0.0.0.0", "protocol": "tcp", "name": "web"}],
            [{"name": "web", "port": 80, "public": True, "host_port": 8080}],
            [],
        ),
        (
            [{"target": 443, "published": 8443, "app_protocol": "https"}],
            [{"name": "https", "port": 443, "public": True, "host_port": 8443}],
            [],
        ),
        ([{"target": 5000}], [{"name": "tcp-5000", "port": 5000, "public": True}], []),
        (
            [{"target": 80, "published": 8080, "mode": "host"}],
            [{"name": "http", "port": 80, "public": True, "host_port": 8080}],
            [
                "services.web.ports[0]: mode host is not kept: each target publishes ports its own way (see the README)"
            ],
        ),
        (
            ["8080:80", "8081:80"],
            [{"name": "http", "port": 80, "public": True, "host_port": 8080}],
            [
                "services.web.ports[1]: port 80/tcp is already published on 8080; the spec publishes a port once, so host port 8081 is dropped"
            ],
        ),
        (
            ["8080:80/sctp"],
            [],
            [
                "services.web.ports[0]: protocol sctp is not kept: the spec has tcp and udp ports only; dropped"
            ],
        ),
    ],
)
def test_port_syntax(tmp_path: Path, ports: list[Any], expected: list[Any], warnings: list[str]) -> None:
    web, said = one(tmp_path, {**WEB, "ports": ports})
    assert web.get("ports", []) == expected
    assert said == warnings


@pytest.mark.parametrize(
    ("expose", "expected"),
    [
        (["3000"], [{"name": "tcp-3000", "port": 3000}]),
        ([5432], [{"name": "postgres", "port": 5432}]),
        (
            ["8000-8001/udp"],
            [
                {"name": "udp-8000", "port": 8000, "protocol": "udp"},
                {"name": "udp-8001", "port": 8001, "protocol": "udp"},
            ],
        ),
    ],
)
def test_expose_is_reachable_inside_the_app_only(
    tmp_path: Path, expose: list[Any], expected: list[Any]
) -> None:
    web, said = one(tmp_path, {**WEB, "expose": expose})
    assert web["ports"] == expected
    assert said == []


def test_a_port_both_exposed_and_published_is_one_public_port(tmp_path: Path) -> None:
    web, _ = one(tmp_path, {**WEB, "expose": ["80"], "ports": ["8080:80"]})
    assert web["ports"] == [{"name": "http", "port": 80, "public": True, "host_port": 8080}]


@pytest.mark.parametrize(
    ("ports", "message"),
    [
        (
            ["80:80:80:80"],
            '\'80:80:80:80\' is not a port mapping; use e.g. "80", "8080:80", "127.0.0.1:8080:80/udp"',
        ),
        (["http"], '\'http\' is not a port mapping; use e.g. "80", "8080:80", "127.0.0.1:8080:80/udp"'),
        (["70000"], "'70000': port 70000 is out of range; ports are 1-65535"),
        (["0:80"], "'0:80': port 0 is out of range; ports are 1-65535"),
        (["3005-3000"], "'3005-3000': the range 3005-3000 ends before it starts"),
        (["1-2000"], "'1-2000': a range of 2000 ports; import at most 100 per entry"),
        (
            ["9090-9092:8080-8081"],
            "'9090-9092:8080-8081': the host range has 3 ports and the container range 2; use ranges of one length, e.g. \"9090-9091:8080-8081\"",
        ),
        ([{"published": 80}], "target is missing: the container port, e.g. {target: 80, published: 8080}"),
        (
            [{"target": 80, "hostport": 8080}],
            "unknown key 'hostport'; allowed: app_protocol, host_ip, mode, name, protocol, published, target",
        ),
        ([True], 'True is not a port; use e.g. "8080:80" or {target: 80, published: 8080}'),
    ],
)
def test_bad_ports_are_one_line_each(tmp_path: Path, ports: list[Any], message: str) -> None:
    assert problems(tmp_path, {"services": {"web": {**WEB, "ports": ports}}}) == [
        f"compose.yaml: services.web.ports[0]: {message}"
    ]


def test_ports_must_be_a_list(tmp_path: Path) -> None:
    assert problems(tmp_path, {"services": {"web": {**WEB, "ports": "8080:80"}}}) == [
        'compose.yaml: services.web.ports: must be a list, e.g. ["8080:80"]'
    ]


def test_an_unquoted_host_container_pair_is_not_a_base_60_number(tmp_path: Path) -> None:
    from tests.importers.helpers import imported

    spec, _ = imported(tmp_path, "services:\n  web:\n    image: nginx:1.27\n    ports:\n      - 2222:22\n")
    assert spec["services"]["web"]["ports"] == [
        {"name": "ssh", "port": 22, "public": True, "host_port": 2222}
    ]
