"""A service moves while a client keeps calling it (README, "Moving a service"), proven on
Docker: `api` moves from Docker to a VM one `pulumi up` per step, rolls back from switch to
start, switches again and finishes, while `web` polls `api:8080` by name every 100 ms from
inside every one of its containers (tests/live/polling.py).

Each step's stack config is previewed (the mock runtime records the program's graph) and
its Docker side applied by `DockerDriver.apply_step`, as the Pulumi engine applies an
update (creates and replacements first, deletes last, in dependency order). The VM copy
of `api` is a stand-in (`standin_vm.py`): the recorded libvirt network, really started,
with a network namespace at the VM's recorded address answering on 8080, so the Docker
half of a move is proven in a minute; test_docker_vm_move.py boots the VM for real. The
two copies answer differently (a container its hostname, the stand-in `vm stand-in`)."""

from __future__ import annotations

import random
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import Any

import pytest

from components.offline.runner import PreviewResult
from components.vocabulary import APP as APP_LABEL
from components.vocabulary import SERVICE
from tests.engines import require, unavailable
from tests.live.docker_driver import CONTAINER, NETWORK, DockerDriver, Event, LiveApp, boot_clock
from tests.live.polling import (
    Pollers,
    Steps,
    assert_all_answered,
    assert_no_outage,
    polling_driver,
    record_move,
)
from tests.live.standin_vm import Interface, StandInVm, unused_cidr, virsh

pytestmark = pytest.mark.live
APP = "hp-livemove"  # no other live test uses it: teardown removes what carries it
URL = "http://api:8080/cgi-bin/copy"  # a container answers "container <hostname>"
VM_ANSWER = "vm stand-in"
DWELL = 3.0  # seconds each step's graph serves before the next `pulumi up`
SPEC: dict[str, Any] = {
    "app": APP,
    "services": {
        "web": {"image": "hp-livemove/web:1.0", "depends_on": ["api"], "tmpfs": ["/tmp"]},
        "api": {
            "image": "hp-livemove/api:1.0",
            "ports": [{"name": "http", "port": 8080}],
            "health": {"http": {"path": "/healthz", "port": 8080}},
        },
    },
}
# (label, the stack config it applies): forward, back from switch to start, forward again
STEPS = (("before", "before"), ("start", "start"), ("switch", "switch"), ("rollback", "start"),
         ("switch again", "switch"), ("finish", "finish"))  # fmt: skip
ON_VM = ("switch", "switch again", "finish")  # the steps after which web's name for api leads to the VM


@dataclass
class MoveRun:
    """What the move did and what the clients saw."""

    graphs: dict[str, PreviewResult]
    live: LiveApp
    driver: DockerDriver
    vm: StandInVm
    pollers: Pollers
    steps: Steps
    end: float = 0.0

    def close(self) -> None:
        self.driver.destroy(APP)
        self.vm.close()


def _libvirt() -> None:
    require("virsh", "apt-get install libvirt-clients; .ci/run does it")
    require("ip", "apt-get install iproute2; .ci/run does it")
    answer = virsh("net-list", check=False)
    if answer.returncode != 0:
        unavailable(f"libvirtd does not answer ({answer.stderr.strip()}); start it (.ci/run does)")


def _cloudinit(result: PreviewResult, name: str) -> Any:
    (found,) = [
        r for r in result.resources if r.type.endswith("cloudInitDisk:CloudInitDisk") and r.name == name
    ]
    return found


@pytest.fixture(scope="module")
def moved(docker_client, tmp_path_factory) -> Iterator[MoveRun]:  # type: ignore[no-untyped-def]
    _libvirt()
    folder: Path = tmp_path_factory.mktemp("move")
    cidr = unused_cidr(start=random.randrange(254))
    graphs = record_move(
        docker_client, folder, SPEC, "api", {"domain_type": "qemu", "network": {"cidr": cidr}}
    )
    pollers = Pollers("web", URL)
    tag = uuid.uuid4().hex[:6]
    driver = polling_driver(docker_client, tag, pollers, APP)
    (network,) = [r for r in graphs["start"].resources if r.type == "libvirt:index/network:Network"]
    www = folder / "www"
    (www / "cgi-bin").mkdir(parents=True)
    (www / "cgi-bin" / "copy").write_text(f"{VM_ANSWER}\n")
    interface = Interface.of(_cloudinit(graphs["start"], f"{APP}-api-0-cloudinit"))
    vm = StandInVm(tag, network, interface, 8080, www, folder / "standin.log")
    live = LiveApp(docker_client, tag)
    run = MoveRun(graphs, live, driver, vm, pollers, Steps(live))

    def apply(label: str, graph: PreviewResult) -> None:
        if label == "start":  # the new copy is up (and healthy) when start's `pulumi up` returns
            vm.start()
        driver.apply_step(live, graph)

    try:
        for label, stack in STEPS:
            run.steps.run(label, partial(apply, label, graphs[stack]))
            time.sleep(DWELL)
        for container in live.containers.values():
            pollers.collect("", container)
        run.end = boot_clock()
        yield run
    finally:
        run.close()


def test_the_vm_keeps_its_address_through_the_move(moved: MoveRun) -> None:
    addresses = {
        Interface.of(_cloudinit(moved.graphs[s], f"{APP}-api-0-cloudinit")).address
        for s in ("start", "switch", "finish")
    }
    assert addresses == {moved.vm.interface.address}


