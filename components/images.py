"""Image references normalised once, in the resolve step, to fully qualified names.

Docker and containerd read `redis:7` as `docker.io/library/redis:7`; Debian's Podman has
no unqualified-search registry and cannot resolve it at all. So every target gets the
fully qualified form and one reference means one image everywhere. The rules are
Docker's: the first path component is a registry only if it contains `.` or `:` or is
`localhost`; otherwise the registry is `docker.io`, and a one-component path on Docker Hub
is under `library/`; a reference without tag or digest means the tag `latest`.
"""

from __future__ import annotations

DEFAULT_REGISTRY = "docker.io"
OFFICIAL_NAMESPACE = "library"
DEFAULT_TAG = "latest"


def normalize(reference: str) -> str:
    """`redis:7` -> `docker.io/library/redis:7`; `ghcr.io/a/b@sha256:...` unchanged."""
    name, at, digest = reference.partition("@")
    first, slash, rest = name.partition("/")
    if slash and ("." in first or ":" in first or first == "localhost"):
        registry, path = first, rest
    else:
        registry, path = DEFAULT_REGISTRY, name
    last = path.rsplit("/", 1)[-1]
    if ":" in last:
        path, _, tag = path.rpartition(":")
    else:
        tag = "" if at else DEFAULT_TAG
    if registry == DEFAULT_REGISTRY and "/" not in path:
        path = f"{OFFICIAL_NAMESPACE}/{path}"
    result = f"{registry}/{path}"
    if tag:
        result += f":{tag}"
    if at:
        result += f"@{digest}"
    return result
