"""Capabilities beyond the baseline set (PSS baseline)."""

from __future__ import annotations

from ...framework import Messages, Params, Resource, control
from ...judge import capability
from ...read import as_list, containers, get
from . import BASELINE_CAPS, WORKLOADS


@control(
    id="k8s-baseline-capabilities",
    target="kubernetes",
    severity="high",
    benchmark="PSS baseline: Capabilities",
    description="Containers add no capability beyond the baseline set.",
    remediation="Remove capabilities.add entries outside the baseline.",
    isolation=True,
    types=WORKLOADS,
)
def baseline_capabilities(r: Resource, _: Params) -> Messages:
    for c in containers(r):
        extra = {
            capability(a) for a in as_list(get(c, "securityContext", "capabilities", "add"))
        } - BASELINE_CAPS
        if extra:
            yield f"container {c.get('name')} adds {', '.join(sorted(extra))}"
