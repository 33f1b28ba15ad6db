"""AppArmor stays on (PSS baseline)."""

from __future__ import annotations

from ...framework import Messages, Params, Resource, control
from ...read import as_dict, get, pod_template
from . import WORKLOADS, security_contexts

ANNOTATION = "container.apparmor.security.beta.kubernetes.io/"


@control(
    id="k8s-apparmor-confined",
    target="kubernetes",
    severity="high",
    benchmark="PSS baseline: AppArmor",
    description="AppArmor is not switched off.",
    remediation="Remove Unconfined AppArmor profiles.",
    isolation=True,
    types=WORKLOADS,
)
def apparmor_confined(r: Resource, _: Params) -> Messages:
    for where, ctx in security_contexts(r):
        if get(ctx, "appArmorProfile", "type") == "Unconfined":
            yield f"{where} runs without AppArmor"
    for key, value in as_dict(get(pod_template(r), "metadata", "annotations")).items():
        if str(key).startswith(ANNOTATION) and value == "unconfined":
            yield f"{key} is unconfined"
