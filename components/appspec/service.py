"""One service of the app: what runs, how it is reached, kept, checked and isolated."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field

from .base import SpecModel
from .health import HealthSpec
from .names import EnvName, EnvValue, ImageRef, SecretName, ServiceName, UserId
from .ports import PortSpec
from .resources import ResourcesSpec
from .volumes import AbsolutePath, VolumeSpec

Isolation = Literal["container", "sandbox", "vm"]
ISOLATION_STRENGTH: dict[str, int] = {"container": 0, "sandbox": 1, "vm": 2}


class ServiceSpec(SpecModel):
    """A service; every target honours every field or says clearly that it cannot."""

    image: ImageRef
    command: Annotated[list[str], Field(min_length=1)] | None = None
    env: dict[EnvName, EnvValue] = {}
    secret_env: dict[EnvName, SecretName] = {}
    ports: list[PortSpec] = []
    replicas: Annotated[int, Field(ge=0, le=1000)] = 1
    resources: ResourcesSpec = ResourcesSpec()
    health: HealthSpec | None = None
    volumes: list[VolumeSpec] = []
    tmpfs: list[AbsolutePath] = []
    depends_on: list[ServiceName] = []
    egress: bool = False
    isolation: Isolation = "container"
    user: UserId | None = None
    read_only_root: bool = True

    @property
    def public_ports(self) -> list[PortSpec]:
        """Ports reachable from outside the app."""
        return [p for p in self.ports if p.public]
