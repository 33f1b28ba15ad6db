"""Docker's default bridge joins every container on the host."""

from __future__ import annotations

from ...framework import Messages, Params, Resource, control
from . import CONTAINER, named


@control(
    id="docker-no-default-bridge",
    target="docker",
    severity="medium",
    benchmark="CIS Docker 5.29",
    description="Containers are not on Docker's default bridge.",
    remediation="Use the app's networks (the Docker target does) or networkMode none.",
    isolation=True,
    types=CONTAINER,
)
def no_default_bridge(r: Resource, _: Params) -> Messages:
    mode = r.props.get("networkMode")
    unattached = "networkMode" not in r.props and not r.props.get("networksAdvanced")
    if named(mode, "bridge") or named(mode, "default") or unattached:
        yield "uses Docker's default bridge network"
