"""A health check."""

from __future__ import annotations

from ...framework import Messages, Params, Resource, control
from ...read import get
from . import CONTAINER


@control(
    id="docker-healthcheck",
    target="docker",
    severity="low",
    benchmark="CIS Docker 4.6",
    description="Containers have a health check.",
    remediation="Add health to the service in the spec.",
    isolation=False,
    types=CONTAINER,
    concern="healthcheck",
)
def healthcheck(r: Resource, _: Params) -> Messages:
    tests = get(r.props, "healthcheck", "tests")
    if "healthcheck" not in r.props or (isinstance(tests, list) and tests[:1] == ["NONE"]):
        yield "has no health check"
