"""A read-only root filesystem."""

from __future__ import annotations

from ...framework import Messages, Params, Resource, control
from ...read import containers, get
from . import WORKLOADS


@control(
    id="k8s-read-only-root",
    target="kubernetes",
    severity="medium",
    benchmark="Kubernetes hardening",
    description="Containers have a read-only root filesystem.",
    remediation="Set read_only_root: true; use tmpfs or volumes for writable paths.",
    isolation=False,
    types=WORKLOADS,
    concern="read-only-root",
)
def read_only_root(r: Resource, _: Params) -> Messages:
    for c in containers(r):
        if get(c, "securityContext", "readOnlyRootFilesystem") is not True:
            yield f"container {c.get('name')} has a writable root filesystem"
