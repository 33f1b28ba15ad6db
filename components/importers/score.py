"""`hybrid import score`: Score workloads (score.dev/v1b1) in, one app spec out.

Each workload is a service (a second container is a service of its own); `service.ports`
are its ports; `service`/`service-port` resources (or a resource named after another
workload) are `depends_on`, and their `host`/`port` placeholders resolve to that service's
name and port; `volume` resources are volumes. Resource types the spec does not provision
(postgres, redis, dns, route...) are warnings that say what to do instead."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..appspec import Problem, SpecError
from .compose import app_name_for
from .draft import PortDraft, ServiceDraft
from .names import PORT_NAME_MAX, dns_label, spec_names
from .output import ImportResult, check, render
from .report import Report
from .score_container import add_probe, add_resources, score_command, warn_files
from .score_file import Workload, read_workload
from .score_placeholders import substitute
from .score_resources import DEPENDENCY_TYPES, advice_for
from .secrets import SecretBook, derived_secret_name, is_secret
from .source_files import path_join

DEFAULT_SIZE = "1Gi"


class ScoreFilesError(SpecError):
    """Problems in several Score files: each line names its own file."""

    def __init__(self, errors: list[SpecError]) -> None:
        self.errors = errors
        super().__init__(errors[0].source, [p for e in errors for p in e.problems])

    def lines(self) -> list[str]:
        """Every file's lines, in the order the files were given."""
        return [line for error in getattr(self, "errors", []) for line in error.lines()]


@dataclass
class Dependency:
    """A resource of a workload that is another workload (and maybe one of its ports)."""

    workload: str
    port_name: str | None = None


@dataclass
class WorkloadContext:
    """One workload with what the others tell about it."""

    workload: Workload
    names: dict[tuple[str, str], str]
    workloads: dict[str, Workload]
    book: SecretBook
    dependencies: dict[str, Dependency] = field(default_factory=dict)
    volumes: set[str] = field(default_factory=set)

    @property
    def report(self) -> Report:
        """Warnings about this workload's file."""
        return self.workload.report

    def service_of(self, workload: str) -> str:
        """The spec name of a workload's main (first) container's service."""
        first = next(iter(self.workloads[workload].containers))
        return self.names[(workload, first)]


def import_score(paths: list[Path], app: str | None = None, sources: list[str] | None = None) -> ImportResult:
    """Import Score files into one app; raises `SpecError` (one line per problem) on bad input."""
    labels = sources or [str(p) for p in paths]
    workloads = _read_all(paths, labels)
    names = spec_names(
        [
            f"{w.name}" if i == 0 else f"{w.name}-{c}"
            for w in workloads.values()
            for i, c in enumerate(w.containers)
        ]
    )
    by_container = {
        (w.name, c): names[w.name if i == 0 else f"{w.name}-{c}"]
        for w in workloads.values()
        for i, c in enumerate(w.containers)
    }
    book = SecretBook()
    services: dict[str, dict[str, Any]] = {}
    for workload in workloads.values():
        ctx = WorkloadContext(workload, by_container, workloads, book)
        _classifyadd_resources(ctx)
        for i, (container_name, container) in enumerate(workload.containers.items()):
            name = by_container[(workload.name, container_name)]
            if i == 0 and name != workload.name:
                ctx.report.warn(
                    "metadata.name", f"the name is not DNS-safe; the service is {name} in the spec"
                )
            draft = _container(ctx, container_name, container, main=i == 0)
            services[name] = draft.to_spec()
    errors = [SpecError(w.report.source, w.report.problems) for w in workloads.values() if w.report.problems]
    if errors:
        raise ScoreFilesError(errors)
    first = next(iter(workloads.values()))
    result = ImportResult(
        spec={"app": app_name_for(app, first.name, first.path), "services": services},
        sources=labels,
        command="hybrid import score",
        warnings=[line for w in workloads.values() for line in w.report.warning_lines()],
        secrets=book.to_set(),
    )
    check(render(result, None), f"{', '.join(labels)} (as imported)")
    return result


