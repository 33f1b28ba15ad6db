"""sandbox (and vm) isolation on Docker means a sandboxed runtime."""

from __future__ import annotations

from components import vocabulary

from ...framework import Messages, Params, Resource, control
from ...read import docker_labels, unknown
from . import CONTAINER


@control(
    id="docker-sandbox-runtime",
    target="docker",
    severity="critical",
    benchmark="hybrid-platform isolation",
    description="Services with sandbox (or vm) isolation run under a sandboxed runtime.",
    remediation="Install gVisor (runsc) on the Docker host and keep docker.sandbox_runtime pointing at it.",
    isolation=True,
    types=CONTAINER,
    sandboxRuntimes=["runsc", "kata", "kata-runtime"],
)
def sandbox_runtime(r: Resource, params: Params) -> Messages:
    level = docker_labels(r).get(vocabulary.ISOLATION)
    runtime = r.props.get("runtime")
    if (
        level in ("sandbox", "vm")
        and not unknown(r.props, "runtime")
        and runtime not in params["sandboxRuntimes"]
    ):
        yield f"isolation {level} needs a sandboxed runtime ({', '.join(params['sandboxRuntimes'])}), got {runtime or 'runc'}"
