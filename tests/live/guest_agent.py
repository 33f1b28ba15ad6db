"""Looking inside a running VM through the QEMU guest agent (`virsh qemu-agent-command`):
no network path to the guest and no SSH key are needed, so what is observed is not
changed by observing it (the guest's firewall does not see these calls)."""

from __future__ import annotations

import base64
import subprocess
import time
from typing import Any

from components.targets.libvirt import agent
from components.targets.libvirt.agent import AgentError, Exec

URI = "qemu:///system"
__all__ = ["AgentError", "Exec", "command", "read_file", "run", "shell", "wait_until_up"]


def command(domain: str, execute: str, arguments: dict[str, Any] | None = None, timeout: int = 10) -> Any:
    """One agent command on this machine's libvirt; its `return` value."""
    return agent.command(URI, domain, execute, arguments, timeout)


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
    """Run `argv` in the guest as root and wait for it."""
    return agent.run(URI, domain, argv, timeout, stdin)


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
