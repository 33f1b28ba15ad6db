"""Only the restricted volume types (PSS restricted)."""

from __future__ import annotations

from ...framework import Messages, Params, Resource, control
from ...read import as_dict, as_list, get, pod_spec
from . import WORKLOADS

RESTRICTED_VOLUMES = {"configMap", "csi", "downwardAPI", "emptyDir", "ephemeral", "persistentVolumeClaim",
                      "projected", "secret", "name"}  # fmt: skip


@control(
    id="k8s-restricted-volume-types",
    target="kubernetes",
    severity="high",
    benchmark="PSS restricted: Volume Types",
    description="Only restricted volume types (no hostPath, NFS, ...).",
    remediation="Use PVCs, emptyDir, configMap, secret, projected, CSI or ephemeral volumes.",
    isolation=True,
    types=WORKLOADS,
)
def restricted_volume_types(r: Resource, _: Params) -> Messages:
    for volume in as_list(pod_spec(r).get("volumes")):
        kinds = set(as_dict(volume)) - RESTRICTED_VOLUMES - {"hostPath"}  # hostPath: k8s-no-host-path
        if kinds:
            yield f"volume {get(volume, 'name')} is of type {', '.join(sorted(kinds))}"