def _read_all(paths: list[Path], labels: list[str]) -> dict[str, Workload]:
    workloads: dict[str, Workload] = {}
    errors: list[SpecError] = []
    for path, label in zip(paths, labels, strict=True):
        try:
            workload = read_workload(path, label)
        except SpecError as error:
            errors.append(error)
            continue
        if workload.name in workloads:
            other = workloads[workload.name].report.source
            errors.append(
                SpecError(
                    label,
                    [
                        Problem(
                            "metadata.name", f"{workload.name!r} is also the name of the workload in {other}"
                        )
                    ],
                )
            )
            continue
        workloads[workload.name] = workload
    if errors:
        raise ScoreFilesError(errors)
    return workloads


def _classifyadd_resources(ctx: WorkloadContext) -> None:
    for name, resource in ctx.workload.resources.items():
        kind = str(resource["type"])
        params = resource.get("params") if isinstance(resource.get("params"), dict) else {}
        where = path_join("resources", name)
        target = params.get("workload", name) if isinstance(params, dict) else name
        if kind == "volume":
            ctx.volumes.add(name)
        elif kind in DEPENDENCY_TYPES or name in ctx.workloads:
            if target not in ctx.workloads:
                ctx.report.warn(
                    where,
                    f"names workload {target}, which is not among the imported files; dropped; "
                    "import its Score file together with this one",
                )
                continue
            port = params.get("port") if isinstance(params, dict) else None
            ctx.dependencies[name] = Dependency(str(target), str(port) if port is not None else None)
        else:
            ctx.report.warn(where, advice_for(kind))


def _container(ctx: WorkloadContext, name: str, container: dict[str, Any], main: bool) -> ServiceDraft:
    where = path_join("containers", name)
    report = ctx.report
    if not main:
        report.warn(
            where,
            "a second container is a service of its own in the "
            f"spec ({ctx.names[(ctx.workload.name, name)]}); "
            "it no longer shares the workload's network (localhost) and reaches the others by name",
        )
    draft = ServiceDraft(image=_image(ctx, container, where))
    draft.command = score_command(container, where, report)
    if main:
        _service_ports(ctx, draft)
    _variables(ctx, draft, container.get("variables"), path_join(where, "variables"))
    add_resources(draft, container.get("resources"), path_join(where, "resources"), report)
    add_probe(draft, container, where, report)
    _volumes(ctx, draft, container.get("volumes"), path_join(where, "volumes"))
    warn_files(container.get("files"), path_join(where, "files"), report)
    if container.get("before"):
        report.warn(
            path_join(where, "before"),
            "not kept: containers of a workload are separate services; use depends_on",
        )
    draft.depends_on = list(dict.fromkeys(ctx.service_of(d.workload) for d in ctx.dependencies.values()))
    return draft


def _image(ctx: WorkloadContext, container: dict[str, Any], where: str) -> str:
    image = str(container["image"])
    if image == ".":
        default = f"{ctx.workload.name}:latest"
        ctx.report.warn(
            path_join(where, "image"),
            "'.' means an image built from local sources; image "
            f"is {default}; build and push it to a registry "
            "and set image to its reference",
        )
        return default
    return image


def _service_ports(ctx: WorkloadContext, draft: ServiceDraft) -> None:
    for name, port in ctx.workload.ports.items():
        number = port.get("targetPort") or port["port"]
        if port.get("targetPort") and port["targetPort"] != port["port"]:
            ctx.report.warn(
                path_join("service.ports", name),
                f"port {port['port']} -> targetPort {port['targetPort']}: "
                "the spec has one number per port, the one "
                f"the container listens on, so clients use {port['targetPort']}",
            )
        draft.ports.append(
            PortDraft(
                number, str(port.get("protocol", "TCP")).lower(), name=dns_label(name, PORT_NAME_MAX, "port")
            )
        )