def test_no_request_failed(moved: MoveRun) -> None:
    assert_all_answered(moved.pollers, at_least=100)  # several per second over the whole move


def test_answers_never_stopped(moved: MoveRun) -> None:
    assert_no_outage(moved.pollers, moved.live, moved.end)


def test_the_name_leads_to_the_vm_from_switch_until_rollback_and_after_switching_again(
    moved: MoveRun,
) -> None:
    steps, polls = moved.steps, moved.pollers.polls()
    docker_copy = {f"container {h}" for h in steps.hostnames("api")}
    for container in {p.container for p in polls}:
        answers = {p.answer for p in polls if p.container == container and p.ok}
        created = steps.created_in(container)
        if created in ON_VM:  # its /etc/hosts leads api to the VM
            assert answers == {VM_ANSWER}, f"web created at {created} got {answers}"
        else:  # it resolves api through Docker's DNS: the Docker copy
            assert answers <= docker_copy, f"web created at {created} got {answers - docker_copy}"
    following = [*steps.labels[1:], None]
    for label, after in zip(steps.labels, following, strict=True):
        answers = steps.between(polls, label, after)
        if label in ON_VM:
            assert answers == {VM_ANSWER}, f"after {label}: {answers}"
        else:  # at start the new copy runs, and clients still reach the old one
            assert answers and answers <= docker_copy, f"after {label}: {answers}"
    # the VM sees web's requests come from the Docker host's address on the libvirt bridge,
    # the address its firewall admits (components/wiring/plan.py)
    assert set(moved.vm.peers()) == {moved.vm.interface.gateway}


def test_finish_leaves_no_api_container(moved: MoveRun) -> None:
    client = moved.live.client
    api = {"label": [f"{APP_LABEL}={APP}", f"{SERVICE}=api"]}
    assert client.containers.list(all=True, filters=api) == []
    assert client.networks.list(filters=api) == []
    (web,) = client.containers.list(filters={"label": f"{APP_LABEL}={APP}"})
    assert web.labels[SERVICE] == "web"


def _changes(events: list[Event]) -> list[tuple[str, str, str]]:
    return sorted((e.action, e.type.rsplit(":", 1)[-1], e.name.removeprefix(APP)) for e in events)


def test_each_step_changes_what_the_engine_would(moved: MoveRun) -> None:
    steps = moved.steps
    web, api = ("create", "Container", "-web-0"), ("create", "Container", "-api-0")
    gone_web, gone_api = ("delete", "Container", "-web-0"), ("delete", "Container", "-api-0")
    edge = ".web.edge"
    assert _changes(steps.events("before")) == sorted([("create", "Network", ".api.from.web"), api, web])
    # start: web's labels name the new cross-target gap: web is replaced, api is untouched
    assert _changes(steps.events("start")) == sorted([web, gone_web])
    # switch: web gets the host entry and an edge network, api loses its alias: both replaced
    switch = sorted([("create", "Network", edge), api, web, gone_web, gone_api])
    assert _changes(steps.events("switch")) == switch
    # rollback: the same, backwards: api's alias back, web without the host entry nor the edge
    assert _changes(steps.events("rollback")) == sorted(
        [api, web, gone_web, gone_api, ("delete", "Network", edge)]
    )
    assert _changes(steps.events("switch again")) == switch
    # finish: the old copy and its network go; web leaves that network: replaced
    assert _changes(steps.events("finish")) == sorted(
        [web, gone_web, gone_api, ("delete", "Network", ".api.from.web")]
    )


def test_the_driver_creates_first_and_deletes_last_in_dependency_order(moved: MoveRun) -> None:
    for label, config in STEPS:
        events, graph = moved.steps.events(label), moved.graphs[config]
        by_urn = {r.urn: r for r in graph.resources}
        actions = [e.action for e in events]
        assert actions == sorted(actions, key=lambda a: a == "delete"), (
            f"{label}: a delete came before a create"
        )
        created = {(e.type, e.name): i for i, e in enumerate(events) if e.action == "create"}
        for (kind, name), index in created.items():
            (resource,) = [r for r in graph.resources if (r.type, r.name) == (kind, name)]
            for dependency in (by_urn[u] for u in resource.depends_on if u in by_urn):
                before = created.get((dependency.type, dependency.name), -1)
                assert before < index, f"{label}: {name} created before {dependency.name}"
        deleted = [(e.type, e.name) for e in events if e.action == "delete"]
        containers = [i for i, (kind, _) in enumerate(deleted) if kind == CONTAINER]
        networks = [i for i, (kind, _) in enumerate(deleted) if kind == NETWORK]
        assert not containers or not networks or max(containers) < min(networks), f"{label}: {deleted}"
        if (CONTAINER, f"{APP}-api-0") in deleted:
            order = [name for _, name in deleted]  # web depends on api: web goes first
            assert order.index(f"{APP}-web-0") < order.index(f"{APP}-api-0"), f"{label}: {order}"


def test_teardown_leaves_nothing_behind(moved: MoveRun) -> None:
    moved.close()
    client, selector = moved.live.client, {"label": f"{APP_LABEL}={APP}"}
    assert client.containers.list(all=True, filters=selector) == []
    assert client.networks.list(filters=selector) == []
    assert client.volumes.list(filters=selector) == []
    assert moved.vm.leftovers() == []
