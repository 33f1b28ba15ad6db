"""The application spec: a name and its services."""

from __future__ import annotations

from typing import Annotated

from pydantic import Field

from .base import SpecModel
from .names import AppName, ServiceName
from .service import ServiceSpec


class AppSpec(SpecModel):
    """The whole app. Relations between services are checked by `check_app`."""

    model_config = SpecModel.model_config | {"title": "hybrid-platform application spec"}

    app: AppName
    services: Annotated[dict[ServiceName, ServiceSpec], Field(min_length=1)]
