"""A privileged container is root on the host."""

from __future__ import annotations

from ...framework import Messages, Params, Resource, control
from . import CONTAINER


@control(
    id="docker-no-privileged",
    target="docker",
    severity="critical",
    benchmark="CIS Docker 5.5",
    description="Containers do not run privileged.",
    remediation="Remove privileged; grant single capabilities only if unavoidable.",
    isolation=True,
    types=CONTAINER,
)
def no_privileged(r: Resource, _: Params) -> Messages:
    if r.props.get("privileged") is True:
        yield "runs privileged"
