"""Pinned images: what runs is what was reviewed."""

from __future__ import annotations

from ...framework import Messages, Params, Resource, control
from ...judge import unpinned
from ...resource_types import DOCKER_IMAGE
from . import CONTAINER


@control(
    id="docker-image-pinned",
    target="docker",
    severity="medium",
    benchmark="CIS Docker 4.x (image provenance)",
    description="Images are pinned: a tag other than latest, or a digest.",
    remediation="Pin the image to a version tag; with requireDigest, to @sha256:...",
    isolation=False,
    types=(*CONTAINER, DOCKER_IMAGE),
    strict={"requireDigest": True},
    concern="image-pinned",
    requireDigest=False,
)
def image_pinned(r: Resource, params: Params) -> Messages:
    reference = r.props.get("name") if r.type == DOCKER_IMAGE else r.props.get("image")
    if problem := unpinned(reference, bool(params["requireDigest"])):
        yield problem
