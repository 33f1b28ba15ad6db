"""Namespaces joined from another container."""

from __future__ import annotations

from ...framework import Messages, Params, Resource, control
from . import CONTAINER


@control(
    id="docker-no-shared-namespaces",
    target="docker",
    severity="high",
    benchmark="CIS Docker 5.10/5.16/5.17",
    description="Containers do not join another container's namespaces.",
    remediation="Give every service its own namespaces; talk over the app's networks.",
    isolation=True,
    types=CONTAINER,
)
def no_shared_namespaces(r: Resource, _: Params) -> Messages:
    for key in ("networkMode", "pidMode", "ipcMode"):
        value = r.props.get(key)
        if isinstance(value, str) and value.startswith("container:"):
            yield f"joins another container's namespace ({key}: {value})"
