"""No privilege escalation (PSS restricted)."""

from __future__ import annotations

from ...framework import Messages, Params, Resource, control
from ...read import containers, get
from . import WORKLOADS


@control(
    id="k8s-no-privilege-escalation",
    target="kubernetes",
    severity="high",
    benchmark="PSS restricted: Privilege Escalation",
    description="allowPrivilegeEscalation is false in every container.",
    remediation="Set securityContext.allowPrivilegeEscalation: false.",
    isolation=True,
    types=WORKLOADS,
)
def no_privilege_escalation(r: Resource, _: Params) -> Messages:
    for c in containers(r):
        if get(c, "securityContext", "allowPrivilegeEscalation") is not False:
            yield f"container {c.get('name')} may escalate privileges (allowPrivilegeEscalation is not false)"
