"""Seccomp: never off (PSS baseline), always on (PSS restricted)."""

from __future__ import annotations

from ...framework import Messages, Params, Resource, control
from ...read import containers, get, pod_spec
from . import WORKLOADS, security_contexts


@control(
    id="k8s-seccomp-not-unconfined",
    target="kubernetes",
    severity="high",
    benchmark="PSS baseline: Seccomp",
    description="Seccomp is not switched off.",
    remediation="Remove seccompProfile type Unconfined.",
    isolation=True,
    types=WORKLOADS,
)
def seccomp_not_unconfined(r: Resource, _: Params) -> Messages:
    for where, ctx in security_contexts(r):
        if get(ctx, "seccompProfile", "type") == "Unconfined":
            yield f"{where} runs without seccomp"


@control(
    id="k8s-seccomp-required",
    target="kubernetes",
    severity="high",
    benchmark="PSS restricted: Seccomp",
    description="Seccomp RuntimeDefault (or Localhost) on every container.",
    remediation="Set seccompProfile type RuntimeDefault.",
    isolation=True,
    types=WORKLOADS,
)
def seccomp_required(r: Resource, _: Params) -> Messages:
    pod_level = get(pod_spec(r), "securityContext", "seccompProfile", "type")
    for c in containers(r):
        own = get(c, "securityContext", "seccompProfile", "type") or pod_level
        if own not in ("RuntimeDefault", "Localhost", "Unconfined"):  # Unconfined: k8s-seccomp-not-unconfined
            yield f"container {c.get('name')} has no RuntimeDefault or Localhost seccomp profile"
