"""Drop ALL; add back only NET_BIND_SERVICE, and that only for a port below 1024 (PSS
restricted allows it always; the targets add it only when a port needs it)."""

from __future__ import annotations

from ...framework import Messages, Params, Resource, control
from ...judge import capability, listens_below_1024, unneeded_capabilities
from ...read import as_dict, as_list, containers, get
from . import BASELINE_CAPS, WORKLOADS


@control(
    id="k8s-drop-all-capabilities",
    target="kubernetes",
    severity="high",
    benchmark="PSS restricted: Capabilities",
    description="Containers drop ALL capabilities and add only NET_BIND_SERVICE, for a port below 1024.",
    remediation="Set capabilities.drop [ALL]; NET_BIND_SERVICE is added by the targets only for a port below 1024.",
    isolation=True,
    types=WORKLOADS,
    concern="added-capabilities",
)
def drop_all_capabilities(r: Resource, _: Params) -> Messages:
    for c in containers(r):
        caps = as_dict(get(c, "securityContext", "capabilities"))
        if "ALL" not in [str(d) for d in as_list(caps.get("drop"))]:
            yield f"container {c.get('name')} does not drop ALL capabilities"
        # Adds beyond the baseline set are k8s-baseline-capabilities' finding.
        added = {capability(a) for a in as_list(caps.get("add"))} & BASELINE_CAPS
        ports = [f"{get(p, 'containerPort')}/tcp" for p in as_list(c.get("ports"))]
        unneeded = unneeded_capabilities(added, listens_below_1024(ports))
        if unneeded:
            yield f"container {c.get('name')} adds {', '.join(unneeded)} (only NET_BIND_SERVICE, for a port below 1024)"
