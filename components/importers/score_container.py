"""The parts of a Score container that map one to one: command and args, resource limits,
probes, and files (which the spec has no place for)."""

from __future__ import annotations

import shlex
from typing import Any

from .draft import PortDraft, ServiceDraft
from .report import Report
from .source_files import path_join
from .units import cpus_value, quantity_bytes, size_text


def score_command(container: dict[str, Any], where: str, report: Report) -> list[str] | None:
    """Score `command` (the entrypoint) and `args` (the CMD) as the spec's command."""
    command = [str(c) for c in container.get("command") or []]
    args = [str(a) for a in container.get("args") or []]
    if command:
        report.warn(
            path_join(where, "command"),
            "the spec has only command, which replaces the "
            "image's CMD (Score's args) and keeps its ENTRYPOINT; "
            f"command is {shlex.join(command + args)} (command + "
            "args), right only if the image has no ENTRYPOINT; "
            "otherwise bake the entrypoint into the image",
        )
    return (command + args) or None


def add_resources(draft: ServiceDraft, resources: Any, where: str, report: Report) -> None:
    """Limits win over requests; the spec sets requests = limits."""
    resources = resources if isinstance(resources, dict) else {}
    limits = resources.get("limits") or {}
    requests = resources.get("requests") or {}
    for key in ("cpu", "memory"):
        value, source = (
            (limits.get(key), "limits") if limits.get(key) is not None else (requests.get(key), "requests")
        )
        if value is None:
            continue
        if source == "requests":
            report.warn(
                path_join(where, f"requests.{key}"), "used as the limit: the spec sets requests = limits"
            )
        elif requests.get(key) is not None:
            report.warn(
                path_join(where, f"requests.{key}"), "not kept: limits win; the spec sets requests = limits"
            )
        try:
            if key == "cpu":
                draft.cpus = cpus_value(value)
            else:
                draft.memory = size_text(quantity_bytes(value))
        except ValueError as error:
            report.error(path_join(where, f"{source}.{key}"), str(error))
    if draft.cpus is None or draft.memory is None:
        missing = " and ".join(k for k, v in (("cpu", draft.cpus), ("memory", draft.memory)) if v is None)
        report.warn(
            path_join(where, "limits"),
            f"no {missing} limit; the spec always limits, to "
            f"{draft.cpus if draft.cpus is not None else 1} CPU and "
            f"{draft.memory or '512Mi'}; set resources to what the service needs",
        )


def add_probe(draft: ServiceDraft, container: dict[str, Any], where: str, report: Report) -> None:
    """readinessProbe (else livenessProbe) as the spec's one health check."""
    readiness, liveness = container.get("readinessProbe"), container.get("livenessProbe")
    chosen, key = (readiness, "readinessProbe") if readiness else (liveness, "livenessProbe")
    if not isinstance(chosen, dict):
        return
    if readiness and liveness and readiness != liveness:
        report.warn(
            path_join(where, "livenessProbe"),
            "not kept: the spec has one health check, used for "
            "readiness and liveness; readinessProbe was kept",
        )
    path = path_join(where, key)
    exec_probe, http = chosen.get("exec"), chosen.get("httpGet")
    if isinstance(exec_probe, dict) and exec_probe.get("command"):
        draft.health = {"exec": {"command": [str(c) for c in exec_probe["command"]]}}
        if http:
            report.warn(
                path_join(path, "httpGet"),
                "not kept: the exec probe is used (Score prefers it when both are set)",
            )
        return
    if not isinstance(http, dict) or not isinstance(http.get("port"), int):
        report.error(path, "needs exec.command or httpGet with port and path")
        return
    for extra in ("host", "httpHeaders"):
        if http.get(extra):
            report.warn(
                path_join(path, f"httpGet.{extra}"),
                "not kept: the spec probes the service's own address without headers",
            )
    if http.get("scheme") == "HTTPS":
        report.warn(
            path_join(path, "httpGet.scheme"),
            "HTTPS is not kept: the spec probes plain HTTP; use an exec probe",
        )
    probe_path = str(http.get("path") or "/")
    draft.health = {
        "http": {"path": probe_path if probe_path.startswith("/") else f"/{probe_path}", "port": http["port"]}
    }
    if draft.find_port(http["port"], "tcp") is None:
        draft.ports.append(PortDraft(http["port"], name="probe"))
        report.warn(
            path_join(path, "httpGet.port"),
            f"{http['port']} is not a service port; added (not public), since the spec probes declared ports",
        )


def warn_files(files: Any, where: str, report: Report) -> None:
    """Score files have no place in the spec: one warning each."""
    targets: list[str] = []
    if isinstance(files, dict):
        targets = [str(t) for t in files]
    elif isinstance(files, list):
        targets = [str(f.get("target")) for f in files if isinstance(f, dict)]
    for target in targets:
        report.warn(
            path_join(where, target),
            "not kept: the spec has no files; bake it into the "
            "image (COPY in a Dockerfile) or pass it in env",
        )
