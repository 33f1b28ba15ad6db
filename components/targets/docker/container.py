"""One replica of a service -> the arguments of a hardened `docker.Container`.

Units as the provider wants them: `memory` in MiB (the provider multiplies by
1024*1024), `cpus` as a decimal string, healthcheck durations as Go duration
strings, labels as label args. No `name`: Pulumi auto-names containers.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import pulumi
import pulumi_docker as docker

from ... import vocabulary
from ...appspec.units import cpus_text, mib_ceil
from ...resolve import ResolvedService
from ...wiring.plan import Wiring
from ..declared import declared_labels, gap_labels
from ..hardening import DROP_CAPABILITIES, NO_NEW_PRIVILEGES, TMPFS_OPTIONS, added_capabilities
from .healthcheck import build_healthcheck
from .settings import DockerSettings


@dataclass(frozen=True)
class Attachment:
    """A network the replica joins, and the names it answers to there."""

    network: pulumi.Input[str]
    aliases: tuple[str, ...]


@dataclass(frozen=True)
class Mount:
    """A named volume mounted at `path`."""

    volume: pulumi.Input[str]
    path: str


def container_labels(service: ResolvedService, replica: int, wiring: Wiring | None = None) -> dict[str, str]:
    """The service's labels, its replica, what the spec declares public and secret, and the
    ports it publishes for peers on other targets, so policies can check the container
    against the spec."""
    wiring = wiring or Wiring()
    found = {**service.labels, vocabulary.REPLICA: str(replica), **declared_labels(service)}
    if service.name in wiring.exposed_on and service.spec.ports:
        found[vocabulary.PEER_PORTS] = vocabulary.join([f"{p.port}/{p.protocol}" for p in service.spec.ports])
    return {**found, **gap_labels(wiring, service.name)}


def _ports(
    service: ResolvedService, replica: int, settings: DockerSettings, wiring: Wiring
) -> list[docker.ContainerPortArgs]:
    """Public ports on the bind address (a fixed host port on replica 0 only), and for peers
    on other targets every port on the address they reach the Docker host at (replica 0)."""
    spec, first = service.spec, replica == 0
    ports = [
        docker.ContainerPortArgs(
            internal=p.port, external=p.host_port, ip=settings.bind_address, protocol=p.protocol
        )
        for p in spec.public_ports
        if first or p.host_port is None
    ]
    if first:
        ports += [
            docker.ContainerPortArgs(internal=p.port, external=p.port, ip=address, protocol=p.protocol)
            for address in wiring.exposed_on.get(service.name, ())
            for p in spec.ports
        ]
    return ports


def build_container_args(
    service: ResolvedService,
    replica: int,
    image: pulumi.Input[str],
    networks: Sequence[Attachment],
    mounts: Sequence[Mount],
    secret_env: Sequence[pulumi.Input[str]],
    settings: DockerSettings,
    wiring: Wiring | None = None,
) -> docker.ContainerArgs:
    """Every spec field of one replica, mapped onto the provider's arguments; `wiring` adds
    host entries for servers on other targets and ports published for clients there."""
    spec, wiring = service.spec, wiring or Wiring()
    peers = [p for p in wiring.servers.get(service.name, ()) if p.addresses]
    return docker.ContainerArgs(
        image=image,
        command=spec.command,
        envs=[f"{k}={v}" for k, v in spec.env.items()] + list(secret_env),
        user=spec.user,
        labels=[
            docker.ContainerLabelArgs(label=k, value=v)
            for k, v in container_labels(service, replica, wiring).items()
        ],
        memory=mib_ceil(spec.resources.memory),
        memory_swap=mib_ceil(spec.resources.memory),
        cpus=cpus_text(spec.resources.cpus),
        read_only=spec.read_only_root,
        tmpfs={path: TMPFS_OPTIONS for path in spec.tmpfs} or None,
        capabilities=docker.ContainerCapabilitiesArgs(
            drops=list(DROP_CAPABILITIES), adds=list(added_capabilities(p.port for p in spec.ports)) or None
        ),
        security_opts=[f"{NO_NEW_PRIVILEGES}:true"],
        runtime=settings.sandbox_runtime if spec.isolation != "container" else None,
        restart="unless-stopped",
        healthcheck=build_healthcheck(service.health) if service.health else None,
        wait=service.health is not None,
        wait_timeout=service.health.wait_seconds if service.health else None,
        ports=_ports(service, replica, settings, wiring) or None,
        hosts=[docker.ContainerHostArgs(host=p.service, ip=p.addresses[0]) for p in peers] or None,
        networks_advanced=[
            docker.ContainerNetworksAdvancedArgs(name=n.network, aliases=list(n.aliases) or None)
            for n in networks
        ]
        or None,
        network_mode=None if networks else "none",
        volumes=[docker.ContainerVolumeArgs(volume_name=m.volume, container_path=m.path) for m in mounts]
        or None,
    )
