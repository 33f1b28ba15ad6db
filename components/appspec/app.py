"""The application spec: a name and its services."""

from __future__ import annotations

from typing import Annotated

from pydantic import Field

from .base import SpecModel, with_example
from .limits import MAX_SERVICES, at_most
from .names import AppName, ServiceName
from .service import ServiceSpec


class AppSpec(SpecModel):
    """The whole app. Relations between services are checked by `check_app`."""

    model_config = with_example(
        SpecModel.model_config | {"title": "hybrid-platform application spec"},
        {"app": "voting", "services": {"web": {"image": "example/web:1.0"}}},
    )

    app: AppName
    services: Annotated[
        dict[ServiceName, ServiceSpec],
        Field(min_length=1, examples=[{"web": {"image": "example/web:1.0"}}]),
        at_most(MAX_SERVICES, "services"),
    ]
