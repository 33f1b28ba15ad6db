"""A Score workload file (`apiVersion: score.dev/v1b1`) read and checked against the Score schema's shape."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .report import Report
from .source_files import path_join, read_yaml

API_VERSION = "score.dev/v1b1"
_TOP_LEVEL = ("apiVersion", "metadata", "service", "containers", "resources")
CONTAINER_KEYS = (
    "image", "command", "args", "variables", "files", "volumes", "before", "resources",
    "livenessProbe", "readinessProbe",
)  # fmt: skip
_RFC1123 = re.compile(r"^[a-z0-9][a-z0-9-]{0,61}[a-z0-9]$")


@dataclass
class Workload:
    """One Score workload: its name, metadata, containers, service ports and resources."""

    path: Path
    report: Report
    name: str
    metadata: dict[str, Any]
    containers: dict[str, dict[str, Any]]
    ports: dict[str, dict[str, Any]]
    resources: dict[str, dict[str, Any]]


def read_workload(path: Path, source: str) -> Workload:
    """Read and check one Score file; its problems are raised together."""
    report = Report(source)
    data = read_yaml(path, source)
    if not isinstance(data, dict):
        report.error(
            "", "a Score file is a mapping with apiVersion, metadata and containers; this one is not"
        )
        report.raise_if_problems()
    for key in data:
        if key not in _TOP_LEVEL:
            report.error(str(key), f"unknown key; Score v1b1 allows: {', '.join(_TOP_LEVEL)}")
    if data.get("apiVersion") != API_VERSION:
        report.error("apiVersion", f"must be {API_VERSION} (got {data.get('apiVersion')!r})")
    metadata = data.get("metadata")
    name = metadata.get("name") if isinstance(metadata, dict) else None
    if not isinstance(name, str) or not _RFC1123.match(name):
        report.error(
            "metadata.name", f"{name!r} is not a workload name: 2-63 lowercase letters, digits and '-'"
        )
    containers = _mapping(data.get("containers"), "containers", report, required=True)
    for cname, container in containers.items():
        where = path_join("containers", cname)
        if not isinstance(container, dict):
            report.error(where, "must be a mapping with at least image")
            continue
        for key in container:
            if key not in CONTAINER_KEYS:
                report.error(path_join(where, key), f"unknown key; allowed: {', '.join(CONTAINER_KEYS)}")
        if not isinstance(container.get("image"), str) or not container["image"]:
            report.error(path_join(where, "image"), "required: the container image, e.g. nginx:1.27")
        _check_container_shapes(container, where, report)
    service = _mapping(data.get("service"), "service", report)
    ports = _mapping(service.get("ports"), "service.ports", report)
    for pname, port in ports.items():
        _check_port(port, path_join("service.ports", pname), report)
    resources = _mapping(data.get("resources"), "resources", report)
    for rname, resource in resources.items():
        if not isinstance(resource, dict) or not isinstance(resource.get("type"), str):
            report.error(
                path_join("resources", rname), "must be a mapping with a type, e.g. {type: postgres}"
            )
    report.raise_if_problems()
    assert isinstance(metadata, dict) and isinstance(name, str)
    return Workload(path, report, name, metadata, containers, ports, resources)


def _check_container_shapes(container: dict[str, Any], where: str, report: Report) -> None:
    for key in ("command", "args"):
        value = container.get(key)
        if value is not None and not (isinstance(value, list) and all(isinstance(v, str) for v in value)):
            report.error(
                path_join(where, key), 'must be a list of strings, e.g. ["/app/run", "--port", "8080"]'
            )
    for key in ("variables", "resources", "livenessProbe", "readinessProbe", "before"):
        if container.get(key) is not None and not isinstance(container[key], dict):
            report.error(path_join(where, key), "must be a mapping")
    resources = container.get("resources")
    for key in ("limits", "requests"):
        if (
            isinstance(resources, dict)
            and resources.get(key) is not None
            and not isinstance(resources[key], dict)
        ):
            report.error(
                path_join(where, f"resources.{key}"), "must be a mapping such as {cpu: 500m, memory: 256Mi}"
            )
    for probe in ("livenessProbe", "readinessProbe"):
        value = container.get(probe)
        for kind in ("httpGet", "exec"):
            if isinstance(value, dict) and value.get(kind) is not None and not isinstance(value[kind], dict):
                report.error(path_join(where, f"{probe}.{kind}"), "must be a mapping")
    for key in ("files", "volumes"):
        value = container.get(key)
        if value is not None and not isinstance(value, dict | list):
            report.error(path_join(where, key), "must be a mapping of target path to details")


def _mapping(value: Any, where: str, report: Report, required: bool = False) -> dict[str, Any]:
    if value is None and not required:
        return {}
    if not isinstance(value, dict) or (required and not value):
        report.error(where, "must be a mapping" + (" with at least one entry" if required else ""))
        return {}
    return {str(k): v for k, v in value.items()}


def _check_port(port: Any, where: str, report: Report) -> None:
    if not isinstance(port, dict):
        report.error(where, "must be a mapping such as {port: 8080, targetPort: 80, protocol: TCP}")
        return
    for key in ("port", "targetPort"):
        value = port.get(key)
        if (value is not None or key == "port") and not (
            isinstance(value, int) and not isinstance(value, bool) and 1 <= value <= 65535
        ):
            report.error(path_join(where, key), f"{value!r} is not a port number (1-65535)")
    if port.get("protocol", "TCP") not in ("TCP", "UDP"):
        report.error(path_join(where, "protocol"), f"{port.get('protocol')!r}; allowed: TCP, UDP")
