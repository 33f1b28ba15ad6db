"""Docker and a VM booted for real in one stack (README, "Placement" and "Moving a
service"): `api` moves from Docker to a VM one `pulumi up` per step (start, switch,
finish) while `web` polls `api:8080` by name every 100 ms from inside every one of its
containers (tests/live/polling.py); the finish is the stack `placement: {api: vm}` with
`web` and `other` on Docker, so the same boot then shows that a Docker client reaches
the VM by name on its port and a Docker non-client does not.

Each step's config is previewed (the mock runtime records the program's graph) and
applied as one `pulumi up`: the libvirt side by `LibvirtDriver.update`, each new domain's
readiness gate waited for with the product's own check through the guest agent
(`components/targets/libvirt/readiness.py`), then the Docker side by
`DockerDriver.apply_step`, which deletes last. That is the engine's order: creates and
updates first (web's new containers depend on the VM's readiness gate), deletes last;
nothing of libvirt is deleted in these steps."""

from __future__ import annotations

import ipaddress
import json
import secrets
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import Any

import pytest

from components.offline.runner import PreviewResult
from components.targets.libvirt.readiness import wait_until_ready
from components.vocabulary import APP as APP_LABEL
from components.vocabulary import SERVICE
from tests.engines import require
from tests.live import guest_agent
from tests.live.docker_driver import DockerDriver, LiveApp, boot_clock
from tests.live.libvirt_driver import URI, LibvirtDriver, Machine, virsh
from tests.live.polling import (
    Pollers,
    Steps,
    assert_all_answered,
    assert_no_outage,
    polling_driver,
    record_move,
)
from tests.live.standin_vm import unused_cidr
from tests.live.test_vm_boot import PATIENT, live_rules

pytestmark = pytest.mark.live
APP = "hp-dockervm"  # no other live test uses it: teardown removes what carries it
LIVE_IMAGE = "docker.io/hybrid-platform/live:1.0"  # pre-loaded on the VM base image
URL = "http://api:8080/cgi-bin/copy"  # each copy answers "container <its hostname>"
READY = "pulumi-python:dynamic:Resource"
DWELL = 5.0  # seconds each step's graph serves before the next `pulumi up`
SPEC: dict[str, Any] = {
    "app": APP,
    "services": {
        "web": {"image": LIVE_IMAGE, "depends_on": ["api"], "tmpfs": ["/tmp"]},
        "other": {"image": LIVE_IMAGE},
        "api": {
            "image": LIVE_IMAGE,
            "ports": [{"name": "http", "port": 8080}],
            "health": {"http": {"path": "/healthz", "port": 8080}, **PATIENT},
            "resources": {"cpus": 0.5, "memory": "128Mi"},
        },
    },
}
STEPS = ("before", "start", "switch", "finish")


@dataclass
class DockerVm:
    """What the move did, what the clients saw, and how long it took."""

    graphs: dict[str, PreviewResult]
    live: LiveApp
    docker: DockerDriver
    libvirt: LibvirtDriver
    pool: str
    network: dict[str, str]  # the stack's libvirt.network
    pollers: Pollers
    steps: Steps
    machines: list[Machine] = field(default_factory=list)
    timings: dict[str, float] = field(default_factory=dict)
    end: float = 0.0

    def close(self) -> None:
        """Remove everything the run made (what is still there)."""
        self.docker.destroy(APP)
        self.libvirt.destroy()
        for command in ("pool-destroy", "pool-delete", "pool-undefine"):
            virsh(command, self.pool, check=False)

    def vm(self) -> Machine:
        (machine,) = self.machines
        return machine

    def container(self, service: str) -> Any:
        (found,) = self.live.client.containers.list(
            filters={"label": [f"{APP_LABEL}={APP}", f"{SERVICE}={service}"]}
        )
        return found


def wait_for_gates(graph: PreviewResult, started: list[Machine]) -> None:
    """What `pulumi up` does for each new domain's readiness gate: the product's own wait,
    with the live domain's name."""
    for machine in started:
        (gate,) = [
            r
            for r in graph.resources
            if r.type == READY and r.inputs.get("domain") == machine.recorded.outputs["name"]
        ]
        wait_until_ready({**gate.inputs, "uri": URI, "domain": machine.name})


