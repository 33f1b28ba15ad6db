"""Capabilities added back after dropping ALL."""

from __future__ import annotations

from components import vocabulary

from ...framework import Messages, Params, Resource, control
from ...judge import listens_below_1024, unneeded_capabilities
from ...read import as_list, docker_labels, get
from . import CONTAINER


@control(
    id="docker-no-added-capabilities",
    target="docker",
    severity="high",
    benchmark="CIS Docker 5.3",
    description="Containers add no Linux capability, except NET_BIND_SERVICE for a port below 1024.",
    remediation="Remove capabilities.adds; NET_BIND_SERVICE is added by the Docker target only for a port below 1024.",
    isolation=True,
    types=CONTAINER,
    concern="added-capabilities",
)
def no_added_capabilities(r: Resource, _: Params) -> Messages:
    privileged_port = listens_below_1024(vocabulary.split(docker_labels(r).get(vocabulary.LISTEN_PORTS)))
    unneeded = unneeded_capabilities(as_list(get(r.props, "capabilities", "adds")), privileged_port)
    if unneeded:
        yield f"adds capabilities {', '.join(unneeded)}"
