"""One app across targets: for each flagship combination, traffic is allowed exactly when the
client depends on the server, computed from the recorded firewalls, NetworkPolicies and
networks together; every client's view of a dependency's name leads to where it runs."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

from components.appspec import SpecError
from components.offline.runner import PreviewResult
from tests.factory import preview
from tests.wiring.traffic import Chain, Graph

ROOT = Path(__file__).resolve().parents[2]
SPEC: dict[str, Any] = yaml.safe_load((ROOT / "stacks" / "app.yaml").read_text())
DEPENDS = {(c, s) for c, svc in SPEC["services"].items() for s in svc.get("depends_on", [])}
PORTS = {name: [(p["port"], p.get("protocol", "tcp")) for p in svc.get("ports", [])] for name, svc in SPEC["services"].items()}  # fmt: skip
SECRETS = {"secrets": {"db-password": {"secure": "v1:x"}}}
EXISTING = {"node_cidrs": ["192.168.50.11/32", "192.168.50.12/32"]}

COMBINATIONS: dict[str, tuple[str, dict[str, Any]]] = {
    "db on vm, the rest on hybrid": ("hybrid", {"placement": {"db": "vm"}}),
    "db on vm, the rest on docker": ("docker", {"placement": {"db": "vm"}}),
    "db on vm, the rest on kubernetes": (
        "kubernetes",
        {"placement": {"db": "vm"}, "kubernetes": EXISTING, "libvirt": {"network": {"mode": "route"}}},
    ),
    "api on hybrid, the rest on docker": ("docker", {"placement": {"api": "hybrid"}}),
}


def run(tmp_path: Path, name: str) -> PreviewResult:
    target, config = COMBINATIONS[name]
    tmp_path.mkdir(parents=True, exist_ok=True)
    return preview(tmp_path, SPEC, {**SECRETS, **config}, target=target)


def graph(result: PreviewResult, config: dict[str, Any]) -> Graph:
    found = Graph(result, PORTS)
    if "kubernetes" in config:  # an existing cluster: its nodes are not in the graph
        found.node_addresses = [c.split("/")[0] for c in config["kubernetes"]["node_cidrs"]]
    return found


@pytest.mark.parametrize("name", COMBINATIONS)
def test_traffic_is_allowed_exactly_along_depends_on(tmp_path: Path, name: str) -> None:
    result = run(tmp_path, name)
    allowed = graph(result, COMBINATIONS[name][1]).allowed_pairs()
    expected = {(c, s) for c, s in DEPENDS if PORTS[s]}
    assert allowed == expected, f"extra: {sorted(allowed - expected)}; missing: {sorted(expected - allowed)}"


@pytest.mark.parametrize("name", COMBINATIONS)
def test_every_target_is_the_one_placed_and_endpoints_say_so(tmp_path: Path, name: str) -> None:
    target, config = COMBINATIONS[name]
    result = run(tmp_path, name)
    placed = {s: config["placement"].get(s, target) for s in SPEC["services"]}
    assert {s: e["target"] for s, e in result.outputs["endpoints"].items()} == placed
    g = graph(result, config)
    assert {s: g.target_of(s).replace("kubernetes", target if target in ("hybrid", "kubernetes") else "hybrid")
            for s in SPEC["services"]} == placed  # fmt: skip


def test_a_dependency_placed_elsewhere_resolves_to_where_it_runs(tmp_path: Path) -> None:
    result = run(tmp_path, "db on vm, the rest on docker")
    g = graph(result, {})
    assert g.containers["api"].hosts["db"] == g.vms["db"].address  # extra_hosts -> the VM
    hybrid = graph(run(tmp_path / "h", "db on vm, the rest on hybrid"), {})
    assert hybrid.slices["db"] == [hybrid.vms["db"].address]  # EndpointSlice -> the VM
    mixed = graph(run(tmp_path / "m", "api on hybrid, the rest on docker"), {})
    assert mixed.dns == {} or "api" not in mixed.dns
    assert mixed.containers["web"].hosts["api"] in mixed.node_addresses  # extra_hosts -> a node
    assert set(mixed.slices["db"]) == {mixed.gateway}  # the Docker host on the libvirt bridge


@pytest.mark.parametrize(
    ("target", "config", "expected"),
    [
        (
            "docker",
            {"placement": {"ghost": "vm"}},
            "hybrid-platform:placement.ghost: no such service in the spec; services are: api, db, redis, web, worker",
        ),
        (
            "docker",
            {"placement": {"db": "cloud"}},
            "hybrid-platform:placement.db: 'cloud' is not a target; available: docker, vm, hybrid, kubernetes",
        ),
        (
            "docker",
            {"placement": {"db": "vm"}, "docker": {"host": "ssh://deploy@elsewhere"}},
            "hybrid-platform:docker.host: api on docker depends on db on vm: Docker must run on the libvirt host to reach its network; unset docker.host (the local daemon) or place both on one target",
        ),
        (
            "kubernetes",
            {"placement": {"db": "vm"}, "libvirt": {"network": {"mode": "route"}}},
            "hybrid-platform:kubernetes.node_cidrs: api on kubernetes depends on db on vm: set the addresses the cluster's nodes send from, e.g. [192.168.10.0/24]",
        ),
        (
            "hybrid",
            {"placement": {"db": "kubernetes"}},
            "hybrid-platform:placement: api on hybrid depends on db on kubernetes: two Kubernetes clusters are not wired to each other; place both on one",
        ),
    ],
)
def test_placement_problems_name_the_setting(
    tmp_path: Path, target: str, config: dict[str, Any], expected: str
) -> None:
    with pytest.raises(SpecError) as caught:
        preview(tmp_path, SPEC, {**SECRETS, **config}, target=target)
    assert f"Pulumi.test.yaml: {expected}" in caught.value.lines()


def test_a_gap_in_use_is_warned_about_with_the_setting_that_accepts_it(tmp_path: Path) -> None:
    result = run(tmp_path, "db on vm, the rest on docker")
    (warning,) = [w for w in result.warnings if w.startswith("placement docker->vm")]
    assert "(api -> db, worker -> db)" in warning
    assert warning.endswith(
        "accept it with hybrid-platform:accepted_gaps: [docker->vm] or place the services on one target"
    )


def test_the_model_refuses_what_a_firewall_or_policy_does_not_admit(tmp_path: Path) -> None:
    g = graph(run(tmp_path, "db on vm, the rest on hybrid"), {})
    g.vms["db"].inbound = Chain()  # a firewall that admits no one
    assert ("api", "db") not in g.allowed_pairs()
    g = graph(run(tmp_path / "d", "api on hybrid, the rest on docker"), {})
    g.pods["api"].ingress = []  # a NetworkPolicy that admits no one
    assert ("web", "api") not in g.allowed_pairs()


def test_the_readme_pairs_table_is_generated_from_the_wiring_table() -> None:
    from components.wiring.pairs import render_table

    assert render_table() in (ROOT / "README.md").read_text()
