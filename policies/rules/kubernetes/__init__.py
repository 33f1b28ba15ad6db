"""Kubernetes controls: every Pod Security Standards baseline and restricted control, plus
resources, probes, read-only root, pinned images and exposure, on every kind of workload.
Helpers the Kubernetes controls share live here."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from ...framework import Resource
from ...read import as_dict, containers, pod_spec
from ...resource_types import K8S_WORKLOADS

WORKLOADS = K8S_WORKLOADS
BASELINE_CAPS = {"AUDIT_WRITE", "CHOWN", "DAC_OVERRIDE", "FOWNER", "FSETID", "KILL", "MKNOD", "NET_BIND_SERVICE",
                 "SETFCAP", "SETGID", "SETPCAP", "SETUID", "SYS_CHROOT"}  # fmt: skip


def security_contexts(r: Resource) -> Iterator[tuple[str, Mapping[str, Any]]]:
    """The pod's security context, then each container's, with where it is."""
    yield "pod", as_dict(pod_spec(r).get("securityContext"))
    for c in containers(r):
        yield f"container {c.get('name')}", as_dict(c.get("securityContext"))
