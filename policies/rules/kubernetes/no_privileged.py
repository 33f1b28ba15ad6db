"""A privileged container is root on the node (PSS baseline)."""

from __future__ import annotations

from ...framework import Messages, Params, Resource, control
from ...read import containers, get
from . import WORKLOADS


@control(
    id="k8s-no-privileged",
    target="kubernetes",
    severity="critical",
    benchmark="PSS baseline: Privileged Containers",
    description="No privileged containers.",
    remediation="Remove securityContext.privileged.",
    isolation=True,
    types=WORKLOADS,
)
def no_privileged(r: Resource, _: Params) -> Messages:
    for c in containers(r):
        if get(c, "securityContext", "privileged") is True:
            yield f"container {c.get('name')} is privileged"
