"""Looking inside a running VM through the QEMU guest agent (`virsh qemu-agent-command`):
no network path to the guest and no SSH key are needed, so what is observed is not
changed by observing it (the guest's firewall does not see these calls)."""

from __future__ import annotations

import base64
import json
import subprocess
import time
from dataclasses import dataclass
from typing import Any

URI = "qemu:///system"


class AgentError(RuntimeError):
    """The agent did not answer, or answered with an error."""


@dataclass(frozen=True)
class Exec:
    """A finished command: exit code and output."""

    code: int
    stdout: str
    stderr: str


def command(domain: str, execute: str, arguments: dict[str, Any] | None = None, timeout: int = 10) -> Any:
    """One agent command; its `return` value."""
    request = json.dumps({"execute": execute, **({"arguments": arguments} if arguments else {})})
    run = subprocess.run(
        ["virsh", "-c", URI, "qemu-agent-command", domain, request, "--timeout", str(timeout)],
        capture_output=True, text=True, timeout=timeout + 30,
    )  # fmt: skip
    if run.returncode != 0:
        raise AgentError(f"{domain}: {execute}: {run.stderr.strip() or run.stdout.strip()}")
    return json.loads(run.stdout)["return"]


def wait_until_up(domain: str, timeout: float) -> float:
    """Seconds until the agent answered `guest-ping`; AgentError after `timeout`."""
    started = time.monotonic()
    last = ""
    while time.monotonic() - started < timeout:
        try:
            command(domain, "guest-ping", timeout=5)
            return time.monotonic() - started
        except (AgentError, subprocess.TimeoutExpired) as error:
            last = str(error)
        time.sleep(5)
    raise AgentError(f"{domain}: no guest agent after {timeout:.0f} s (last: {last})")


def run(domain: str, argv: list[str], timeout: float = 120, stdin: str | None = None) -> Exec:
    """Run `argv` in the guest as root and wait for it (`guest-exec`, `guest-exec-status`)."""
    arguments: dict[str, Any] = {"path": argv[0], "arg": argv[1:], "capture-output": True}
    if stdin is not None:
        arguments["input-data"] = base64.b64encode(stdin.encode()).decode()
    pid = command(domain, "guest-exec", arguments)["pid"]
    deadline = time.monotonic() + timeout
    while True:
        status = command(domain, "guest-exec-status", {"pid": pid})
        if status.get("exited"):
            return Exec(
                int(status.get("exitcode", -1)),
                base64.b64decode(status.get("out-data", "")).decode(errors="replace"),
                base64.b64decode(status.get("err-data", "")).decode(errors="replace"),
            )
        if time.monotonic() > deadline:
            raise AgentError(f"{domain}: {' '.join(argv)} still running after {timeout:.0f} s")
        time.sleep(0.5)


def shell(domain: str, line: str, timeout: float = 120) -> Exec:
    """`run` of one `sh -c` line."""
    return run(domain, ["/bin/sh", "-c", line], timeout)


def read_file(domain: str, path: str) -> str:
    """A guest file's content (`guest-file-open`, `guest-file-read`, `guest-file-close`)."""
    handle = command(domain, "guest-file-open", {"path": path, "mode": "r"})
    chunks = []
    try:
        while True:
            part = command(domain, "guest-file-read", {"handle": handle, "count": 1 << 20})
            chunks.append(base64.b64decode(part.get("buf-b64", "")))
            if part.get("eof"):
                break
    finally:
        command(domain, "guest-file-close", {"handle": handle})
    return b"".join(chunks).decode(errors="replace")
