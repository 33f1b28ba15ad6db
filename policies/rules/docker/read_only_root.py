"""A read-only root filesystem."""

from __future__ import annotations

from ...framework import Messages, Params, Resource, control
from ...read import unknown
from . import CONTAINER


@control(
    id="docker-read-only-root",
    target="docker",
    severity="medium",
    benchmark="CIS Docker 5.12",
    description="Containers run with a read-only root filesystem.",
    remediation="Set read_only_root: true in the spec and list writable paths under tmpfs or volumes.",
    isolation=False,
    types=CONTAINER,
    concern="read-only-root",
)
def read_only_root(r: Resource, _: Params) -> Messages:
    if not unknown(r.props, "readOnly") and r.props.get("readOnly") is not True:
        yield "has a writable root filesystem (readOnly is not true)"
