"""Commands inside a running VM through the QEMU guest agent (`virsh qemu-agent-command`):
no network path into the guest and no port opened for it, so a readiness check never
changes what the guest's firewall admits. Needs `virsh` where it runs and the agent
(`qemu-guest-agent`) on the base image."""

from __future__ import annotations

import base64
import json
import subprocess
import time
from dataclasses import dataclass
from typing import Any


class AgentError(RuntimeError):
    """The agent did not answer, or answered with an error."""


@dataclass(frozen=True)
class Exec:
    """A finished command: exit code and output."""

    code: int
    stdout: str
    stderr: str


def command(
    uri: str, domain: str, execute: str, arguments: dict[str, Any] | None = None, timeout: int = 10
) -> Any:
    """One agent command; its `return` value."""
    request = json.dumps({"execute": execute, **({"arguments": arguments} if arguments else {})})
    run = subprocess.run(
        ["virsh", "-c", uri, "qemu-agent-command", domain, request, "--timeout", str(timeout)],
        capture_output=True,
        text=True,
        timeout=timeout + 30,
        check=False,
    )
    if run.returncode != 0:
        raise AgentError(f"{domain}: {execute}: {run.stderr.strip() or run.stdout.strip()}")
    return json.loads(run.stdout)["return"]


def run(uri: str, domain: str, argv: list[str], timeout: float = 120, stdin: str | None = None) -> Exec:
    """Run `argv` in the guest as root and wait for it (`guest-exec`, `guest-exec-status`)."""
    arguments: dict[str, Any] = {"path": argv[0], "arg": argv[1:], "capture-output": True}
    if stdin is not None:
        arguments["input-data"] = base64.b64encode(stdin.encode()).decode()
    pid = command(uri, domain, "guest-exec", arguments)["pid"]
    deadline = time.monotonic() + timeout
    while True:
        status = command(uri, domain, "guest-exec-status", {"pid": pid})
        if status.get("exited"):
            return Exec(
                int(status.get("exitcode", -1)),
                base64.b64decode(status.get("out-data", "")).decode(errors="replace"),
                base64.b64decode(status.get("err-data", "")).decode(errors="replace"),
            )
        if time.monotonic() > deadline:
            raise AgentError(f"{domain}: {' '.join(argv)} still running after {timeout:.0f} s")
        time.sleep(0.5)
