"""Host devices stay out of containers."""

from __future__ import annotations

from ...framework import Messages, Params, Resource, control
from ...read import as_list, get
from . import CONTAINER


@control(
    id="docker-no-host-devices",
    target="docker",
    severity="high",
    benchmark="CIS Docker 5.18",
    description="No host device is passed into a container.",
    remediation="Remove devices.",
    isolation=True,
    types=CONTAINER,
)
def no_host_devices(r: Resource, _: Params) -> Messages:
    for device in as_list(r.props.get("devices")):
        yield f"gets the host device {get(device, 'hostPath')}"
