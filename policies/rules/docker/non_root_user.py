"""A non-root user, by numeric UID."""

from __future__ import annotations

from ...framework import Messages, Params, Resource, control
from ...judge import uid
from . import CONTAINER


@control(
    id="docker-non-root-user",
    target="docker",
    severity="high",
    benchmark="CIS Docker 4.1",
    description="Containers run as a non-root user.",
    remediation='Set user: "UID:GID" (non-zero) in the spec.',
    isolation=False,
    types=CONTAINER,
    concern="non-root-user",
)
def non_root_user(r: Resource, _: Params) -> Messages:
    user = r.props.get("user")
    if user == "" or "user" not in r.props:
        yield "runs as the image's user, which may be root (user is not set)"
    elif uid(user) == 0:
        yield f"runs as root (user: {user})"
