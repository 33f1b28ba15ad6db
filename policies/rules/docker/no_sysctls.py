"""Kernel parameters are the host's."""

from __future__ import annotations

from ...framework import Messages, Params, Resource, control
from ...read import as_dict
from . import CONTAINER


@control(
    id="docker-no-sysctls",
    target="docker",
    severity="medium",
    benchmark="CIS Docker 5.x (host kernel)",
    description="Containers set no kernel parameters.",
    remediation="Remove sysctls.",
    isolation=True,
    types=CONTAINER,
)
def no_sysctls(r: Resource, _: Params) -> Messages:
    for key in as_dict(r.props.get("sysctls")):
        yield f"sets the kernel parameter {key}"
