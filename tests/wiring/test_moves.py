"""Moving a service between targets, one `pulumi up` per step: the recorded graph of each
step (`start`: both copies, the name on the old one; `switch`: the name on the new one;
finish: the old copy gone), and the edges that order discovery after the new copy."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

from components.appspec import SpecError
from components.offline.document import as_json, dumps
from components.offline.recorder import RecordedResource, reveal
from components.offline.runner import PreviewResult
from tests.factory import preview
from tests.wiring.traffic import Graph

ROOT = Path(__file__).resolve().parents[2]
SPEC: dict[str, Any] = yaml.safe_load((ROOT / "stacks" / "app.yaml").read_text())
SECRETS = {"secrets": {"db-password": {"secure": "v1:x"}}}
PORTS = {name: [(p["port"], p.get("protocol", "tcp")) for p in svc.get("ports", [])] for name, svc in SPEC["services"].items()}  # fmt: skip
EXISTING = {
    "kubernetes": {"node_cidrs": ["192.168.50.0/24", "192.168.50.11/32"]},
    "libvirt": {"network": {"mode": "route"}},
}


def step(tmp_path: Path, target: str, config: dict[str, Any], name: str) -> PreviewResult:
    folder = tmp_path / name
    folder.mkdir(parents=True, exist_ok=True)
    return preview(folder, SPEC, {**SECRETS, **config}, target=target)


def api_move(tmp_path: Path, name: str) -> PreviewResult:
    configs = {
        "start": {"moves": {"api": {"to": "hybrid", "step": "start"}}},
        "switch": {"moves": {"api": {"to": "hybrid", "step": "switch"}}},
        "finish": {"placement": {"api": "hybrid"}},
    }
    return step(tmp_path, "docker", configs[name], name)


def of(result: PreviewResult, kind: str, name: str | None = None) -> list[RecordedResource]:
    return [r for r in result.resources if r.type.endswith(kind) and (name is None or r.name == name)]


def web(result: PreviewResult) -> dict[str, Any]:
    (container,) = of(result, ":Container", "voting-web-0")
    return dict(reveal(container.inputs))


def api_aliases(result: PreviewResult) -> set[str]:
    (container,) = of(result, ":Container", "voting-api-0")
    return {a for n in container.inputs.get("networksAdvanced", []) for a in n.get("aliases") or []}


def k8s_service(result: PreviewResult, name: str) -> dict[str, Any] | None:
    found = [r for r in of(result, "core/v1:Service") if r.inputs["metadata"]["name"] == name]
    return found[0].inputs["spec"] if found else None


def test_start_runs_both_copies_and_the_name_stays_on_the_old_one(tmp_path: Path) -> None:
    result = api_move(tmp_path, "start")
    assert of(result, ":Container", "voting-api-0") and of(result, ":Deployment", "voting-api-deployment")
    assert api_aliases(result) == {"api"}  # Docker clients still resolve api to the old copy
    assert "hosts" not in web(result)
    assert k8s_service(result, "api") is None  # no Service leads the name to the new copy yet
    assert result.outputs["endpoints"]["api"]["target"] == "docker"


def test_the_new_copy_admits_the_clients_before_the_name_moves(tmp_path: Path) -> None:
    result = api_move(tmp_path, "start")
    (policy,) = [r for r in of(result, "NetworkPolicy") if r.inputs["metadata"]["name"] == "api"]
    graph = Graph(result, PORTS)
    admitted = {
        block["ipBlock"]["cidr"]
        for rule in policy.inputs["spec"]["ingress"]
        for block in rule["from"]
        if "ipBlock" in block
    }
    assert f"{graph.gateway}/32" in admitted  # web's traffic, from the Docker host
    # and the new copy reaches its dependencies on Docker: EndpointSlices and egress ipBlocks
    assert set(graph.slices) == {"db", "redis"}


def test_switch_leads_the_name_to_the_new_copy_and_keeps_the_old_one_running(tmp_path: Path) -> None:
    result = api_move(tmp_path, "switch")
    assert of(result, ":Container", "voting-api-0")  # still running: connections drain
    assert api_aliases(result) == set()  # nobody resolves api to the old copy any more
    graph = Graph(result, PORTS)
    (entry,) = web(result)["hosts"]
    assert entry["host"] == "api" and entry["ip"] in graph.node_addresses  # Docker clients: a node
    service = k8s_service(result, "api")
    assert service is not None and service["selector"] and service["type"] == "LoadBalancer"
    assert result.outputs["endpoints"]["api"]["target"] == "hybrid"


def test_discovery_waits_for_the_new_copy(tmp_path: Path) -> None:
    result = api_move(tmp_path, "switch")
    (deployment,) = of(result, ":Deployment", "voting-api-deployment")
    for container in (c for c in of(result, ":Container") if c.name.startswith("voting-web-")):
        assert deployment.urn in container.depends_on  # web learns api's new address after it is ready


def test_finish_removes_the_old_copy(tmp_path: Path) -> None:
    result = api_move(tmp_path, "finish")
    assert not of(result, ":Container", "voting-api-0")
    assert not [n for n in of(result, ":Network") if ".api." in n.name]
    assert result.outputs["endpoints"]["api"]["target"] == "hybrid"


NEW_COPY = {"hybrid": (":Deployment",), "vm": (":Domain", ":CloudInitDisk")}


@pytest.mark.parametrize("to", ["hybrid", "vm"])
def test_finishing_changes_nothing_of_the_new_copy(tmp_path: Path, to: str) -> None:
    """The copy the move started is the one that stays: finishing must not update or
    replace it (a VM would be replaced, delete-first: the service would go down)."""
    agent = {"libvirt": {"guest_agent": True}} if to == "vm" else {}
    graphs = {
        name: step(tmp_path, "docker", {**agent, **config}, name)
        for name, config in {
            "start": {"moves": {"api": {"to": to, "step": "start"}}},
            "switch": {"moves": {"api": {"to": to, "step": "switch"}}},
            "finish": {"placement": {"api": to}},
        }.items()
    }

    def new_copy(result: PreviewResult) -> dict[tuple[str, str], Any]:
        return {
            (r.type, r.name): reveal(r.inputs)
            for kind in NEW_COPY[to]
            for r in of(result, kind)
            if "-api-" in r.name
        }

    started = new_copy(graphs["start"])
    assert started
    assert new_copy(graphs["switch"]) == started
    assert new_copy(graphs["finish"]) == started


def test_rolling_back_from_switch_gives_the_start_graph_again(tmp_path: Path) -> None:
    start = dumps(as_json(api_move(tmp_path / "a", "start")))
    api_move(tmp_path / "b", "switch")
    assert dumps(as_json(api_move(tmp_path / "c", "start"))).replace(
        str(tmp_path / "c"), ""
    ) == start.replace(str(tmp_path / "a"), "")


@pytest.mark.parametrize("name", ["start", "switch"])
def test_clients_reach_a_moving_service_at_every_step(tmp_path: Path, name: str) -> None:
    result = api_move(tmp_path, name)
    graph = Graph(result, PORTS)
    if name == "switch":
        del graph.containers["api"]  # the old copy no longer answers to the name
    assert graph.reaches("web", "api", 8080, "tcp")
    assert not graph.reaches("worker", "api", 8080, "tcp")


def test_a_vm_worker_moves_to_an_existing_cluster(tmp_path: Path) -> None:
    config = {**EXISTING, "placement": {"db": "vm", "redis": "vm", "worker": "vm"}}
    start = step(
        tmp_path, "kubernetes", {**config, "moves": {"worker": {"to": "kubernetes", "step": "start"}}}, "s"
    )
    vms = {r.name for r in of(start, ":Domain")}
    assert "voting-worker-0" in vms and of(start, ":Deployment", "voting-worker-deployment")
    graph = Graph(start, PORTS)
    for server in ("db", "redis"):  # both copies of the worker are admitted
        assert graph.vms[server].inbound.allows("192.168.50.7", PORTS[server][0][0], "tcp")
        assert graph.vms[server].inbound.allows(graph.vms["worker"].address, PORTS[server][0][0], "tcp")
    finish = step(tmp_path, "kubernetes", {**config, "placement": {"db": "vm", "redis": "vm"}}, "f")
    assert "voting-worker-0" not in {r.name for r in of(finish, ":Domain")}


@pytest.mark.parametrize(
    ("moves", "expected"),
    [
        (
            {"db": {"to": "vm", "step": "start"}},
            'hybrid-platform:moves.db: db has volumes and a move copies no data: the new copy starts empty. Set data: fresh for a store that replicates itself; otherwise follow the cold move in README, "Moving a service" (stop, copy the volume, start)',
        ),
        (
            {"api": {"to": "docker", "step": "start"}},
            "hybrid-platform:moves.api.to: api already runs on docker; name another target, or remove the move to finish it (placement: {api: docker})",
        ),
        (
            {"api": {"to": "vm", "step": "start"}},
            "hybrid-platform:libvirt.guest_agent: moving api to vm needs the readiness gate that waits for the new copy through the QEMU guest agent; set libvirt.guest_agent: true (qemu-guest-agent on the base image)",
        ),
        (
            {"ghost": {"to": "vm", "step": "start"}},
            "hybrid-platform:moves.ghost: no such service in the spec; services are: api, db, redis, web, worker",
        ),
        (
            {"api": {"to": "vm", "step": "finish"}},
            "hybrid-platform:moves.api.step: must be 'start' or 'switch' (got 'finish')",
        ),
    ],
)
def test_moves_that_cannot_be_made_are_refused(tmp_path: Path, moves: dict[str, Any], expected: str) -> None:
    with pytest.raises(SpecError) as caught:
        step(tmp_path, "docker", {"moves": moves}, "x")
    assert f"Pulumi.test.yaml: {expected}" in caught.value.lines()


def test_a_store_that_replicates_itself_moves_with_fresh_volumes(tmp_path: Path) -> None:
    config = {
        "moves": {"db": {"to": "vm", "step": "start", "data": "fresh"}},
        "libvirt": {"guest_agent": True},
    }
    result = step(tmp_path, "docker", config, "x")
    (gate,) = [r for r in result.resources if r.name == "voting-db-0-ready"]
    assert gate  # the new copy is health-gated through the guest agent
    assert of(result, ":Container", "voting-db-0") and "voting-db-0" in {
        r.name for r in of(result, ":Domain")
    }


def test_several_services_move_at_once(tmp_path: Path) -> None:
    moves = {"api": {"to": "hybrid", "step": "switch"}, "web": {"to": "hybrid", "step": "start"}}
    result = step(tmp_path, "docker", {"moves": moves}, "x")
    assert result.outputs["endpoints"]["api"]["target"] == "hybrid"
    assert result.outputs["endpoints"]["web"]["target"] == "docker"
    assert of(result, ":Deployment", "voting-web-deployment") and of(result, ":Container", "voting-web-0")
