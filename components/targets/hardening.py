"""The hardening Docker and Podman containers share, stated once (each engine's translator
spells it in its own arguments; Kubernetes pods say the same in a security context)."""

from __future__ import annotations

from collections.abc import Iterable

TMPFS_OPTIONS = "rw,nosuid,nodev"
DROP_CAPABILITIES = ("ALL",)
NO_NEW_PRIVILEGES = "no-new-privileges"
PRIVILEGED_PORTS_BELOW = 1024
BIND_CAPABILITY = "NET_BIND_SERVICE"


def added_capabilities(ports: Iterable[int]) -> tuple[str, ...]:
    """What is added back after dropping ALL: only `NET_BIND_SERVICE`, and only when the
    service listens on a port below 1024 (which a process without it cannot bind)."""
    return (BIND_CAPABILITY,) if any(port < PRIVILEGED_PORTS_BELOW for port in ports) else ()
