"""A VM's readiness gate: a dynamic resource whose create (and update) waits until a check
run inside the guest through the QEMU guest agent succeeds, polling every `POLL_SECONDS`
for at most `timeout_seconds`, then fails with the last thing it saw. No port is opened
for it. Preview does not wait.

Its inputs name the domain (its physical name) and the machine's generation (its
instance-id, a hash of the user-data), so a replaced VM changes the gate's inputs and
`pulumi up` waits again. The diff asks for an update, never a replacement: a gate that
depends on a domain replaced delete-first is then not deleted with it (the engine
cascades delete-before-replace only to dependents that would be replaced), which is what
lets a chain of gates roll replicas one at a time (`VmApp`)."""

from __future__ import annotations

import time
from typing import Any

import pulumi
from pulumi.dynamic import CreateResult, DiffResult, Resource, ResourceProvider, UpdateResult

from .agent import AgentError, run

POLL_SECONDS = 5


def wait_until_ready(props: dict[str, Any]) -> None:
    """Poll the check until it exits 0, or raise with the last observation."""
    deadline = time.monotonic() + int(props["timeout_seconds"])
    seen = "no answer yet"
    while time.monotonic() < deadline:
        try:
            done = run(props["uri"], props["domain"], ["/bin/sh", "-c", props["check"]], timeout=60)
            if done.code == 0:
                return
            seen = f"check exited {done.code}: {(done.stderr or done.stdout).strip()[-300:]}"
        except (AgentError, OSError, ValueError) as error:
            seen = str(error)
        time.sleep(POLL_SECONDS)
    raise TimeoutError(f"{props['domain']} not ready after {props['timeout_seconds']} s: {seen}")


class _ReadinessProvider(ResourceProvider):
    def create(self, props: dict[str, Any]) -> CreateResult:
        wait_until_ready(props)
        return CreateResult(id_=f"{props['domain']}-{props['generation']}", outs=props)

    def diff(self, _id: str, olds: dict[str, Any], news: dict[str, Any]) -> DiffResult:
        keys = ("uri", "domain", "generation", "check")
        return DiffResult(changes=any(olds.get(k) != news.get(k) for k in keys), replaces=[])

    def update(self, _id: str, _olds: dict[str, Any], news: dict[str, Any]) -> UpdateResult:
        wait_until_ready(news)
        return UpdateResult(outs=news)


class MachineReadiness(Resource):
    """Exists once `check` succeeds inside the domain (this generation of the machine)."""

    def __init__(
        self,
        name: str,
        uri: str,
        domain: pulumi.Input[str],
        generation: pulumi.Input[str],
        check: str,
        timeout_seconds: int,
        opts: pulumi.ResourceOptions | None = None,
    ) -> None:
        props = {
            "uri": uri,
            "domain": domain,
            "generation": generation,
            "check": check,
            "timeout_seconds": timeout_seconds,
        }
        super().__init__(_ReadinessProvider(), name, props, opts)
