"""CIS Docker 5.10, 5.16, 5.17, 5.31: no host namespace is shared."""

from __future__ import annotations

from ...framework import Messages, Params, Resource, control
from . import CONTAINER, named


def _shares(r: Resource, key: str, what: str) -> Messages:
    if named(r.props.get(key), "host"):
        yield f"shares the host's {what} namespace ({key}: host)"


@control(
    id="docker-no-host-network",
    target="docker",
    severity="critical",
    benchmark="CIS Docker 5.10",
    description="Containers do not share the host's network namespace.",
    remediation="Attach the container to the app's networks instead of networkMode host.",
    isolation=True,
    types=CONTAINER,
)
def no_host_network(r: Resource, _: Params) -> Messages:
    return _shares(r, "networkMode", "network")


@control(
    id="docker-no-host-pid",
    target="docker",
    severity="critical",
    benchmark="CIS Docker 5.16",
    description="Containers do not share the host's process namespace.",
    remediation="Remove pidMode host.",
    isolation=True,
    types=CONTAINER,
)
def no_host_pid(r: Resource, _: Params) -> Messages:
    return _shares(r, "pidMode", "PID")


@control(
    id="docker-no-host-ipc",
    target="docker",
    severity="high",
    benchmark="CIS Docker 5.17",
    description="Containers do not share the host's IPC namespace.",
    remediation="Remove ipcMode host.",
    isolation=True,
    types=CONTAINER,
)
def no_host_ipc(r: Resource, _: Params) -> Messages:
    return _shares(r, "ipcMode", "IPC")


@control(
    id="docker-no-host-userns",
    target="docker",
    severity="high",
    benchmark="CIS Docker 5.31",
    description="Containers do not disable user namespace remapping.",
    remediation="Remove usernsMode host.",
    isolation=True,
    types=CONTAINER,
)
def no_host_userns(r: Resource, _: Params) -> Messages:
    return _shares(r, "usernsMode", "user")
