"""NetworkPolicies, pure: deny all, allow DNS, then per service exactly what the spec
allows, without the mock runtime."""

from __future__ import annotations

from typing import Any

from components.targets.kubernetes.network_policies import allow_dns, build_service_policy, default_deny
from tests.translators import resolve_app

SERVICES: dict[str, dict[str, Any]] = {
    "db": {"ports": [{"name": "pg", "port": 5432}]},
    "cache": {"ports": [{"name": "redis", "port": 6379}, {"name": "stats", "port": 9121, "protocol": "udp"}]},
    "api": {"ports": [{"name": "http", "port": 8080}], "depends_on": ["db", "cache"], "egress": True},
    "worker": {"depends_on": ["db"]},
    "web": {
        "ports": [{"name": "http", "port": 8080, "public": True}, {"name": "admin", "port": 9000}],
        "depends_on": ["api"],
    },
}
APP = resolve_app(SERVICES, target="kubernetes")
EVERYONE = list(APP.services)


def pods(service: str) -> dict[str, Any]:
    return {
        "podSelector": {
            "matchLabels": {"hybrid-platform.io/app": "shop", "hybrid-platform.io/service": service}
        }
    }


def policy(name: str, services: list[str] = EVERYONE) -> dict[str, Any]:
    return build_service_policy(APP, name, services)


def test_default_deny_selects_every_pod_and_allows_nothing() -> None:
    assert default_deny() == {"podSelector": {}, "policyTypes": ["Ingress", "Egress"]}


def test_every_pod_may_ask_the_cluster_dns_and_nothing_else() -> None:
    assert allow_dns() == {
        "podSelector": {},
        "policyTypes": ["Egress"],
        "egress": [
            {
                "to": [
                    {
                        "namespaceSelector": {"matchLabels": {"kubernetes.io/metadata.name": "kube-system"}},
                        "podSelector": {"matchLabels": {"k8s-app": "kube-dns"}},
                    }
                ],
                "ports": [{"port": 53, "protocol": "UDP"}, {"port": 53, "protocol": "TCP"}],
            }
        ],
    }


def test_a_server_admits_exactly_its_clients_on_all_its_ports() -> None:
    assert policy("db") == {
        **pods("db"),
        "policyTypes": ["Ingress", "Egress"],
        "ingress": [{"from": [pods("api"), pods("worker")], "ports": [{"port": 5432, "protocol": "TCP"}]}],
        "egress": [],
    }
    assert policy("cache")["ingress"] == [
        {
            "from": [pods("api")],
            "ports": [{"port": 6379, "protocol": "TCP"}, {"port": 9121, "protocol": "UDP"}],
        }
    ]


def test_public_ports_are_open_to_anywhere_private_ones_only_to_clients() -> None:
    app = resolve_app({**SERVICES, "probe": {"depends_on": ["web"]}}, target="kubernetes")
    assert build_service_policy(app, "web", list(app.services))["ingress"] == [
        {
            "from": [pods("probe")],
            "ports": [{"port": 8080, "protocol": "TCP"}, {"port": 9000, "protocol": "TCP"}],
        },
        {"from": [{"ipBlock": {"cidr": "0.0.0.0/0"}}], "ports": [{"port": 8080, "protocol": "TCP"}]},
    ]
    # no clients: only the public port, from anywhere
    assert policy("web")["ingress"] == [
        {"from": [{"ipBlock": {"cidr": "0.0.0.0/0"}}], "ports": [{"port": 8080, "protocol": "TCP"}]}
    ]


def test_a_client_reaches_each_dependency_on_its_ports_only() -> None:
    assert policy("web")["egress"] == [{"to": [pods("api")], "ports": [{"port": 8080, "protocol": "TCP"}]}]
    assert policy("worker") == {
        **pods("worker"),
        "policyTypes": ["Ingress", "Egress"],
        "ingress": [],  # listens on nothing
        "egress": [{"to": [pods("db")], "ports": [{"port": 5432, "protocol": "TCP"}]}],
    }


def test_egress_keeps_the_dependency_rules_and_never_reaches_the_metadata_address() -> None:
    assert policy("api")["egress"] == [
        {"to": [pods("db")], "ports": [{"port": 5432, "protocol": "TCP"}]},
        {
            "to": [pods("cache")],
            "ports": [{"port": 6379, "protocol": "TCP"}, {"port": 9121, "protocol": "UDP"}],
        },
        {"to": [{"ipBlock": {"cidr": "0.0.0.0/0", "except": ["169.254.169.254/32"]}}]},
    ]


def test_services_on_another_target_are_left_out() -> None:
    here = ["db", "api", "web"]  # worker and cache run elsewhere
    assert policy("db", here)["ingress"] == [
        {"from": [pods("api")], "ports": [{"port": 5432, "protocol": "TCP"}]}
    ]
    assert [rule["to"] for rule in policy("api", here)["egress"]] == [
        [pods("db")],
        [{"ipBlock": {"cidr": "0.0.0.0/0", "except": ["169.254.169.254/32"]}}],
    ]


def test_a_dependency_without_ports_gets_no_egress_rule() -> None:
    app = resolve_app({"sink": {}, "app": {"depends_on": ["sink"]}}, target="kubernetes")
    assert build_service_policy(app, "app", ["sink", "app"])["egress"] == []
    assert build_service_policy(app, "sink", ["sink", "app"])["ingress"] == []  # clients, but no port
