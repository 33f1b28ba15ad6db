"""Kubernetes Services, pure: the in-cluster Service every client resolves by name, and the
Service that exposes public ports, without the mock runtime."""

from __future__ import annotations

from typing import Any

import pytest

from components.resolve import ResolvedService
from components.targets.kubernetes.services import build_public_service_spec, build_service_spec
from tests.translators import resolve_service

SELECTOR = {"hybrid-platform.io/app": "shop", "hybrid-platform.io/service": "svc"}
PORTS = [
    {"name": "http", "port": 8080, "public": True, "host_port": 80},
    {"name": "admin", "port": 9000},
    {"name": "dns", "port": 5353, "protocol": "udp", "public": True},
]


def service(**fields: Any) -> ResolvedService:
    return resolve_service("kubernetes", **fields)


def test_every_port_is_reachable_in_the_cluster_under_its_own_number() -> None:
    assert build_service_spec(service(ports=PORTS), "shop") == {
        "selector": SELECTOR,
        "ports": [
            {"name": "http", "port": 8080, "targetPort": 8080, "protocol": "TCP"},
            {"name": "admin", "port": 9000, "targetPort": 9000, "protocol": "TCP"},
            {"name": "dns", "port": 5353, "targetPort": 5353, "protocol": "UDP"},
        ],
    }


def test_a_service_without_ports_gets_a_headless_service() -> None:
    assert build_service_spec(service(), "shop") == {"selector": SELECTOR, "ports": [], "clusterIP": "None"}


def test_no_public_ports_no_public_service() -> None:
    assert build_public_service_spec(service(ports=PORTS[1:2]), "shop", "LoadBalancer") is None


def test_a_load_balancer_listens_on_the_host_port_or_else_the_port() -> None:
    assert build_public_service_spec(service(ports=PORTS), "shop", "LoadBalancer") == {
        "type": "LoadBalancer",
        "selector": SELECTOR,
        "ports": [
            {"name": "http", "targetPort": 8080, "protocol": "TCP", "port": 80},
            {"name": "dns", "targetPort": 5353, "protocol": "UDP", "port": 5353},
        ],
    }


@pytest.mark.parametrize(
    ("host_port", "expected"),
    [
        (30080, {"port": 8080, "nodePort": 30080}),
        (30000, {"port": 8080, "nodePort": 30000}),
        (32767, {"port": 8080, "nodePort": 32767}),
        # outside the cluster's node port range: the cluster picks one
        (29999, {"port": 8080}),
        (32768, {"port": 8080}),
        (None, {"port": 8080}),
    ],
)
def test_a_node_port_is_the_host_port_when_the_cluster_allows_it(
    host_port: int | None, expected: dict[str, Any]
) -> None:
    port = {"name": "http", "port": 8080, "public": True, "host_port": host_port}
    found = build_public_service_spec(service(ports=[port]), "shop", "NodePort")
    assert found == {
        "type": "NodePort",
        "selector": SELECTOR,
        "ports": [{"name": "http", "targetPort": 8080, "protocol": "TCP", **expected}],
    }
