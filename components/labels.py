"""Labels every resource carries, on every target, under one prefix."""

from __future__ import annotations

PREFIX = "hybrid-platform.io"
APP = f"{PREFIX}/app"
SERVICE = f"{PREFIX}/service"
ISOLATION = f"{PREFIX}/isolation"
MANAGED_BY = f"{PREFIX}/managed-by"


def labels(app: str, service: str | None = None, isolation: str | None = None) -> dict[str, str]:
    """The labels of a resource of `app` (and of `service` at `isolation`, when it has one)."""
    result = {APP: app, MANAGED_BY: "hybrid-platform"}
    if service is not None:
        result[SERVICE] = service
    if isolation is not None:
        result[ISOLATION] = isolation
    return result
