"""Per-stack overrides of a service's replicas, resources and image, merged onto the spec."""

from __future__ import annotations

from typing import Annotated, Any

from pydantic import Field, TypeAdapter, ValidationError

from .app import AppSpec
from .base import SpecModel, with_example
from .checks import check_app
from .errors import Problem, SpecError, problems_from
from .limits import MAX_SERVICES, at_most
from .names import ImageRef, ServiceName
from .resources import ResourcesOverride
from .service import ServiceSpec


class ServiceOverride(SpecModel):
    """What a stack may change about one service."""

    model_config = with_example(SpecModel.model_config, {"replicas": 3})

    replicas: Annotated[int, Field(ge=0, le=1000, examples=[3])] | None = None
    resources: ResourcesOverride | None = None
    image: ImageRef | None = None


OverridesMap = Annotated[dict[ServiceName, ServiceOverride], at_most(MAX_SERVICES, "services")]
_OVERRIDES = TypeAdapter(OverridesMap)


def apply_overrides(spec: AppSpec, data: Any, source: str, prefix: str = "overrides.") -> AppSpec:
    """Merge `data` (`{service: {replicas, resources, image}}`) onto `spec`.

    Errors name `source` (the stack file) and `prefix` + the field path."""
    if data is None:
        return spec
    if not isinstance(data, dict):
        raise SpecError(
            source,
            [
                Problem(
                    prefix.rstrip("."),
                    "must be a mapping of service name to {replicas, resources, image}",
                )
            ],
        )
    try:
        overrides = _OVERRIDES.validate_python(data, strict=True)
    except ValidationError as error:
        raise SpecError(source, problems_from(error, OverridesMap, prefix=prefix, data=data)) from None
    unknown = [
        Problem(
            f"{prefix}{name}",
            f"no such service in the spec; services are: {', '.join(sorted(spec.services))}",
        )
        for name in overrides
        if name not in spec.services
    ]
    if unknown:
        raise SpecError(source, unknown)
    services = dict(spec.services)
    for name, override in overrides.items():
        services[name] = _merge(services[name], override)
    merged = spec.model_copy(update={"services": services})
    problems = check_app(merged)
    if problems:
        raise SpecError(source, problems)
    return merged


def _merge(service: ServiceSpec, override: ServiceOverride) -> ServiceSpec:
    update: dict[str, Any] = {}
    if override.replicas is not None:
        update["replicas"] = override.replicas
    if override.image is not None:
        update["image"] = override.image
    if override.resources is not None:
        update["resources"] = service.resources.model_copy(
            update={k: v for k, v in override.resources.model_dump().items() if v is not None}
        )
    return service.model_copy(update=update)
