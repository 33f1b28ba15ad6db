"""Services placed across targets are wired as tightly as inside one target, or the stack
says it accepts the pair's gap (`hybrid-platform:accepted_gaps`)."""

from __future__ import annotations

from components import vocabulary

from ...framework import Findings, Params, Resource, control
from ...read import get, labels
from ...resource_types import K8S_SERVICE, K8S_WORKLOADS


def _marks(resource: Resource) -> dict[str, str]:
    """The gap labels of a workload (annotations on Kubernetes objects: `->` is no label value)."""
    if resource.type == K8S_SERVICE or resource.type in K8S_WORKLOADS:
        found = get(resource.props, "metadata", "annotations")
        return {k: str(v) for k, v in found.items()} if isinstance(found, dict) else {}
    return labels(resource)


@control(
    id="stack-cross-target-gaps",
    target="stack",
    severity="medium",
    benchmark="hybrid-platform traffic rule (placement)",
    description="Traffic across targets is enforced as tightly as inside one target, or the stack accepts the gap.",
    remediation="Place both services on one target, or list the pair in hybrid-platform:accepted_gaps.",
    isolation=False,
)
def cross_target_gaps(resources: list[Resource], _: Params) -> Findings:
    for resource in resources:
        marks = _marks(resource)
        accepted = set(vocabulary.split(marks.get(vocabulary.ACCEPTED_GAPS)))
        for gap in vocabulary.split(marks.get(vocabulary.CROSS_TARGET_GAPS)):
            if gap not in accepted:
                yield (
                    resource.urn,
                    f"takes part in {gap} across targets, whose gap the stack has not accepted",
                )
