"""What the VM target can express, and the gaps it declares (see `Capabilities`)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..capabilities import Capabilities

if TYPE_CHECKING:
    from ...resolve import ResolvedService

CAPABILITIES = Capabilities(
    target="vm",
    isolation={
        "container": "a VM per replica (more than asked)",
        "sandbox": "a VM per replica (more than asked)",
        "vm": "a VM per replica: its own kernel",
    },
    enforces_direction=True,
    host_ports="not applied: public ports answer on every replica's address",
    volume_sizes=True,
    probes={
        "http": "Podman's health check: wget, curl or nc through /bin/sh in the container",
        "tcp": "Podman's health check: nc (or bash /dev/tcp) through /bin/sh in the container",
        "exec": "Podman's health check: the command, in the container",
    },
    reached_from_outside="the replica VMs' addresses on the app's libvirt network",
    gaps={
        "ports.host_port": (
            "not applied: public ports answer on every replica's address; reaching them from "
            "beyond the host needs network mode route or a port forward on the host"
        ),
        "labels": "libvirt has no labels: a domain carries them in its description, the rest in names",
        "images": "pulled by Podman at first boot, before outbound is cut; mode none needs them pre-loaded",
        "replacement": (
            "a VM is replaced delete-first: its address and data disks belong to one VM at a time; "
            "with libvirt.guest_agent replicas are replaced one at a time, each after the one before "
            "is healthy, without it all at once"
        ),
        "hosts.nat": "with several hosts and mode nat, clients on another host cannot reach a service",
    },
)


def limitations(
    service: ResolvedService, network_mode: str, hosts: int, guest_agent: bool = False
) -> list[str]:
    """Warnings for the gaps that affect this service."""
    found = []
    if any(p.host_port for p in service.spec.ports):
        found.append(f"service {service.name}: host_port {CAPABILITIES.gaps['ports.host_port']}")
    if service.spec.replicas > 1 and not guest_agent:
        found.append(
            f"service {service.name}: its {service.spec.replicas} replicas are replaced together on an "
            "update (no readiness gate without libvirt.guest_agent: true)"
        )
    if network_mode == "nat" and hosts > 1 and service.clients:
        found.append(
            f"service {service.name}: clients on other hosts cannot reach it through per-host NAT networks; "
            "use libvirt.network.mode route"
        )
    return found
