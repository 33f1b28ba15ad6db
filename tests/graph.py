"""Questions tests ask of a recorded resource graph."""

from __future__ import annotations

from typing import Any

from components.offline.recorder import RecordedResource, reveal
from components.offline.runner import PreviewResult

CONTAINER = "docker:index/container:Container"
NETWORK = "docker:index/network:Network"
VOLUME = "docker:index/volume:Volume"


def of_type(result: PreviewResult, kind: str) -> list[RecordedResource]:
    """Resources of one type, in registration order."""
    return [r for r in result.resources if r.type == kind]


def label_map(resource: RecordedResource) -> dict[str, str]:
    """A Docker resource's labels as a dict."""
    return {item["label"]: item["value"] for item in resource.inputs.get("labels", [])}


def containers_of(result: PreviewResult, service: str) -> list[RecordedResource]:
    """The containers of one service, by replica number (registration order varies)."""
    found = [c for c in of_type(result, CONTAINER) if label_map(c)["hybrid-platform.io/service"] == service]
    return sorted(found, key=lambda c: int(label_map(c)["hybrid-platform.io/replica"]))


def networks_by_name(result: PreviewResult) -> dict[str, RecordedResource]:
    """Networks keyed by the physical name containers refer to."""
    return {n.outputs["name"]: n for n in of_type(result, NETWORK)}


def network_names_of(container: RecordedResource) -> set[str]:
    """Names of the networks a container joins."""
    return {n["name"] for n in container.inputs.get("networksAdvanced", [])}


def plain(value: Any) -> Any:
    """A value with secrets revealed, for assertions on structure."""
    return reveal(value)
