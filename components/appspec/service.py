"""One service of the app: what runs, how it is reached, kept, checked and isolated."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field

from .base import SpecModel, with_example
from .health import HealthSpec
from .limits import (
    MAX_DEPENDS_ON,
    MAX_ENV,
    MAX_PORTS,
    MAX_SECRET_ENV,
    MAX_TMPFS,
    MAX_VOLUMES,
    at_most,
)
from .names import Command, EnvName, EnvValue, ImageRef, SecretName, ServiceName, UserId
from .ports import PortSpec
from .resources import ResourcesSpec
from .volumes import AbsolutePath, VolumeSpec

Isolation = Literal["container", "sandbox", "vm"]
ISOLATION_STRENGTH: dict[str, int] = {"container": 0, "sandbox": 1, "vm": 2}


class ServiceSpec(SpecModel):
    """A service; every target honours every field or says clearly that it cannot."""

    model_config = with_example(SpecModel.model_config, {"image": "example/app:1.2.0"})

    image: ImageRef
    command: Command | None = None
    env: Annotated[
        dict[EnvName, EnvValue],
        at_most(MAX_ENV, "env entries"),
        Field(examples=[{"LOG_LEVEL": "info"}]),
    ] = {}
    secret_env: Annotated[
        dict[EnvName, SecretName],
        at_most(MAX_SECRET_ENV, "secret_env entries"),
        Field(examples=[{"DB_PASSWORD": "db-password"}]),
    ] = {}
    ports: Annotated[
        list[PortSpec], Field(examples=[[{"name": "http", "port": 8080}]]), at_most(MAX_PORTS, "ports")
    ] = []
    replicas: Annotated[int, Field(ge=0, le=1000, examples=[2])] = 1
    resources: ResourcesSpec = ResourcesSpec()
    health: HealthSpec | None = None
    volumes: Annotated[
        list[VolumeSpec],
        Field(examples=[[{"name": "data", "path": "/var/lib/data", "size": "1Gi"}]]),
        at_most(MAX_VOLUMES, "volumes"),
    ] = []
    tmpfs: Annotated[
        list[AbsolutePath],
        at_most(MAX_TMPFS, "tmpfs mounts"),
        Field(examples=[["/tmp"]]),
    ] = []
    depends_on: Annotated[
        list[ServiceName],
        at_most(MAX_DEPENDS_ON, "dependencies"),
        Field(examples=[["db"]]),
    ] = []
    egress: Annotated[bool, Field(examples=[False])] = False
    isolation: Annotated[Isolation, Field(examples=["sandbox"])] = "container"
    user: UserId | None = None
    read_only_root: Annotated[bool, Field(examples=[True])] = True

    @property
    def public_ports(self) -> list[PortSpec]:
        """Ports reachable from outside the app."""
        return [p for p in self.ports if p.public]
