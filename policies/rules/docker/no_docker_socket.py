"""The Docker socket gives control of the whole host."""

from __future__ import annotations

from ...framework import Messages, Params, Resource, control
from . import CONTAINER, mount_sources

DOCKER_SOCKETS = ("/var/run/docker.sock", "/run/docker.sock")


@control(
    id="docker-no-docker-socket",
    target="docker",
    severity="critical",
    benchmark="CIS Docker 5.32",
    description="The Docker socket is not mounted into containers.",
    remediation="Remove the docker.sock mount; a container with it controls the host.",
    isolation=True,
    types=CONTAINER,
)
def no_docker_socket(r: Resource, _: Params) -> Messages:
    for source in mount_sources(r):
        if source in DOCKER_SOCKETS:
            yield f"mounts the Docker socket {source}: control of the whole host"
