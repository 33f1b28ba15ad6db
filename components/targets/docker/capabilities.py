"""What the Docker target can express, and the gaps it declares (see `Capabilities`)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..capabilities import Capabilities

if TYPE_CHECKING:
    from ...resolve import ResolvedService

CAPABILITIES = Capabilities(
    target="docker",
    isolation={
        "container": "hardened containers on the host's kernel",
        "sandbox": "the sandbox runtime (docker.sandbox_runtime, gVisor runsc by default)",
    },
    enforces_direction=False,
    host_ports="published by replica 0 on docker.bind_address",
    volume_sizes=False,
    probes={
        "http": "wget, curl or nc through /bin/sh in the container",
        "tcp": "nc (or bash /dev/tcp) through /bin/sh in the container",
        "exec": "the command, in the container",
    },
    reached_from_outside="the service's published port on the Docker host",
    gaps={
        "health.http": "runs `wget` or `curl` in the container via /bin/sh; images without them need exec",
        "health.tcp": "runs `nc` (or bash /dev/tcp) inside the container via /bin/sh",
        "volumes.size": "not enforced by Docker's local volume driver; recorded as a label",
        "isolation.vm": "no own kernel on Docker: runs under the sandbox runtime; the policy pack rejects it",
        "ports.host_port": (
            "one host port is published by replica 0 only; other replicas serve inside the app"
        ),
        "egress.host": (
            "without egress a service reaches nothing beyond the Docker host (internal networks; no "
            "masquerading on a public service's edge network), but Docker does not stop traffic to the "
            "host's own addresses"
        ),
        "traffic.direction": (
            "a depends_on pair shares one network, so the server can also open connections back to its "
            "client's address (not by name); only the vm and Kubernetes targets enforce direction"
        ),
    },
)


def limitations(service: ResolvedService) -> list[str]:
    """Warnings for the gaps that affect this service."""
    spec, found = service.spec, []
    if spec.isolation == "vm":
        found.append(f"service {service.name}: isolation vm: {CAPABILITIES.gaps['isolation.vm']}")
    if spec.replicas > 1 and any(p.host_port for p in spec.ports):
        gap = CAPABILITIES.gaps["ports.host_port"]
        found.append(f"service {service.name}: host_port with {spec.replicas} replicas: {gap}")
    return found
