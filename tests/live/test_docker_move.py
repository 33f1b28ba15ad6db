"""A service moves while a client keeps calling it (README, "Moving a service"): `api` from
Docker to a VM, one `pulumi up` per step (start, switch, finish), with `web` polling
`api:8080` by name every 100 ms from inside every one of its containers.

The Docker side of each step's recorded graph is applied by `DockerDriver.apply_step`, as
the Pulumi engine applies an update (creates and replacements first, deletes last). The VM
copy of `api` is a stand-in (`standin_vm.py`): the recorded libvirt network, really
started, with a network namespace at the VM's recorded address answering on 8080. The two
copies answer differently (a Docker container with its hostname, the stand-in with
`vm`), so each answer says which copy served it."""

from __future__ import annotations

import random
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from itertools import pairwise
from pathlib import Path
from typing import Any

import pytest

from components.offline.runner import PreviewResult
from components.vocabulary import APP as APP_LABEL
from components.vocabulary import SERVICE
from tests.engines import require, unavailable
from tests.factory import preview
from tests.live.docker_driver import CONTAINER, IMAGE, NETWORK, DockerDriver, Event, LiveApp, boot_clock
from tests.live.images import build_image
from tests.live.standin_vm import Interface, StandInVm, unused_cidr, virsh

pytestmark = pytest.mark.live
APP = "hp-livemove"  # no other live test uses it: teardown removes what carries it
URL = "http://api:8080/cgi-bin/copy"  # the Docker copy answers "container <hostname>"
VM_ANSWER = "vm stand-in"
POLL_LOG = "/tmp/poll.log"  # on web's tmpfs
DWELL = 3.0  # seconds each step's graph serves before the next `pulumi up`
LONGEST_GAP = 2.0  # seconds without an answer that would count as an outage
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
STEPS = ("before", "start", "switch", "finish")


def step_configs(cidr: str) -> dict[str, dict[str, Any]]:
    """The stack settings of each step, as `hybrid move dev api --to vm` prints them."""
    moving = {
        "libvirt": {"guest_agent": True, "domain_type": "qemu", "network": {"cidr": cidr}},
        "accepted_gaps": ["docker->vm"],
    }
    return {
        "before": {},
        "start": {**moving, "moves": {"api": {"to": "vm", "step": "start"}}},
        "switch": {**moving, "moves": {"api": {"to": "vm", "step": "switch"}}},
        "finish": {**moving, "placement": {"api": "vm"}},
    }


@dataclass(frozen=True)
class Poll:
    """One request of web's poller: which container sent it, when (boot clock), the answer."""

    container: str
    at: float
    ok: bool
    answer: str


