"""A client that keeps calling a service while it moves (README, "Moving a service"): every
container of the client service the Docker driver creates runs `hp-poll` (an HTTP GET of
the service by name every 100 ms, each answer logged with the boot clock), and its log is
read just before the driver deletes it; `Steps` applies one stack config after another
and keeps when each `pulumi up` began and returned; `move_configs` are the configs of a
move from Docker to a VM."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from itertools import pairwise
from pathlib import Path
from typing import Any

from components.offline.runner import PreviewResult
from components.vocabulary import SERVICE
from tests.factory import preview
from tests.live.docker_driver import CONTAINER, IMAGE, DockerDriver, Event, LiveApp, boot_clock
from tests.live.images import build_image

POLL_LOG = "/tmp/poll.log"  # on the client's tmpfs
# A request unanswered after this many seconds fails, and so long without any answer is
# an outage: generous, since two busy cores (a VM under TCG beside) can take a second or two.
REQUEST_TIMEOUT = LONGEST_GAP = 5.0


@dataclass(frozen=True)
class Poll:
    """One request: which container sent it, when (boot clock), whether it was answered,
    and the answer."""

    container: str
    at: float
    ok: bool
    answer: str


@dataclass
class Pollers:
    """The polling containers of `service`: give `started` and `collect` to the driver as
    its `on_created` and `before_delete` hooks."""

    service: str
    url: str
    logs: dict[str, str] = field(default_factory=dict)  # container id -> its poll log

    def started(self, _name: str, container: Any) -> None:
        if container.labels.get(SERVICE) == self.service:
            container.exec_run(["hp-poll", self.url, POLL_LOG, f"{REQUEST_TIMEOUT:g}"], detach=True)

    def collect(self, _name: str, container: Any) -> None:
        if container.labels.get(SERVICE) == self.service:
            self.logs[container.id] = container.exec_run(["cat", POLL_LOG]).output.decode()

    def polls(self) -> list[Poll]:
        """Every request of every polling container, in time order."""
        found = []
        for container, text in self.logs.items():
            for line in text.splitlines():
                at, status, *answer = line.split(" ", 2)
                found.append(Poll(container, float(at), status == "ok", " ".join(answer)))
        return sorted(found, key=lambda p: p.at)


@dataclass
class Steps:
    """Stack configs applied one after another (one `pulumi up` each), labelled; `marks`
    keeps when each began and returned (boot clock)."""

    live: LiveApp
    labels: list[str] = field(default_factory=list)
    marks: dict[str, tuple[float, float]] = field(default_factory=dict)

    def run(self, label: str, apply: Callable[[], object]) -> None:
        began = boot_clock()
        apply()
        self.labels.append(label)
        self.marks[label] = (began, boot_clock())

    def events(self, label: str) -> list[Event]:
        """What the Docker driver did in one step."""
        return [e for e in self.live.events if e.step == self.labels.index(label) + 1]

    def created_in(self, container_id: str) -> str:
        """The step that created a container."""
        (event,) = [e for e in self.live.events if e.action == "create" and e.live == container_id]
        return self.labels[event.step - 1]

    def between(self, polls: list[Poll], after: str, before: str | None) -> set[str]:
        """The answers given from when step `after` returned until step `before` began."""
        start, end = self.marks[after][1], self.marks[before][0] if before else float("inf")
        return {p.answer for p in polls if p.ok and start <= p.at < end}

    def hostnames(self, service: str) -> set[str]:
        """The hostnames (the id's first 12) of every container of `service` the driver made."""
        return {
            e.live[:12]
            for e in self.live.events
            if e.type == CONTAINER and e.action == "create" and e.name.endswith(f"-{service}-0")
        }


def move_configs(service: str, libvirt: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """The stack settings before a move of `service` from docker to vm and at each of its
    steps, as `hybrid move STACK SERVICE --to vm` prints them."""
    moving = {"libvirt": {**libvirt, "guest_agent": True}, "accepted_gaps": ["docker->vm"]}
    return {
        "before": {},
        "start": {**moving, "moves": {service: {"to": "vm", "step": "start"}}},
        "switch": {**moving, "moves": {service: {"to": "vm", "step": "switch"}}},
        "finish": {**moving, "placement": {service: "vm"}},
    }


def record_move(
    client: Any, folder: Path, spec: dict[str, Any], service: str, libvirt: dict[str, Any]
) -> dict[str, PreviewResult]:
    """The graph of each step of `service`'s move (`move_configs`), recorded by the mock
    runtime, with the live-test image built on Docker under every name they use."""
    graphs = {}
    for name, config in move_configs(service, libvirt).items():
        (folder / name).mkdir()
        graphs[name] = preview(folder / name, spec, config, stack="live", target="docker")
    build_image(client, {r.inputs["name"] for g in graphs.values() for r in g.resources if r.type == IMAGE})
    return graphs


def polling_driver(client: Any, tag: str, pollers: Pollers, app: str) -> DockerDriver:
    """A Docker driver that starts and collects `pollers`, after removing whatever an
    interrupted earlier run of `app` left."""
    driver = DockerDriver(client, tag, on_created=pollers.started, before_delete=pollers.collect)
    driver.destroy(app)
    return driver


def assert_all_answered(pollers: Pollers, at_least: int) -> None:
    """No request failed, and there were at least so many."""
    polls = pollers.polls()
    failed = [p for p in polls if not p.ok]
    assert failed == [], f"{len(failed)} of {len(polls)} requests failed, first: {failed[:5]}"
    assert len(polls) >= at_least
    print(f"{len(polls)} requests, all answered, from {len(pollers.logs)} containers")


def assert_no_outage(pollers: Pollers, live: LiveApp, end: float) -> None:
    """From the first polling container's creation to `end`, answers never stopped."""
    first = min(
        e.at for e in live.events if e.action == "create" and e.name.endswith(f"-{pollers.service}-0")
    )
    gap, where = outage(pollers.polls(), first, end)
    print(f"longest time without an answer: {where}")
    assert gap <= LONGEST_GAP, where


def outage(polls: list[Poll], first: float, end: float) -> tuple[float, str]:
    """The longest time without an answer from `first` to `end`, and where it was."""
    answered = [first, *(p.at for p in polls if p.ok), end]
    gap, at = max((b - a, a) for a, b in pairwise(answered))
    return gap, f"{gap:.2f} s from {at:.1f} (boot clock), over {end - first:.1f} s"
