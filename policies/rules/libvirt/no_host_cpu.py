"""A named CPU model, not the host's."""

from __future__ import annotations

from ...framework import Messages, Params, Resource, control
from ...read import get
from . import DOMAIN


@control(
    id="libvirt-no-host-cpu",
    target="libvirt",
    severity="medium",
    benchmark="libvirt security: CPU model",
    description="VMs do not get the host CPU model passed through.",
    remediation="Leave cpu.mode unset (a named model).",
    isolation=False,
    types=DOMAIN,
)
def no_host_cpu(r: Resource, _: Params) -> Messages:
    if get(r.props, "cpu", "mode") in ("host-passthrough", "host-model"):
        yield f"exposes the host CPU ({get(r.props, 'cpu', 'mode')}); migration and side channels widen"
