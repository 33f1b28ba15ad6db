"""Pinned images: what runs is what was reviewed."""

from __future__ import annotations

from ...framework import Messages, Params, Resource, control
from ...judge import unpinned
from ...read import containers
from . import WORKLOADS


@control(
    id="k8s-image-pinned",
    target="kubernetes",
    severity="medium",
    benchmark="Kubernetes hardening: image provenance",
    description="Images are pinned: a tag other than latest, or a digest.",
    remediation="Pin the image to a version tag; with requireDigest, to @sha256:...",
    isolation=False,
    types=WORKLOADS,
    strict={"requireDigest": True},
    concern="image-pinned",
    requireDigest=False,
)
def image_pinned(r: Resource, params: Params) -> Messages:
    for c in containers(r):
        if problem := unpinned(c.get("image"), bool(params["requireDigest"])):
            yield f"container {c.get('name')} {problem}"
