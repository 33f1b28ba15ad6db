"""What the VM target cannot express exactly, said in one place (see the Docker twin)."""

from __future__ import annotations

from ...resolve import ResolvedService

CAPABILITIES: dict[str, str] = {
    "ports.host_port": (
        "not applied: public ports answer on every replica's address; reaching them from "
        "beyond the host needs network mode route or a port forward on the host"
    ),
    "labels": "libvirt has no labels: a domain carries them in its description, the rest in names",
    "images": "pulled by Podman at first boot, before outbound is cut; mode none needs them pre-loaded",
    "replacement": "a VM is replaced delete-first: its address and data disks belong to one VM at a time",
}


def limitations(service: ResolvedService, network_mode: str, hosts: int) -> list[str]:
    """Warnings for the gaps that affect this service."""
    found = []
    if any(p.host_port for p in service.spec.ports):
        found.append(f"service {service.name}: host_port {CAPABILITIES['ports.host_port']}")
    if network_mode == "nat" and hosts > 1 and service.clients:
        found.append(
            f"service {service.name}: clients on other hosts cannot reach it through per-host NAT networks; "
            "use libvirt.network.mode route"
        )
    return found
