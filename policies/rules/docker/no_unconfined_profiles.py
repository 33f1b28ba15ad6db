"""Seccomp and AppArmor stay on."""

from __future__ import annotations

from ...framework import Messages, Params, Resource, control
from . import CONTAINER, security_opts


@control(
    id="docker-no-unconfined-profiles",
    target="docker",
    severity="critical",
    benchmark="CIS Docker 5.1/5.21",
    description="Seccomp and AppArmor are not switched off.",
    remediation="Remove seccomp=unconfined / apparmor=unconfined from securityOpts.",
    isolation=True,
    types=CONTAINER,
)
def no_unconfined_profiles(r: Resource, _: Params) -> Messages:
    for opt in security_opts(r) or []:
        if opt in ("seccomp=unconfined", "apparmor=unconfined"):
            yield f"runs with {opt}"
