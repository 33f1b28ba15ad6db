"""CPU and memory requests and limits."""

from __future__ import annotations

from ...framework import Messages, Params, Resource, control
from ...read import as_dict, containers
from . import WORKLOADS


@control(
    id="k8s-resources",
    target="kubernetes",
    severity="medium",
    benchmark="Kubernetes best practice: resources",
    description="Containers have CPU and memory requests and limits.",
    remediation="Set resources in the spec.",
    isolation=False,
    types=WORKLOADS,
)
def resources(r: Resource, _: Params) -> Messages:
    for c in containers(r):
        res = as_dict(c.get("resources"))
        for kind in ("requests", "limits"):
            missing = [k for k in ("cpu", "memory") if k not in as_dict(res.get(kind))]
            if missing and not (res.get(kind) is None and kind in res):
                yield f"container {c.get('name')} has no {kind} for {', '.join(missing)}"
