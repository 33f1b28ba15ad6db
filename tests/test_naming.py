"""Generated names cannot collide: every generator fed names built to collide.

User names are DNS labels, so `a-b`/`a_b`, `x`/`x-edge`, `web`/`web-0`, `db`+`data-x` /
`db-data`+`x` are the adversaries: each pair once gave two resources one name."""

from __future__ import annotations

import itertools
from collections import Counter
from pathlib import Path
from typing import Any

import pytest

from components import naming
from components.appspec import SpecError, parse_spec
from tests.factory import preview

NAMES = ["a", "a-b", "b", "b-c", "a-b-c", "x", "x-edge", "x-from-y", "y", "y-edge", "edge", "from",
         "web", "web-0", "web-0-0", "db", "db-data", "data", "data-x", "nodes", "server", "server-0"]  # fmt: skip


def _distinct(names: list[str]) -> None:
    repeated = [name for name, count in Counter(names).items() if count > 1]
    assert repeated == []


def test_volume_names_never_collide() -> None:
    _distinct(
        [naming.volume_name("app", s, v, r) for s, v in itertools.product(NAMES, NAMES) for r in (0, 1, 10)]
    )
    assert naming.volume_name("app", "db", "data-x", 0) != naming.volume_name("app", "db-data", "x", 0)


def test_network_names_never_collide() -> None:
    links = [naming.link_network_name("app", s, c) for s, c in itertools.product(NAMES, NAMES) if s != c]
    edges = [naming.edge_network_name("app", s) for s in NAMES]
    _distinct(links + edges)
    assert naming.link_network_name("app", "x", "y-edge") != naming.edge_network_name("app", "x-from-y")


def test_image_names_never_collide() -> None:
    digest = "sha256:" + "a" * 64
    other = "sha256:" + "b" * 64
    references = ["docker.io/example/a_b:1", "docker.io/example/a-b:1", f"docker.io/library/redis@{digest}",
                  f"docker.io/library/redis@{other}", "a.b/c:d", "docker.io/a/b.c:d", "docker.io/library/redis:7"]  # fmt: skip
    _distinct([naming.image_name("app", r) for r in references])


def test_replica_and_node_dns_names_lead_to_one_machine_each() -> None:
    owners: dict[str, set[str]] = {}
    for service in NAMES:
        for replica in range(12):
            for name in naming.replica_dns(service, replica)[1:]:  # [0] is the service's round robin
                owners.setdefault(name, set()).add(f"{service}/{replica}")
    for group in ("server", "agent", "vm-agent"):
        for index in range(3):
            for name in naming.node_dns(group, index):
                owners.setdefault(name, set()).add(f"node {group}/{index}")
    assert {name: who for name, who in owners.items() if len(who) > 1} == {}
    service_names = set(NAMES)
    assert not service_names & set(owners), "a replica or node name equals a service name"
    assert not service_names & {naming.node_group_key(g) for g in ("server", "agent")}


def test_child_names_are_unambiguous_for_fixed_words() -> None:
    kinds = ["service", "public", "statefulset", "deployment", "pdb"]
    _distinct([naming.child(naming.child("app", s), k) for s in NAMES for k in kinds])


ADVERSARIAL: dict[str, Any] = {
    "app": "clash",
    "services": {
        "x": {"image": "example/x:1", "ports": [{"name": "p", "port": 80}]},
        "y-edge": {"image": "example/a_b:1", "depends_on": ["x"], "egress": True},
        "x-from-y": {"image": "example/a-b:1", "egress": True},
        "db": {"image": "example/db:1", "volumes": [{"name": "data-x", "path": "/d"}], "ports": [{"name": "pg", "port": 5432}]},
        "db-data": {"image": "example/db:1", "volumes": [{"name": "x", "path": "/d"}]},
        "web": {"image": f"example/web@sha256:{'a' * 64}", "replicas": 2, "ports": [{"name": "http", "port": 8080}]},
        "web-0": {"image": f"example/web@sha256:{'b' * 64}", "depends_on": ["web"], "ports": [{"name": "http", "port": 8080}]},
        "default-deny": {"image": "example/x:1", "depends_on": ["db"]},
        "allow-dns": {"image": "example/x:1"},
    },
}  # fmt: skip


@pytest.mark.parametrize("target", ["docker", "vm", "hybrid", "kubernetes"])
def test_no_two_resources_of_an_adversarial_app_share_a_name(tmp_path: Path, target: str) -> None:
    result = preview(tmp_path, ADVERSARIAL, target=target)
    _distinct([f"{r.type}::{r.name}" for r in result.resources])
    physical = [
        f"{r.type}::{r.inputs['metadata'].get('namespace')}/{r.inputs['metadata']['name']}"
        for r in result.resources
        if r.type.startswith("kubernetes:") and "name" in (r.inputs.get("metadata") or {})
    ]
    _distinct(physical)
    for network in (
        r for r in result.resources if r.type == "libvirt:index/network:Network" and target == "vm"
    ):
        by_name: dict[str, set[str]] = {}
        for host in network.inputs["dns"]["hosts"]:
            by_name.setdefault(host["hostname"], set()).add(host["ip"])
        assert by_name["web-0"] == {a for h, a in _hosts(network) if h == "web-0-0.web-0"}
        assert by_name["web-0.web"] != by_name["web-0"]  # web's replica 0 is not the service web-0
        assert by_name["web"] == by_name["web-0.web"] | by_name["web-1.web"]


def _hosts(network: Any) -> list[tuple[str, str]]:
    return [(h["hostname"], h["ip"]) for h in network.inputs["dns"]["hosts"]]


@pytest.mark.parametrize(
    ("services", "expected"),
    [
        (
            {
                "web": {"image": "a/b:1", "ports": [{"name": "http", "port": 80, "public": True}]},
                "web-public": {"image": "a/b:1"},
            },
            "spec: services.web-public: the name is taken by the Service that publishes web's public ports on Kubernetes; rename the service, e.g. web-site",
        ),
        (
            {"db": {"image": "a/b:1", "tmpfs": ["/tmp"], "volumes": [{"name": "tmp-0", "path": "/data"}]}},
            "spec: services.db.volumes[0].name: 'tmp-0' is reserved for tmpfs mounts on Kubernetes; rename the volume, e.g. data",
        ),
    ],
)
def test_validation_reserves_the_names_kubernetes_generates(services: dict[str, Any], expected: str) -> None:
    with pytest.raises(SpecError) as caught:
        parse_spec({"app": "shop", "services": services})
    assert caught.value.lines() == [expected]
