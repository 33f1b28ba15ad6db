"""A memory limit."""

from __future__ import annotations

from ...framework import Messages, Params, Resource, control
from . import CONTAINER


@control(
    id="docker-memory-limit",
    target="docker",
    severity="medium",
    benchmark="CIS Docker 5.11",
    description="Containers have a memory limit.",
    remediation="Set resources.memory in the spec.",
    isolation=True,
    types=CONTAINER,
)
def memory_limit(r: Resource, _: Params) -> Messages:
    if "memory" not in r.props or r.props.get("memory") == 0:
        yield "has no memory limit"