@dataclass
class MoveRun:
    """What the move did and what the clients saw."""

    graphs: dict[str, PreviewResult]
    live: LiveApp
    driver: DockerDriver
    vm: StandInVm
    marks: dict[str, tuple[float, float]] = field(default_factory=dict)  # step -> (began, done)
    logs: dict[str, str] = field(default_factory=dict)  # web container id -> its poll log
    end: float = 0.0

    def polls(self) -> list[Poll]:
        found = []
        for container, text in self.logs.items():
            for line in text.splitlines():
                at, status, *answer = line.split(" ", 2)
                found.append(Poll(container, float(at), status == "ok", " ".join(answer)))
        return sorted(found, key=lambda p: p.at)

    def events(self, step: str) -> list[Event]:
        return [e for e in self.live.events if e.step == STEPS.index(step) + 1]

    def created_in(self, container_id: str) -> str:
        (event,) = [e for e in self.live.events if e.action == "create" and e.live == container_id]
        return STEPS[event.step - 1]

    def api_hostnames(self) -> set[str]:
        """The hostnames of every api container the driver created (Docker: the id's first 12)."""
        return {e.live[:12] for e in self.live.events if e.type == CONTAINER and e.name == f"{APP}-api-0"}

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
    graphs = {}
    for name, config in step_configs(cidr).items():
        (folder / name).mkdir()
        graphs[name] = preview(folder / name, SPEC, config, stack="live", target="docker")
    build_image(
        docker_client, {r.inputs["name"] for g in graphs.values() for r in g.resources if r.type == IMAGE}
    )
    logs: dict[str, str] = {}

    def start_polling(_: str, container: Any) -> None:
        if container.labels.get(SERVICE) == "web":
            container.exec_run(["hp-poll", URL, POLL_LOG], detach=True)

    def collect(_: str, container: Any) -> None:
        if container.labels.get(SERVICE) == "web":
            logs[container.id] = container.exec_run(["cat", POLL_LOG]).output.decode()

    tag = uuid.uuid4().hex[:6]
    driver = DockerDriver(docker_client, tag, on_created=start_polling, before_delete=collect)
    driver.destroy(APP)  # whatever an interrupted earlier run left
    (network,) = [r for r in graphs["start"].resources if r.type == "libvirt:index/network:Network"]
    www = folder / "www"
    (www / "cgi-bin").mkdir(parents=True)
    (www / "cgi-bin" / "copy").write_text(f"{VM_ANSWER}\n")
    interface = Interface.of(_cloudinit(graphs["start"], f"{APP}-api-0-cloudinit"))
    vm = StandInVm(tag, network, interface, 8080, www, folder / "standin.log")
    run = MoveRun(graphs, LiveApp(docker_client, tag), driver, vm, logs=logs)
    try:
        for name in STEPS:
            if name == "start":
                pass  # vm.start()  # the new copy is up (and healthy) when start's `pulumi up` returns
            began = boot_clock()
            driver.apply_step(run.live, graphs[name])
            run.marks[name] = (began, boot_clock())
            time.sleep(DWELL)
        for container in run.live.containers.values():
            collect("", container)
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
    polls = moved.polls()
    failed = [p for p in polls if not p.ok]
    assert failed == [], f"{len(failed)} of {len(polls)} requests failed, first: {failed[:5]}"
    assert len(polls) >= 100  # several per second over the whole move
    print(f"{len(polls)} requests, all answered, from {len(moved.logs)} web containers")


def test_answers_never_stopped(moved: MoveRun) -> None:
    answered = [p.at for p in moved.polls() if p.ok]
    first_web = min(e.at for e in moved.live.events if e.action == "create" and e.name == f"{APP}-web-0")
    gaps = [b - a for a, b in pairwise(answered)]
    print(f"longest gap between answers: {max(gaps):.2f} s over {answered[-1] - answered[0]:.1f} s")
    assert max(gaps) <= LONGEST_GAP
    assert answered[0] - first_web <= LONGEST_GAP  # from the first web container on
    assert moved.end - answered[-1] <= LONGEST_GAP  # to the end


def test_the_old_copy_answers_until_switch_and_the_new_one_after(moved: MoveRun) -> None:
    docker_copy = {f"container {h}" for h in moved.api_hostnames()}
    for container in {p.container for p in moved.polls()}:
        answers = {p.answer for p in moved.polls() if p.container == container}
        created = moved.created_in(container)
        if created in ("before", "start"):  # web resolves api through Docker's DNS: the old copy
            assert answers <= docker_copy, f"web created at {created} got {answers - docker_copy}"
        else:  # from switch on web's /etc/hosts leads api to the VM
            assert answers == {VM_ANSWER}, f"web created at {created} got {answers}"
    started, switching = moved.marks["start"][1], moved.marks["switch"][0]
    at_start = {p.answer for p in moved.polls() if started <= p.at < switching}
    after_switch = [p.answer for p in moved.polls() if p.at >= moved.marks["switch"][1]]
    assert at_start and at_start <= docker_copy  # the new copy runs, clients still reach the old one
    assert after_switch and set(after_switch) == {VM_ANSWER}
    # the VM sees web's requests come from the Docker host's address on the libvirt bridge,
    # the address its firewall admits (components/wiring/plan.py)
    assert set(moved.vm.peers()) == {moved.vm.interface.gateway}
    assert len(moved.vm.peers()) >= len(after_switch)


