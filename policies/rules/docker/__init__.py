"""Docker controls: the CIS Docker Benchmark (v1.6) items a resource can show, plus the
sandbox runtime for `sandbox` services and the Docker API the provider talks to.
Helpers the Docker controls share live here."""

from __future__ import annotations

from typing import Any

from ...framework import Resource
from ...read import as_list, get, unknown
from ...resource_types import DOCKER_CONTAINER

CONTAINER = (DOCKER_CONTAINER,)


def named(value: Any, expected: str) -> bool:
    """Whether a mode is `expected`, in any case."""
    return isinstance(value, str) and value.lower() == expected


def security_opts(r: Resource) -> list[str] | None:
    """The security options as `key=value`, lower case (None when unknown)."""
    if unknown(r.props, "securityOpts"):
        return None
    return [str(o).replace(":", "=", 1).lower() for o in as_list(r.props.get("securityOpts"))]


def mount_sources(r: Resource) -> list[str]:
    """Host paths mounted into the container (bind mounts and host-path volumes)."""
    sources = [get(v, "hostPath") for v in as_list(r.props.get("volumes"))]
    sources += [get(m, "source") for m in as_list(r.props.get("mounts")) if get(m, "type") == "bind"]
    return [s.rstrip("/") or "/" for s in sources if isinstance(s, str)]
