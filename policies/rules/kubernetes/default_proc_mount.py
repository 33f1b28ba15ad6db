"""/proc stays masked (PSS baseline)."""

from __future__ import annotations

from ...framework import Messages, Params, Resource, control
from ...read import containers, get
from . import WORKLOADS


@control(
    id="k8s-default-proc-mount",
    target="kubernetes",
    severity="high",
    benchmark="PSS baseline: /proc Mount Type",
    description="/proc stays masked.",
    remediation="Remove procMount: Unmasked.",
    isolation=True,
    types=WORKLOADS,
)
def default_proc_mount(r: Resource, _: Params) -> Messages:
    for c in containers(r):
        if get(c, "securityContext", "procMount") not in (None, "Default"):
            yield f"container {c.get('name')} unmasks /proc"
