"""Ports a service listens on, and which of them are published outside the app."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field, model_validator

from .base import SpecModel, with_example
from .names import PortName

PortNumber = Annotated[int, Field(ge=1, le=65535, examples=[8080])]


class PortSpec(SpecModel):
    """A listening port; `public` ports are reachable from outside the app on `host_port`."""

    model_config = with_example(SpecModel.model_config, {"name": "http", "port": 8080})

    name: PortName
    port: PortNumber
    protocol: Annotated[Literal["tcp", "udp"], Field(examples=["tcp"])] = "tcp"
    public: Annotated[bool, Field(examples=[True])] = False
    host_port: PortNumber | None = None

    @model_validator(mode="after")
    def _host_port_needs_public(self) -> PortSpec:
        if self.host_port is not None and not self.public:
            raise ValueError("host_port is set but public is false; set public: true or remove host_port")
        return self
