"""Persistent data is protected where the stack asks for it."""

from __future__ import annotations

from ...framework import Findings, Params, Resource, control
from ...read import as_list, get
from ...resource_types import DOCKER_VOLUME, K8S_PVC, K8S_STATEFULSET, LIBVIRT_VOLUME


def holds_data(r: Resource) -> bool:
    """A volume that holds the app's data (not a base image or a copy-on-write root)."""
    if r.type == DOCKER_VOLUME:
        return True
    if r.type == LIBVIRT_VOLUME:
        return not any(r.props.get(k) for k in ("source", "baseVolumeId", "baseVolumeName"))
    if r.type == K8S_STATEFULSET:
        return bool(as_list(get(r.props, "spec", "volumeClaimTemplates")))
    return r.type == K8S_PVC


@control(
    id="stack-protected-data",
    target="stack",
    severity="high",
    benchmark="hybrid-platform data rule",
    description="Persistent data is protected in stacks that ask for it.",
    remediation="Set hybrid-platform:protect_data: true in the stack.",
    isolation=True,
    strict={"protectData": True},
    protectData=False,
)
def protected_data(resources: list[Resource], params: Params) -> Findings:
    if not params["protectData"]:
        return
    for resource in resources:
        if holds_data(resource) and not resource.protect:
            yield (
                resource.urn,
                "holds persistent data but is not protected; set protect_data: true for this stack",
            )
