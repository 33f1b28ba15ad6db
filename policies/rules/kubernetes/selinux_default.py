"""SELinux labels stay the runtime's (PSS baseline)."""

from __future__ import annotations

from ...framework import Messages, Params, Resource, control
from ...read import as_dict
from . import WORKLOADS, security_contexts

SELINUX_TYPES = {"", "container_t", "container_init_t", "container_kvm_t", "container_engine_t"}


@control(
    id="k8s-selinux-default",
    target="kubernetes",
    severity="high",
    benchmark="PSS baseline: SELinux",
    description="No custom SELinux user, role or type.",
    remediation="Remove seLinuxOptions overrides.",
    isolation=True,
    types=WORKLOADS,
)
def selinux_default(r: Resource, _: Params) -> Messages:
    for where, ctx in security_contexts(r):
        options = as_dict(ctx.get("seLinuxOptions"))
        if options.get("type", "") not in SELINUX_TYPES or options.get("user") or options.get("role"):
            yield f"{where} sets a custom SELinux user, role or type"
