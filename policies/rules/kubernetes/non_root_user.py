"""An explicit non-root user: without one the image's USER decides, and runAsNonRoot
refuses a root (or named) image only when the pod starts."""

from __future__ import annotations

from ...framework import Messages, Params, Resource, control
from ...read import as_dict, containers, get, pod_spec
from . import WORKLOADS


@control(
    id="k8s-non-root-user",
    target="kubernetes",
    severity="high",
    benchmark="PSS restricted: Running as Non-root user",
    description="Containers run as an explicit non-root UID, not the image's user.",
    remediation='Set user: "UID:GID" (non-zero) in the spec.',
    isolation=False,
    types=WORKLOADS,
    concern="non-root-user",
)
def non_root_user(r: Resource, _: Params) -> Messages:
    pod = as_dict(pod_spec(r).get("securityContext"))
    for c in containers(r):
        own = as_dict(get(c, "securityContext"))
        if "runAsUser" in own or "runAsUser" in pod:
            continue  # UID 0 is k8s-no-root-uid's finding
        if own.get("runAsNonRoot", pod.get("runAsNonRoot")) is True:
            yield f"container {c.get('name')} runs as the image's user: runAsNonRoot refuses to start it if that is root or a user name"
        else:
            yield f"container {c.get('name')} runs as the image's user, which may be root (runAsUser is not set)"