def test_finish_leaves_no_api_container(moved: MoveRun) -> None:
    client = moved.live.client
    assert client.containers.list(all=True, filters={"label": [f"{APP_LABEL}={APP}", f"{SERVICE}=api"]}) == []
    assert [
        n.name for n in client.networks.list(filters={"label": [f"{APP_LABEL}={APP}", f"{SERVICE}=api"]})
    ] == []
    (web,) = client.containers.list(filters={"label": f"{APP_LABEL}={APP}"})
    assert web.labels[SERVICE] == "web"


def _changes(events: list[Event]) -> list[tuple[str, str, str]]:
    return [(e.action, e.type.rsplit(":", 1)[-1], e.name.removeprefix(f"{APP}")) for e in events]


def test_each_step_changes_what_the_engine_would(moved: MoveRun) -> None:
    web, api = ("create", "Container", "-web-0"), ("create", "Container", "-api-0")
    gone_web, gone_api = ("delete", "Container", "-web-0"), ("delete", "Container", "-api-0")
    assert sorted(_changes(moved.events("before"))) == sorted(
        [("create", "Network", ".api.from.web"), api, web]
    )
    # start: web's labels name the new cross-target gap: web is replaced, api is untouched
    assert sorted(_changes(moved.events("start"))) == sorted([web, gone_web])
    # switch: web gets the host entry and an edge network, api loses its alias: both replaced
    assert sorted(_changes(moved.events("switch"))) == sorted(
        [("create", "Network", ".web.edge"), api, web, gone_web, gone_api]
    )
    # finish: the old copy and its network go; web leaves that network: replaced
    assert sorted(_changes(moved.events("finish"))) == sorted(
        [web, gone_web, gone_api, ("delete", "Network", ".api.from.web")]
    )


def test_the_driver_creates_first_and_deletes_last_in_dependency_order(moved: MoveRun) -> None:
    for step in STEPS:
        events, graph = moved.events(step), moved.graphs[step]
        by_urn = {r.urn: r for r in graph.resources}
        actions = [e.action for e in events]
        assert actions == sorted(actions, key=lambda a: a == "delete"), (
            f"{step}: a delete came before a create"
        )
        created = {(e.type, e.name): i for i, e in enumerate(events) if e.action == "create"}
        for (kind, name), index in created.items():
            (resource,) = [r for r in graph.resources if (r.type, r.name) == (kind, name)]
            for dependency in (by_urn[u] for u in resource.depends_on if u in by_urn):
                before = created.get((dependency.type, dependency.name), -1)
                assert before < index, f"{step}: {name} created before {dependency.name}"
        deleted = [(e.type, e.name) for e in events if e.action == "delete"]
        containers = [i for i, (kind, _) in enumerate(deleted) if kind == CONTAINER]
        networks = [i for i, (kind, _) in enumerate(deleted) if kind == NETWORK]
        assert not containers or not networks or max(containers) < min(networks), f"{step}: {deleted}"
        if ("delete", CONTAINER, f"{APP}-api-0") in {(e.action, e.type, e.name) for e in events}:
            order = [name for _, name in deleted]  # web depends on api: web goes first
            assert order.index(f"{APP}-web-0") < order.index(f"{APP}-api-0"), f"{step}: {order}"


def test_teardown_leaves_nothing_behind(moved: MoveRun) -> None:
    moved.close()
    client, selector = moved.live.client, {"label": f"{APP_LABEL}={APP}"}
    assert client.containers.list(all=True, filters=selector) == []
    assert client.networks.list(filters=selector) == []
    assert client.volumes.list(filters=selector) == []
    assert moved.vm.leftovers() == []
