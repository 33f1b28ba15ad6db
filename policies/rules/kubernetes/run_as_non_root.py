"""runAsNonRoot on every container (PSS restricted)."""

from __future__ import annotations

from ...framework import Messages, Params, Resource, control
from ...read import containers, get, pod_spec
from . import WORKLOADS


@control(
    id="k8s-run-as-non-root",
    target="kubernetes",
    severity="high",
    benchmark="PSS restricted: Running as Non-root",
    description="Containers must run as non-root.",
    remediation='Set runAsNonRoot: true and user: "UID:GID" in the spec.',
    isolation=True,
    types=WORKLOADS,
)
def run_as_non_root(r: Resource, _: Params) -> Messages:
    pod_level = get(pod_spec(r), "securityContext", "runAsNonRoot")
    for c in containers(r):
        own = get(c, "securityContext", "runAsNonRoot")
        if own is False or (own is None and pod_level is not True):
            yield f"container {c.get('name')} may run as root (runAsNonRoot is not true)"
