"""Published ports bind to one chosen address."""

from __future__ import annotations

from collections.abc import Mapping

from ...framework import Messages, Params, Resource, control
from ...judge import binds_every_interface
from ...read import as_list, unknown
from . import CONTAINER


@control(
    id="docker-no-bind-all-ports",
    target="docker",
    severity="high",
    benchmark="CIS Docker 5.14",
    description="Published ports bind to a chosen address, not all interfaces.",
    remediation="Set docker.bind_address in the stack config to the address that should serve.",
    isolation=True,
    types=CONTAINER,
)
def no_bind_all_ports(r: Resource, _: Params) -> Messages:
    for port in as_list(r.props.get("ports")):
        if isinstance(port, Mapping) and not unknown(port, "ip") and binds_every_interface(port.get("ip")):
            shown = port.get("ip") or "unset: 0.0.0.0"
            yield f"publishes port {port.get('internal')} on all interfaces (ip {shown})"
