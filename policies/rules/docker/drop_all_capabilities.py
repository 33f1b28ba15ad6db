"""Every capability dropped first."""

from __future__ import annotations

from ...framework import Messages, Params, Resource, control
from ...read import as_list, get
from . import CONTAINER


@control(
    id="docker-drop-all-capabilities",
    target="docker",
    severity="high",
    benchmark="CIS Docker 5.3",
    description="Containers drop ALL Linux capabilities.",
    remediation="Set capabilities.drops to [ALL].",
    isolation=True,
    types=CONTAINER,
)
def drop_all_capabilities(r: Resource, _: Params) -> Messages:
    drops = get(r.props, "capabilities", "drops")
    if drops is not None and not isinstance(drops, list):
        return
    if "ALL" not in [str(d).upper() for d in as_list(drops)]:
        yield "does not drop ALL capabilities"
