"""Host system directories stay out of containers."""

from __future__ import annotations

from ...framework import Messages, Params, Resource, control
from . import CONTAINER, mount_sources
from .no_docker_socket import DOCKER_SOCKETS

SENSITIVE_PATHS = ("/", "/boot", "/dev", "/etc", "/lib", "/proc", "/sys", "/usr", "/var/lib/docker", "/run")


@control(
    id="docker-no-sensitive-host-mounts",
    target="docker",
    severity="critical",
    benchmark="CIS Docker 5.6",
    description="No sensitive host directory is mounted.",
    remediation="Use named volumes; never mount /, /etc, /proc, /sys, /dev, /boot, /usr or /var/lib/docker.",
    isolation=True,
    types=CONTAINER,
)
def no_sensitive_host_mounts(r: Resource, _: Params) -> Messages:
    for source in mount_sources(r):
        sensitive = source in SENSITIVE_PATHS or source.startswith(
            tuple(p + "/" for p in SENSITIVE_PATHS[1:])
        )
        if sensitive and source not in DOCKER_SOCKETS:  # the socket is docker-no-docker-socket's finding
            yield f"mounts the sensitive host path {source}"