def _resolve(ctx: WorkloadContext, parts: list[str]) -> str | tuple[None, str]:
    if parts[0] == "metadata" and len(parts) > 1:
        if parts[1:] == ["name"]:
            return ctx.service_of(ctx.workload.name)
        value: Any = ctx.workload.metadata
        for part in parts[1:]:
            value = value.get(part) if isinstance(value, dict) else None
        if isinstance(value, str | int | float) and not isinstance(value, bool):
            return str(value)
        return None, "metadata has no such value"
    if parts[0] != "resources" or len(parts) < 2:
        return None, "Score placeholders start with metadata. or resources."
    resource = parts[1]
    if resource in ctx.dependencies:
        return _dependency_output(ctx, ctx.dependencies[resource], parts[2:])
    if resource in ctx.volumes and len(parts) == 2:
        return resource
    if resource in ctx.workload.resources:
        kind = ctx.workload.resources[resource]["type"]
        return (
            None,
            f"resources.{resource} is a {kind} resource, which the spec does not provision (see its warning)",
        )
    return None, f"the workload has no resource {resource}"


def _dependency_output(ctx: WorkloadContext, dep: Dependency, key: list[str]) -> str | tuple[None, str]:
    if key in (["host"], ["hostname"], ["name"]):
        return ctx.service_of(dep.workload)
    if key != ["port"]:
        return None, "a service dependency offers host, hostname, name and port"
    ports = ctx.workloads[dep.workload].ports
    if dep.port_name is not None:
        port = ports.get(dep.port_name)
        if port is None:
            return (
                None,
                f"workload {dep.workload} has no service port "
                f"{dep.port_name} (ports: {', '.join(ports) or 'none'})",
            )
    elif len(ports) == 1:
        port = next(iter(ports.values()))
    else:
        return (
            None,
            f"workload {dep.workload} has {len(ports)} service ports; name one with a service-port resource",
        )
    return str(port.get("targetPort") or port["port"])


def _variables(ctx: WorkloadContext, draft: ServiceDraft, variables: Any, where: str) -> None:
    if not isinstance(variables, dict):
        if variables is not None:
            ctx.report.error(where, "must be a mapping of variable name to text")
        return
    service = ctx.service_of(ctx.workload.name)
    for var, raw in variables.items():
        path = path_join(where, str(var))
        result = substitute(str(raw), lambda parts: _resolve(ctx, parts))
        if result.unresolved:
            reasons = "; ".join(f"${{{ref}}}: {why}" for ref, why in result.unresolved)
            ctx.report.warn(path, f"cannot be resolved, so it is dropped: {reasons}")
            continue
        if is_secret(str(var), result.text):
            secret, shared = ctx.book.from_value(
                derived_secret_name(service, str(var)),
                result.text,
                path,
                f"the value of {path} in {ctx.report.source}",
            )
            draft.secret_env[str(var)] = secret
            ctx.report.warn(
                path,
                f"holds a secret in plaintext; it is secret_env {var} -> secret {secret}"
                + (f", shared with {shared} (the same value)" if shared else "")
                + "; set the value in each stack with the command printed below",
            )
            continue
        draft.env[str(var)] = result.text


def _volumes(ctx: WorkloadContext, draft: ServiceDraft, volumes: Any, where: str) -> None:
    entries: list[tuple[str, Any]] = []
    if isinstance(volumes, dict):
        entries = [(str(target), v) for target, v in volumes.items()]
    elif isinstance(volumes, list):
        entries = [(str(v.get("target")) if isinstance(v, dict) else "", v) for v in volumes]
    for i, (target, volume) in enumerate(entries):
        path = path_join(where, target if isinstance(volumes, dict) else i)
        source = str(volume.get("source", "")) if isinstance(volume, dict) else ""
        resource = (
            source[len("${resources.") : -1]
            if source.startswith("${resources.") and source.endswith("}")
            else source
        )
        if resource not in ctx.volumes:
            ctx.report.warn(path, f"source {source!r} is not a volume resource of this workload; dropped")
            continue
        draft.volumes.append({"name": dns_label(resource, 40, "vol"), "path": target, "size": DEFAULT_SIZE})
        ctx.report.warn(
            path,
            f"volume {resource} has no size in Score; {DEFAULT_SIZE} "
            "is used; set size to what the data needs",
        )
        if volume.get("readOnly"):
            ctx.report.warn(path, "readOnly is not kept: spec volumes are mounted read-write")
        if volume.get("path"):
            ctx.report.warn(path, "path (a sub-path) is not kept: the whole volume is mounted")