@pytest.fixture(scope="module")
def moved(docker_client, vm_base_image, libvirt_for_vms, tmp_path_factory) -> Iterator[DockerVm]:  # type: ignore[no-untyped-def]
    require("ip", "apt-get install iproute2; .ci/run does it")
    folder: Path = tmp_path_factory.mktemp("docker-vm")
    tag = secrets.token_hex(3)
    pool = f"hp-dockervm-{tag}"
    network = {"cidr": unused_cidr(start=secrets.randbelow(254)), "mode": "nat"}
    libvirt = {"pool": pool, "base_image": str(vm_base_image), "domain_type": "qemu",
               "guest_memory_overhead": "384Mi", "network": network}  # fmt: skip
    graphs = record_move(docker_client, folder, SPEC, "api", libvirt)
    pollers = Pollers("web", URL)
    docker = polling_driver(docker_client, tag, pollers, APP)
    live = LiveApp(docker_client, tag)
    libvirt_driver = LibvirtDriver(pool, tag, vm_base_image)
    run = DockerVm(graphs, live, docker, libvirt_driver, pool, network, pollers, Steps(live))

    def apply(graph: PreviewResult) -> None:
        began = time.monotonic()
        _, started = run.libvirt.update(graph)
        wait_for_gates(graph, started)
        if started:
            run.machines += started
            run.timings["new copy ready"] = time.monotonic() - began
        docker.apply_step(live, graph)

    virsh("pool-define-as", pool, "dir", "--target", f"/var/lib/libvirt/images/{pool}")
    try:
        virsh("pool-build", pool)
        virsh("pool-start", pool)
        for name in STEPS:
            run.steps.run(name, partial(apply, graphs[name]))
            run.timings[name] = run.steps.marks[name][1] - run.steps.marks[name][0]
            time.sleep(DWELL)
        for container in live.containers.values():
            pollers.collect("", container)
        run.end = boot_clock()
        yield run
    finally:
        run.close()
        print(f"\ndocker+vm timings: {json.dumps(run.timings, default=round)}")


def _sh(container: Any, line: str) -> tuple[int, str]:
    code, output = container.exec_run(["sh", "-c", line])
    return int(code), output.decode().strip()


# -- the move ----------------------------------------------------------------------------


def test_the_new_copy_was_booted_and_is_kept_to_the_end(moved: DockerVm) -> None:
    assert len(moved.machines) == 1  # created at start, neither updated nor replaced after
    vm = moved.vm()
    assert virsh("domstate", vm.name).stdout.strip() == "running"
    assert moved.libvirt.machines == {vm.recorded.urn: vm}


def test_no_request_failed(moved: DockerVm) -> None:
    assert_all_answered(moved.pollers, at_least=500)  # several per second over the whole move


def test_answers_never_stopped(moved: DockerVm) -> None:
    assert_no_outage(moved.pollers, moved.live, moved.end)


def test_the_old_copy_answers_until_switch_and_the_new_one_after(moved: DockerVm) -> None:
    steps, polls = moved.steps, moved.pollers.polls()
    docker_copy = {f"container {h}" for h in steps.hostnames("api")}
    vm_copy = {p.answer for p in polls if p.ok} - docker_copy
    assert len(vm_copy) == 1, vm_copy  # one VM, one answer
    for label, after in zip(STEPS, [*STEPS[1:], None], strict=True):
        answers = steps.between(polls, label, after)
        expected = vm_copy if label in ("switch", "finish") else docker_copy
        assert answers and answers <= expected, f"after {label}: {answers}"
    for container in {p.container for p in polls}:
        answers = {p.answer for p in polls if p.container == container and p.ok}
        created = steps.created_in(container)
        expected = vm_copy if created in ("switch", "finish") else docker_copy
        assert answers <= expected, f"web created at {created} got {answers}"


# -- placement: api on the VM, web and other on Docker -------------------------------------


def test_a_docker_client_reaches_the_vm_by_name_on_its_port(moved: DockerVm) -> None:
    web, vm = moved.container("web"), moved.vm()
    code, hosts = _sh(web, "cat /etc/hosts")
    assert code == 0 and [vm.address, "api"] in [line.split() for line in hosts.splitlines()], hosts
    assert _sh(web, "hp-connect api 8080") == (0, "")
    code, answer = _sh(web, f"timeout 10 wget -q -O- {URL}")
    assert (
        code == 0
        and answer.startswith("container ")
        and answer not in {f"container {h}" for h in moved.steps.hostnames("api")}
    ), answer


def test_a_docker_container_that_is_no_client_does_not_reach_it(moved: DockerVm) -> None:
    other, vm = moved.container("other"), moved.vm()
    assert _sh(other, "hp-connect api 8080")[0] == 2  # the name does not resolve
    assert _sh(other, f"hp-connect {vm.address} 8080")[0] == 1  # nor does the address answer


def test_the_vm_admits_the_docker_host_alone_on_the_port(moved: DockerVm) -> None:
    vm = moved.vm()
    run = guest_agent.shell(vm.name, "nft -j list ruleset")
    assert run.code == 0, run.stderr
    policy, allowed = live_rules(json.loads(run.stdout), "input")
    gateway = str(ipaddress.ip_network(moved.network["cidr"]).network_address + 1)
    assert policy == "drop"
    assert {rule for rule in allowed if rule[2] == "8080"} == {(gateway, "tcp", "8080")}, allowed


def test_teardown_leaves_nothing_behind(moved: DockerVm) -> None:
    names = list(moved.libvirt.live.values())
    assert names
    moved.close()
    client, selector = moved.live.client, {"label": f"{APP_LABEL}={APP}"}
    assert client.containers.list(all=True, filters=selector) == []
    assert client.networks.list(filters=selector) == []
    assert client.volumes.list(filters=selector) == []
    tag = moved.libvirt.tag
    assert [n for n in virsh("list", "--all", "--name").stdout.split() if tag in n] == []
    assert [n for n in virsh("net-list", "--all", "--name").stdout.split() if tag in n] == []
    assert virsh("pool-info", moved.pool, check=False).returncode != 0
