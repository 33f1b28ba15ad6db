"""A bounded restart policy."""

from __future__ import annotations

from ...framework import Messages, Params, Resource, control
from ...judge import whole_number
from ...read import unknown
from . import CONTAINER


@control(
    id="docker-restart-policy",
    target="docker",
    severity="low",
    benchmark="CIS Docker 5.15",
    description="Containers restart on failure, boundedly or until stopped.",
    remediation="Use restart on-failure (maxRetryCount <= 5) or unless-stopped.",
    isolation=False,
    types=CONTAINER,
    maxRetries=5,
)
def restart_policy(r: Resource, params: Params) -> Messages:
    restart = r.props.get("restart")
    if unknown(r.props, "restart"):
        return
    if restart not in ("on-failure", "unless-stopped"):
        yield f"restart policy is {restart or 'no'}; use on-failure or unless-stopped"
    elif restart == "on-failure" and not unknown(r.props, "maxRetryCount"):
        given = r.props.get("maxRetryCount", 0)
        retries = whole_number(given)
        if retries is None or not 0 < retries <= params["maxRetries"]:
            yield f"on-failure restarts need maxRetryCount between 1 and {params['maxRetries']}, got {given!r}"
