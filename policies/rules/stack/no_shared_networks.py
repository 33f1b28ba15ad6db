"""A Docker network joins one app, and two isolation tiers only for a declared pair."""

from __future__ import annotations

from components import vocabulary

from ...framework import Findings, Params, Resource, control
from ...read import as_list, docker_labels, get, of
from ...resource_types import DOCKER_CONTAINER, DOCKER_NETWORK


@control(
    id="stack-no-shared-networks",
    target="stack",
    severity="critical",
    benchmark="hybrid-platform traffic rule",
    description="No Docker network joins two apps, or two isolation tiers beyond one declared depends_on pair.",
    remediation="Give each app its own networks; link tiers only per depends_on.",
    isolation=True,
)
def no_shared_networks(resources: list[Resource], _: Params) -> Findings:
    members: dict[str, list[dict[str, str]]] = {}
    for container in of(resources, DOCKER_CONTAINER):
        for attachment in as_list(container.props.get("networksAdvanced")):
            if isinstance(name := get(attachment, "name"), str):
                members.setdefault(name, []).append(docker_labels(container))
    for network in of(resources, DOCKER_NETWORK):
        joined = members.get(str(network.props.get("name")), [])
        apps = {m.get(vocabulary.APP) for m in joined}
        tiers = {m.get(vocabulary.ISOLATION) for m in joined}
        if len(apps) > 1:
            yield network.urn, f"joins containers of several apps: {', '.join(sorted(map(str, apps)))}"
        own = docker_labels(network)
        role = own.get(vocabulary.NETWORK_ROLE, "")
        services = {m.get(vocabulary.SERVICE) for m in joined}
        declared_link = role.startswith("from-") and services <= {
            own.get(vocabulary.SERVICE),
            role.removeprefix("from-"),
        }
        if len(tiers) > 1 and not declared_link:
            yield (
                network.urn,
                f"joins isolation tiers {', '.join(sorted(map(str, tiers)))} beyond one declared depends_on pair",
            )
