"""What the Docker target cannot express exactly, said in one place.

`CAPABILITIES` documents each gap (README links here); `limitations()` turns
the ones that apply to a service into warnings shown by `pulumi up` and the
offline preview.
"""

from __future__ import annotations

from ...resolve import ResolvedService

CAPABILITIES: dict[str, str] = {
    "health.http": "runs `wget` or `curl` in the container via /bin/sh; images without them need exec",
    "health.tcp": "runs `nc` (or bash /dev/tcp) inside the container via /bin/sh",
    "volumes.size": "not enforced by Docker's local volume driver; recorded as a label",
    "isolation.vm": "no own kernel on Docker: runs under the sandbox runtime; the policy pack rejects it",
    "ports.host_port": "one host port is published by replica 0 only; other replicas serve inside the app",
    "egress.host": (
        "without egress a service reaches nothing beyond the Docker host (internal networks; no "
        "masquerading on a public service's edge network), but Docker does not stop traffic to the "
        "host's own addresses"
    ),
    "traffic.direction": (
        "a depends_on pair shares one network, so the server can also open connections back to its "
        "client's address (not by name); only the vm and Kubernetes targets enforce direction"
    ),
}


def limitations(service: ResolvedService) -> list[str]:
    """Warnings for the gaps that affect this service."""
    spec, found = service.spec, []
    if spec.isolation == "vm":
        found.append(f"service {service.name}: isolation vm: {CAPABILITIES['isolation.vm']}")
    if spec.replicas > 1 and any(p.host_port for p in spec.ports):
        gap = CAPABILITIES["ports.host_port"]
        found.append(f"service {service.name}: host_port with {spec.replicas} replicas: {gap}")
    return found
