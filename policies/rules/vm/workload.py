"""The container inside a service VM: the same weaknesses the Docker and Kubernetes
controls find, from the facts in the domain's description."""

from __future__ import annotations

from components import vocabulary

from ...framework import Messages, Params, Resource, control
from ...judge import listens_below_1024, uid, unneeded_capabilities, unpinned
from . import DOMAIN, workload_facts


@control(
    id="vm-workload-non-root-user",
    target="vm",
    severity="high",
    benchmark="CIS Docker 4.1 (in the VM's Podman)",
    description="The workload in a service VM runs as a non-root user.",
    remediation='Set user: "UID:GID" (non-zero) in the spec.',
    isolation=False,
    types=DOMAIN,
    concern="non-root-user",
)
def workload_non_root_user(r: Resource, _: Params) -> Messages:
    facts = workload_facts(r)
    if facts is None:
        return
    user = facts.get(vocabulary.WORKLOAD_USER)
    if not user:
        yield "the workload runs as the image's user, which may be root (user is not set)"
    elif uid(user) == 0:
        yield f"the workload runs as root (user: {user})"


@control(
    id="vm-workload-image-pinned",
    target="vm",
    severity="medium",
    benchmark="CIS Docker 4.x (image provenance)",
    description="The image a service VM runs is pinned: a tag other than latest, or a digest.",
    remediation="Pin the image to a version tag; with requireDigest, to @sha256:...",
    isolation=False,
    types=DOMAIN,
    strict={"requireDigest": True},
    concern="image-pinned",
    requireDigest=False,
)
def workload_image_pinned(r: Resource, params: Params) -> Messages:
    facts = workload_facts(r)
    if facts is not None and (
        problem := unpinned(facts.get(vocabulary.WORKLOAD_IMAGE), bool(params["requireDigest"]))
    ):
        yield problem


@control(
    id="vm-workload-healthcheck",
    target="vm",
    severity="low",
    benchmark="CIS Docker 4.6 (in the VM's Podman)",
    description="The workload in a service VM has a health check.",
    remediation="Add health to the service in the spec.",
    isolation=False,
    types=DOMAIN,
    concern="healthcheck",
)
def workload_healthcheck(r: Resource, _: Params) -> Messages:
    facts = workload_facts(r)
    if facts is not None and facts.get(vocabulary.WORKLOAD_HEALTH) == "none":
        yield "the workload has no health check"


@control(
    id="vm-workload-read-only-root",
    target="vm",
    severity="medium",
    benchmark="CIS Docker 5.12 (in the VM's Podman)",
    description="The workload in a service VM runs with a read-only root filesystem.",
    remediation="Set read_only_root: true in the spec and list writable paths under tmpfs or volumes.",
    isolation=False,
    types=DOMAIN,
    concern="read-only-root",
)
def workload_read_only_root(r: Resource, _: Params) -> Messages:
    facts = workload_facts(r)
    if facts is not None and facts.get(vocabulary.WORKLOAD_READ_ONLY_ROOT, "true") != "true":
        yield "the workload has a writable root filesystem"


@control(
    id="vm-workload-no-added-capabilities",
    target="vm",
    severity="high",
    benchmark="CIS Docker 5.3 (in the VM's Podman)",
    description="The workload in a service VM adds no Linux capability, except NET_BIND_SERVICE for a port below 1024.",
    remediation="Remove added capabilities; NET_BIND_SERVICE is added by the VM target only for a port below 1024.",
    isolation=True,
    types=DOMAIN,
    concern="added-capabilities",
)
def workload_no_added_capabilities(r: Resource, _: Params) -> Messages:
    facts = workload_facts(r)
    if facts is None:
        return
    privileged_port = listens_below_1024(vocabulary.split(facts.get(vocabulary.LISTEN_PORTS)))
    unneeded = unneeded_capabilities(
        vocabulary.split(facts.get(vocabulary.WORKLOAD_CAP_ADD)), privileged_port
    )
    if unneeded:
        yield f"the workload adds capabilities {', '.join(unneeded)}"
