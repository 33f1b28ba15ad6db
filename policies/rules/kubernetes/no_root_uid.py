"""No UID 0 (PSS restricted)."""

from __future__ import annotations

from ...framework import Messages, Params, Resource, control
from ...judge import uid
from . import WORKLOADS, security_contexts


@control(
    id="k8s-no-root-uid",
    target="kubernetes",
    severity="high",
    benchmark="PSS restricted: Running as Non-root user",
    description="No container runs as UID 0.",
    remediation="Set user to a non-zero UID in the spec.",
    isolation=True,
    types=WORKLOADS,
)
def no_root_uid(r: Resource, _: Params) -> Messages:
    for where, ctx in security_contexts(r):
        if uid(ctx.get("runAsUser")) == 0:
            yield f"{where} runs as UID 0"
