"""setuid binaries and file capabilities cannot raise privileges."""

from __future__ import annotations

from ...framework import Messages, Params, Resource, control
from . import CONTAINER, security_opts


@control(
    id="docker-no-new-privileges",
    target="docker",
    severity="high",
    benchmark="CIS Docker 5.25",
    description="Containers cannot gain privileges (setuid, file caps).",
    remediation="Add no-new-privileges:true to securityOpts.",
    isolation=True,
    types=CONTAINER,
)
def no_new_privileges(r: Resource, _: Params) -> Messages:
    opts = security_opts(r)
    if opts is not None and not ({"no-new-privileges", "no-new-privileges=true"} & set(opts)):
        yield "may gain new privileges (no security option no-new-privileges)"
